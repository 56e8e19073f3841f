/**
 * Pub/Sub message shapes as they reach a function, and their conversion to a faasport Message (pure).
 *
 * The same PubsubMessage (proto3 JSON of google.pubsub.v1.PubsubMessage) arrives two ways:
 * - in a push subscription's envelope `{ message, subscription, deliveryAttempt? }`, POSTed as
 *   `application/json` to an HTTP function (queue);
 * - as the `data` of an Eventarc CloudEvent `google.cloud.pubsub.topic.v1.messagePublished`
 *   (`{ message, subscription }`, google.events.cloud.pubsub.v1.MessagePublishedData) (topic, schedule).
 * Pub/Sub writes the id and time twice (`messageId` and `message_id`, `publishTime` and `publish_time`);
 * proto3 JSON leaves out empty fields, so a message without data has no `data` and one without
 * attributes no `attributes`. `data` is standard base64 of the exact bytes published.
 */
import { base64ToBytes, EMPTY_BYTES, isBase64 } from '../../core/body.js';
import { BadEventError, describeValue } from '../../core/errors.js';
import { createMessage, newAttributes, NO_ATTRIBUTES } from '../../core/message.js';
import type { Message } from '../../core/types.js';

/** google.pubsub.v1.PubsubMessage in proto3 JSON, as Pub/Sub push and Eventarc write it. */
export interface PubsubMessageJson {
  /** Base64 of the message bytes; absent when the message has no data. */
  readonly data?: string;
  /** Absent when the message has none. */
  readonly attributes?: Readonly<Record<string, string>>;
  readonly messageId?: string;
  readonly message_id?: string;
  /** RFC 3339, e.g. "2021-02-26T19:13:55.749Z". */
  readonly publishTime?: string;
  readonly publish_time?: string;
  readonly orderingKey?: string;
  readonly ordering_key?: string;
  /** Set by the background-event form: "type.googleapis.com/google.pubsub.v1.PubsubMessage". */
  readonly '@type'?: string;
}

/** The body of a Pub/Sub push request (wrapped delivery, the default). */
export interface PubsubPushEnvelope {
  readonly message: PubsubMessageJson;
  /** `projects/<project>/subscriptions/<subscription>`. */
  readonly subscription?: string;
  /**
   * 1 on first delivery. Pub/Sub only sends it when the subscription has a dead-letter policy; without
   * one it is absent and faasport reports deliveryCount 1 on every delivery.
   */
  readonly deliveryAttempt?: number;
}

/** `data` of a `google.cloud.pubsub.topic.v1.messagePublished` CloudEvent. */
export interface MessagePublishedData {
  readonly message: PubsubMessageJson;
  /** Absent when the framework converted a legacy background event. */
  readonly subscription?: string;
}

export const MESSAGE_PUBLISHED_TYPE = 'google.cloud.pubsub.topic.v1.messagePublished';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const describe = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value);

function optionalString(owner: Record<string, unknown>, key: string, where: string): string | undefined {
  const value = owner[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new BadEventError(`faasport: ${where}.${key} must be a string, got ${describe(value)}`);
  return value;
}

/** Checks a PubsubMessage; `where` names it in errors ("the push envelope's message"). */
export function parsePubsubMessage(value: unknown, where: string): PubsubMessageJson {
  if (!isRecord(value)) throw new BadEventError(`faasport: ${where} must be a JSON object, got ${describe(value)}`);
  const data = optionalString(value, 'data', where);
  if (data !== undefined && !isBase64(data)) {
    throw new BadEventError(`faasport: ${where}.data is not standard base64 (Pub/Sub sends the message bytes base64-encoded)`);
  }
  const attributes = value.attributes;
  if (attributes !== undefined) {
    if (!isRecord(attributes)) throw new BadEventError(`faasport: ${where}.attributes must be an object of strings, got ${describe(attributes)}`);
    for (const key in attributes) {
      if (typeof attributes[key] !== 'string') {
        throw new BadEventError(`faasport: ${where}.attributes[${JSON.stringify(key)}] must be a string, got ${describe(attributes[key])}`);
      }
    }
  }
  for (const key of ['messageId', 'message_id', 'publishTime', 'publish_time', 'orderingKey', 'ordering_key'] as const) {
    optionalString(value, key, where);
  }
  const time = (value.publishTime ?? value.publish_time) as string | undefined;
  if (time !== undefined && Number.isNaN(Date.parse(time))) {
    // (JSON.stringify quotes it: a lone surrogate is written escaped, so the 400 body carries it intact.)
    throw new BadEventError(`faasport: ${where}.publishTime ${JSON.stringify(time)} is not an RFC 3339 time`);
  }
  return value as PubsubMessageJson;
}

/** Checks the body of a push request. Throws BadEventError naming what is wrong. */
export function parsePushEnvelope(body: unknown): PubsubPushEnvelope {
  if (!isRecord(body) || !('message' in body)) {
    throw new BadEventError(
      `faasport: the request body is not a Pub/Sub push envelope (expected a JSON object with "message" and "subscription", got ${isRecord(body) ? `an object with keys ${Object.keys(body).join(', ') || '(none)'}` : describe(body)})`,
    );
  }
  const message = parsePubsubMessage(body.message, 'the push envelope\'s "message"');
  if (messageIdOf(message) === undefined) {
    throw new BadEventError('faasport: the push envelope\'s "message" has no messageId (nor message_id)');
  }
  optionalString(body, 'subscription', 'the push envelope');
  const attempt = body.deliveryAttempt;
  // Stryker disable next-line ConditionalExpression: Number.isInteger is false for anything but a number, so the typeof test only narrows the type
  if (attempt !== undefined && !(typeof attempt === 'number' && Number.isInteger(attempt) && attempt >= 1)) {
    throw new BadEventError(`faasport: the push envelope's deliveryAttempt must be a positive integer, got ${describeValue(attempt)}`);
  }
  return body as unknown as PubsubPushEnvelope;
}

/** Checks the data of a messagePublished CloudEvent. */
export function parseMessagePublishedData(data: unknown): MessagePublishedData {
  if (!isRecord(data) || !('message' in data)) {
    throw new BadEventError(
      `faasport: the ${MESSAGE_PUBLISHED_TYPE} CloudEvent's data has no "message" (expected { message: { data, attributes, messageId, publishTime }, subscription }, got ${isRecord(data) ? `keys ${Object.keys(data).join(', ') || '(none)'}` : describe(data)})`,
    );
  }
  parsePubsubMessage(data.message, 'the CloudEvent\'s data.message');
  optionalString(data, 'subscription', 'the CloudEvent\'s data');
  return data as unknown as MessagePublishedData;
}

export const messageIdOf = (message: PubsubMessageJson): string | undefined => message.messageId || message.message_id || undefined;

export function publishTimeOf(message: PubsubMessageJson): Date | undefined {
  const time = message.publishTime ?? message.publish_time;
  // Stryker disable next-line ConditionalExpression: new Date(undefined) is an invalid date, which the line below also turns into undefined
  if (time === undefined) return undefined;
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export interface MessageFacts {
  /** Queue or topic name (from the function's options). */
  readonly source: string;
  readonly deliveryCount: number;
  /** Used when the message itself has no id (Eventarc always sets one; this is the CloudEvent id). */
  readonly fallbackId?: string;
}

/** PubsubMessage -> Message with the exact bytes. The message must have passed parsePubsubMessage. */
export function toMessage(message: PubsubMessageJson, facts: MessageFacts): Message {
  return createMessage({
    id: messageIdOf(message) ?? facts.fallbackId ?? '',
    body: message.data ? base64ToBytes(message.data) : EMPTY_BYTES,
    attributes: message.attributes ? Object.assign(newAttributes(), message.attributes) : NO_ATTRIBUTES,
    deliveryCount: facts.deliveryCount,
    publishedAt: publishTimeOf(message),
    source: facts.source,
  });
}
