/**
 * Storage Queue trigger (`app.storageQueue`) -> faasport Message.
 *
 * Payload: faasport registers the trigger with `dataType: 'binary'`, so the host binds the message to a byte
 * array (the body after the host's base64 `messageEncoding`) and the worker hands a Buffer: `Message.body` is
 * exact, JSON-looking text included. Without it the host sends `string` data and `@azure/functions` JSON-parses
 * anything that looks like JSON (`"123"` -> 123, whitespace gone); such a payload is re-serialised and a warning
 * is logged, since the original bytes are gone.
 *
 * Trigger metadata (host names, camel-cased by the library): `Id`, `DequeueCount` -> `deliveryCount`,
 * `InsertionTime` -> `publishedAt`, `ExpirationTime`, `NextVisibleTime`, `PopReceipt` (left in `ctx.native`).
 * Storage queue messages have no attributes or headers, so `attributes` is always `{}`.
 */
import type { InvocationContext, TriggerMetadata } from '@azure/functions';
import { createMessage, NO_ATTRIBUTES } from '../../../core/message.js';
import type { Message, QueueFunction } from '../../../core/types.js';
import { azureContextInit } from '../context.js';
import type { AdaptOptions, AzureEventHandler, AzureEventNative } from '../types.js';
import { metadataOf, payloadBytes, readCount, readDate, readText } from './metadata.js';
import { settle } from './settle.js';

export interface StorageQueueView {
  readonly message: Message;
  /** False when the library had already JSON-parsed the text (binding without `dataType: 'binary'`). */
  readonly exact: boolean;
}

/** Pure: the trigger payload and metadata as the worker hands them -> a Message. */
export function toStorageQueueMessage(trigger: unknown, triggerMetadata: TriggerMetadata | undefined, queueName: string, fallbackId: string): StorageQueueView {
  const meta = metadataOf(triggerMetadata);
  const { bytes, exact } = payloadBytes(trigger, 'storage queue');
  const message = createMessage({
    id: readText(meta.id) ?? fallbackId,
    body: bytes,
    // (No attributes: the shared empty map, with no prototype, as on every other trigger.)
    attributes: NO_ATTRIBUTES,
    deliveryCount: readCount(meta.dequeueCount) ?? 1,
    publishedAt: readDate(meta.insertionTime),
    source: queueName,
  });
  return { message, exact };
}

export function storageQueueHandler(fn: QueueFunction, options: AdaptOptions = {}): AzureEventHandler {
  return async (trigger: unknown, context: InvocationContext): Promise<void> => {
    const { message, exact } = toStorageQueueMessage(trigger, context.triggerMetadata, fn.options.queue, context.invocationId);
    const init = azureContextInit<AzureEventNative>(context, options.name, { trigger, context });
    if (!exact) {
      context.warn('faasport/azure: the queue message arrived JSON-parsed (binding without dataType "binary"); msg.body is a re-serialisation', {
        id: message.id,
      });
    }
    await settle(fn, message, init, `message ${message.id}`);
  };
}
