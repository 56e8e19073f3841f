/**
 * topic -> Eventarc Pub/Sub trigger: a `google.cloud.pubsub.topic.v1.messagePublished` CloudEvent
 * whose data is `{ message, subscription }` (also what the framework makes of a legacy Pub/Sub
 * background event or of a raw push envelope). Eventarc does not pass the delivery attempt
 * (MessagePublishedData has only message and subscription), so `deliveryCount` is 1 on every delivery.
 */
import { BadEventError, describeValue } from '../../core/errors.js';
import type { Message, TopicFunction } from '../../core/types.js';
import { cloudEventHandler, type Conversion } from './cloudevent.js';
import { MESSAGE_PUBLISHED_TYPE, messageIdOf, parseMessagePublishedData, toMessage, type MessagePublishedData } from './pubsub.js';
import type { AdaptOptions, GcpCloudEvent, GcpCloudEventHandler } from './types.js';

/** The messagePublished data of a CloudEvent, checked. */
export function messagePublishedData(cloudEvent: GcpCloudEvent): MessagePublishedData {
  if (cloudEvent.type !== MESSAGE_PUBLISHED_TYPE) {
    throw new BadEventError(`faasport: expected a ${MESSAGE_PUBLISHED_TYPE} CloudEvent, got type ${describeValue(cloudEvent.type)}`);
  }
  return parseMessagePublishedData(cloudEvent.data);
}

/** messagePublished CloudEvent -> Message (pure). */
export function topicMessage(cloudEvent: GcpCloudEvent, topic: string): Message {
  const { message } = messagePublishedData(cloudEvent);
  // msg.id is text: the message's own id, else the CloudEvent's (structured mode hands over any JSON value).
  const fallbackId = typeof cloudEvent.id === 'string' && cloudEvent.id !== '' ? cloudEvent.id : undefined;
  if (messageIdOf(message) === undefined && fallbackId === undefined) {
    throw new BadEventError('faasport: the CloudEvent\'s data.message has no messageId (nor message_id) and the CloudEvent no "id"');
  }
  return toMessage(message, { source: topic, deliveryCount: 1, fallbackId });
}

export function adaptTopic(fn: TopicFunction, options: AdaptOptions = {}): GcpCloudEventHandler {
  return cloudEventHandler(fn, options, (ce): Conversion<Message> => ({ input: topicMessage(ce, fn.options.topic) }));
}
