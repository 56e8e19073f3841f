/**
 * The HTTP requests Google's event plumbing sends a function (pure: builds headers and body bytes).
 *
 * - Pub/Sub push (queue): POST, `content-type: application/json`, body `{ message, subscription,
 *   deliveryAttempt }`; `deliveryAttempt` is present because the emulated subscription has a
 *   dead-letter policy (as faasport's deploy sets up). `user-agent: APIs-Google; ...` as Google sends.
 * - Eventarc (topic, schedule, storage): Pub/Sub push carrying a CloudEvent in binary content mode:
 *   `ce-id`, `ce-source`, `ce-specversion`, `ce-type`, `ce-time` (and `ce-subject` for storage) headers,
 *   the event data as a JSON body. For Pub/Sub sources, `ce-id` is the message id and the data is
 *   `{ message, subscription }` (MessagePublishedData); no delivery attempt is passed.
 * - event: the given CloudEvent in binary content mode, the only mode Eventarc delivers in, whatever the
 *   provider (https://cloud.google.com/eventarc/standard/docs/event-format): each attribute, extensions
 *   included, as a `ce-<name>` header, `datacontenttype` as the Content-Type, the data as the body (bytes as
 *   they are; JSON-encoded when the content type is JSON).
 * Header values follow the CloudEvents HTTP binding: space, `"`, `%` and anything outside printable
 * ASCII are percent-encoded (UTF-8). (The functions-framework does not decode them.)
 */
import type { MessagePublishedData, PubsubMessageJson, PubsubPushEnvelope } from '../../../adapters/gcp/pubsub.js';
import type { StorageObjectData } from '../../../adapters/gcp/storage.js';
import type { CloudEvent } from '../../../core/types.js';

export interface PushRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/** A message as published to a topic, before any delivery. */
export interface PublishedMessage {
  readonly messageId: string;
  readonly data: Uint8Array;
  readonly attributes: Readonly<Record<string, string>>;
  /** RFC 3339 with milliseconds. */
  readonly publishTime: string;
}

export const PROJECT = 'faasport-emulator';
export const GOOGLE_USER_AGENT = 'APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)';
export const MESSAGE_PUBLISHED = 'google.cloud.pubsub.topic.v1.messagePublished';
export const STORAGE_TYPES = { created: 'google.cloud.storage.object.v1.finalized', deleted: 'google.cloud.storage.object.v1.deleted' } as const;

export const topicPath = (topic: string) => `projects/${PROJECT}/topics/${topic}`;
export const subscriptionPath = (subscription: string) => `projects/${PROJECT}/subscriptions/${subscription}`;

const json = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value), 'utf8');

/** proto3 JSON of the message: empty data and attributes are left out; id and time under both spellings. */
export function pubsubMessageJson(message: PublishedMessage): PubsubMessageJson {
  const out: { -readonly [K in keyof PubsubMessageJson]: PubsubMessageJson[K] } = {};
  if (Object.keys(message.attributes).length > 0) out.attributes = { ...message.attributes };
  if (message.data.byteLength > 0) out.data = Buffer.from(message.data).toString('base64');
  out.messageId = out.message_id = message.messageId;
  out.publishTime = out.publish_time = message.publishTime;
  return out;
}

export function pushEnvelopeRequest(message: PublishedMessage, subscription: string, deliveryAttempt: number): PushRequest {
  const envelope: PubsubPushEnvelope = { message: pubsubMessageJson(message), subscription: subscriptionPath(subscription), deliveryAttempt };
  return { headers: { 'content-type': 'application/json', 'user-agent': GOOGLE_USER_AGENT }, body: json(envelope) };
}

/** Percent-encodes a CloudEvents attribute for an HTTP header (CloudEvents HTTP binding 3.1.3.2). */
export function encodeHeaderValue(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (code >= 0x21 && code <= 0x7e && char !== '"' && char !== '%') out += char;
    else for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export interface BinaryAttributes {
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly time: string;
  readonly subject?: string;
}

/** A CloudEvent in binary content mode with JSON data, as Eventarc pushes it. */
export function binaryCloudEventRequest(attributes: BinaryAttributes, data: unknown): PushRequest {
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': GOOGLE_USER_AGENT,
    'ce-specversion': '1.0',
  };
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined) headers[`ce-${name}`] = encodeHeaderValue(value);
  }
  return { headers, body: json(data) };
}

export function messagePublishedRequest(message: PublishedMessage, topic: string, subscription: string): PushRequest {
  const data: MessagePublishedData = { message: pubsubMessageJson(message), subscription: subscriptionPath(subscription) };
  return binaryCloudEventRequest(
    { id: message.messageId, source: `//pubsub.googleapis.com/${topicPath(topic)}`, type: MESSAGE_PUBLISHED, time: message.publishTime },
    data,
  );
}

export function storageEventRequest(id: string, type: keyof typeof STORAGE_TYPES, object: StorageObjectData, time: string): PushRequest {
  return binaryCloudEventRequest(
    { id, source: `//storage.googleapis.com/projects/_/buckets/${object.bucket}`, type: STORAGE_TYPES[type], time, subject: `objects/${object.name}` },
    object,
  );
}

/** `application/json`, `text/json`, `application/foo+json`: a JSON content type (CloudEvents JSON format 3.1). */
const isJsonType = (contentType: string): boolean => /^(application|text)\/([^;]+\+)?json\s*(;|$)/i.test(contentType.trim());

/**
 * A CloudEvent in binary content mode (CloudEvents HTTP protocol binding 3.1, as Eventarc sends it): context
 * attributes and extensions as `ce-*` headers, the data alone as the body. Bytes data (or a structured-mode
 * `data_base64`) is sent as raw bytes; other data is JSON-encoded under a JSON content type (the default), else
 * sent as text.
 */
export function binaryModeCloudEventRequest(cloudEvent: CloudEvent): PushRequest {
  const { data, data_base64: base64, datacontenttype, ...attributes } = cloudEvent as CloudEvent & { data_base64?: unknown };
  if (base64 !== undefined && typeof base64 !== 'string') throw new TypeError('faasport gcp emulator: the CloudEvent\'s data_base64 must be a base64 string');
  const bytes = data instanceof Uint8Array ? data : typeof base64 === 'string' ? Buffer.from(base64, 'base64') : undefined;
  const contentType =
    typeof datacontenttype === 'string' && datacontenttype !== ''
      ? datacontenttype
      : bytes
        ? 'application/octet-stream'
        : 'application/json';
  const headers: Record<string, string> = { 'content-type': contentType, 'user-agent': GOOGLE_USER_AGENT };
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null) continue;
    // Attribute names are lower-case letters and digits (CloudEvents 1.0 "Attribute Naming Convention").
    if (!/^[a-z0-9]+$/.test(name)) throw new TypeError(`faasport gcp emulator: "${name}" is not a CloudEvents attribute name (lower-case letters and digits)`);
    headers[`ce-${name}`] = encodeHeaderValue(typeof value === 'string' ? value : String(value));
  }
  let body: Uint8Array;
  if (bytes) body = bytes;
  else if (data === undefined) body = new Uint8Array(0);
  else if (isJsonType(contentType) || typeof data !== 'string') body = json(data);
  else body = Buffer.from(data, 'utf8');
  return { headers, body };
}

/** Structured content mode; bytes data travels as `data_base64`, as the CloudEvents JSON format says. */
export function structuredCloudEventRequest(cloudEvent: CloudEvent): PushRequest {
  const { data, ...attributes } = cloudEvent;
  const body = data instanceof Uint8Array ? { ...attributes, data_base64: Buffer.from(data).toString('base64') } : cloudEvent;
  return { headers: { 'content-type': 'application/cloudevents+json; charset=utf-8', 'user-agent': GOOGLE_USER_AGENT }, body: json(body) };
}
