/**
 * S3 notifications -> neutral StorageEvent: S3 event records (direct, or in an SQS/SNS body) and S3 events on
 * EventBridge. Pure: no logging, no I/O.
 */
import type { S3EventRecord } from 'aws-lambda';
import { BadEventError, describeValue } from '../../../core/errors.js';
import type { StorageEvent, StorageEventType } from '../../../core/types.js';
import type { S3BridgeEvent, S3TestEvent, SnsEnvelope } from '../types.js';
import { looksLikeObject } from './sns.js';

/** S3 event name prefixes (`ObjectCreated:Put`, `ObjectRemoved:Delete`, ...) and what they mean here. */
export const S3_EVENT_PREFIXES = [
  ['ObjectCreated:', 'created'],
  ['ObjectRemoved:', 'deleted'],
] as const satisfies readonly (readonly [string, StorageEventType])[];

/** EventBridge detail-types of S3 (source `aws.s3`) and what they mean here. */
export const S3_BRIDGE_TYPES = [
  ['Object Created', 'created'],
  ['Object Deleted', 'deleted'],
] as const satisfies readonly (readonly [string, StorageEventType])[];

/**
 * S3 URL-encodes keys in notifications, form style: a space is `+`, a real `+` is `%2B`. So `+` must become a
 * space *before* percent-decoding (`my+file.txt` -> `my file.txt`, `a%2Bb` -> `a+b`). A key that is not valid
 * percent-encoding did not come from S3.
 */
export function decodeS3Key(key: string): string {
  // Equivalent mutant (includes('') always true): replaceAll leaves a key without '+' unchanged; the test only skips the copy.
  const spaced = key.includes('+') ? key.replaceAll('+', ' ') : key;
  // Stryker disable next-line ConditionalExpression,StringLiteral: a fast path only; decodeURIComponent returns a text without "%" unchanged
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch (cause) {
    throw new BadEventError(`faasport/aws: the S3 object key ${JSON.stringify(key)} is not URL-encoded as S3 sends it`, { cause });
  }
}

function typeOf(eventName: string): StorageEventType | undefined {
  // Notification configurations spell names `s3:ObjectCreated:*`; events usually drop the `s3:`.
  const name = eventName.startsWith('s3:') ? eventName.slice(3) : eventName;
  for (const [prefix, type] of S3_EVENT_PREFIXES) if (name.startsWith(prefix)) return type;
  return undefined;
}

function checkedTime(text: unknown, what: string, field: string): Date {
  const time = typeof text === 'string' ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(time.getTime())) throw new BadEventError(`faasport/aws: ${what} has no valid time: ${field} is ${describeValue(text)}`);
  return time;
}

function storageEvent(type: StorageEventType, bucket: string, key: string, size: unknown, etag: unknown, time: Date): StorageEvent {
  const event: { -readonly [K in keyof StorageEvent]: StorageEvent[K] } = { type, bucket, key: decodeS3Key(key), time };
  if (typeof size === 'number') event.size = size;
  if (typeof etag === 'string' && etag !== '') event.etag = etag;
  return event;
}

/**
 * One S3 event record as a StorageEvent, or undefined for event names other than created/removed (restore,
 * replication, tagging, ...). S3 events carry no content type: `contentType` stays undefined.
 */
export function s3StorageEvent(record: S3EventRecord, index: number): StorageEvent | undefined {
  const s3 = record?.s3;
  if (typeof record?.eventName !== 'string' || typeof s3?.bucket?.name !== 'string' || typeof s3.object?.key !== 'string') {
    throw new BadEventError(`faasport/aws: S3 record ${index} has no eventName, s3.bucket.name and s3.object.key strings`);
  }
  const type = typeOf(record.eventName);
  if (type === undefined) return undefined;
  const { object } = s3;
  return storageEvent(type, s3.bucket.name, object.key, object.size, object.eTag, checkedTime(record.eventTime, `S3 record ${index}`, 'eventTime'));
}

/** An S3 event on EventBridge as a StorageEvent, or undefined for other S3 detail-types. Deletes carry no size or etag. */
export function s3BridgeStorageEvent(event: S3BridgeEvent): StorageEvent | undefined {
  const found = S3_BRIDGE_TYPES.find(([detailType]) => detailType === event['detail-type']);
  if (!found) return undefined;
  const detail = event.detail;
  if (typeof detail?.bucket?.name !== 'string' || typeof detail.object?.key !== 'string') {
    throw new BadEventError(`faasport/aws: the S3 "${event['detail-type']}" EventBridge event has no detail.bucket.name and detail.object.key strings`);
  }
  const object = detail.object as { key: string; size?: unknown; etag?: unknown };
  return storageEvent(found[1], detail.bucket.name, object.key, object.size, object.etag, checkedTime(event.time, 'the S3 EventBridge event', 'time'));
}

export const isS3BridgeEvent = (event: { source?: unknown }): event is S3BridgeEvent => event.source === 'aws.s3';

/** What an SQS or SNS message body holds when S3 is its sender. */
export type S3Body =
  | { readonly kind: 'records'; readonly records: readonly S3EventRecord[] }
  | { readonly kind: 'test'; readonly test: S3TestEvent }
  | { readonly kind: 'other' };

/**
 * Reads an S3 notification from a message body: S3 -> SQS/SNS bodies are an S3 event (`Records`) or the
 * one-off `s3:TestEvent`; S3 -> SNS -> SQS bodies are an SNS envelope whose Message is one of those.
 */
export function parseS3Body(body: string): S3Body {
  if (!looksLikeObject(body)) return OTHER;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return OTHER;
  }
  const p = parsed as Partial<SnsEnvelope & S3TestEvent & { Records: unknown }>;
  if (p.Event === 's3:TestEvent') return { kind: 'test', test: p as S3TestEvent };
  if (Array.isArray(p.Records) && p.Records.length > 0 && (p.Records as Partial<S3EventRecord>[]).every((r) => r?.eventSource === 'aws:s3')) {
    return { kind: 'records', records: p.Records as S3EventRecord[] };
  }
  if (p.Type === 'Notification' && typeof p.Message === 'string') return parseS3Body(p.Message);
  return OTHER;
}

const OTHER: S3Body = { kind: 'other' };
