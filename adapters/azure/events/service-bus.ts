/**
 * Service Bus topic subscription trigger (`app.serviceBusTopic`) -> faasport Message.
 *
 * Payload: registered with `dataType: 'binary'`, so the host binds the body to bytes and `Message.body` is exact.
 * Metadata (camel-cased by the library): `MessageId` -> id, `DeliveryCount` -> deliveryCount, `EnqueuedTimeUtc`
 * -> publishedAt, `ApplicationProperties` (older extensions: `UserProperties`) -> attributes, values stringified
 * (text as is, numbers/booleans as JSON, dates as ISO text).
 * Limit: the library camel-cases nested keys too, so an application property whose name starts with an
 * upper-case letter reaches the handler with that letter lower-cased (`Region` -> `region`). Use names that start
 * lower-case (or with a non-letter) for properties that must round-trip.
 */
import type { InvocationContext, TriggerMetadata } from '@azure/functions';
import { createMessage } from '../../../core/message.js';
import type { Message, TopicFunction } from '../../../core/types.js';
import { azureContextInit } from '../context.js';
import type { AdaptOptions, AzureEventHandler, AzureEventNative } from '../types.js';
import { metadataOf, payloadBytes, readCount, readDate, readRecord, readText, stringifyValues } from './metadata.js';
import { settle } from './settle.js';

/** Pure: trigger payload and metadata -> a Message (`exact` false when the library had parsed the text). */
export function toServiceBusMessage(
  trigger: unknown,
  triggerMetadata: TriggerMetadata | undefined,
  topicName: string,
  fallbackId: string,
): { message: Message; exact: boolean } {
  const meta = metadataOf(triggerMetadata);
  const { bytes, exact } = payloadBytes(trigger, 'Service Bus');
  const properties = readRecord(meta.applicationProperties) ?? readRecord(meta.userProperties);
  const message = createMessage({
    id: readText(meta.messageId) ?? fallbackId,
    body: bytes,
    attributes: stringifyValues(properties),
    deliveryCount: readCount(meta.deliveryCount) ?? 1,
    publishedAt: readDate(meta.enqueuedTimeUtc),
    source: topicName,
  });
  return { message, exact };
}

export function serviceBusTopicHandler(fn: TopicFunction, options: AdaptOptions = {}): AzureEventHandler {
  return async (trigger: unknown, context: InvocationContext): Promise<void> => {
    const { message, exact } = toServiceBusMessage(trigger, context.triggerMetadata, fn.options.topic, context.invocationId);
    if (!exact) {
      context.warn('faasport/azure: the Service Bus message arrived JSON-parsed (binding without dataType "binary"); msg.body is a re-serialisation', {
        id: message.id,
      });
    }
    await settle(fn, message, azureContextInit<AzureEventNative>(context, options.name, { trigger, context }), `message ${message.id}`);
  };
}
