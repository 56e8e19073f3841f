/**
 * storage -> Cloud Storage CloudEvents from Eventarc (`google.cloud.storage.object.v1.*`), whose data is
 * the object's metadata (google.events.cloud.storage.v1.StorageObjectData, JSON API field names).
 * - `finalized` (a new object or a new generation) -> 'created'; `deleted` -> 'deleted'.
 *   `archived` (a live version became noncurrent) and `metadataUpdated` have no faasport meaning:
 *   acknowledged without running the handler, with a debug log.
 * - key = `data.name`, already the decoded object name in the JSON (the `subject` is
 *   `objects/<name>`, which in binary mode arrives as a header and may be percent-encoded).
 * - size: int64 values are JSON strings ("352"); some producers write numbers. Both are read.
 * - time: the CloudEvent `time` (when the change happened, like S3's eventTime), else `updated`
 *   (the finalize time of a new object), else `timeCreated`.
 */
import { BadEventError, describeValue } from '../../core/errors.js';
import type { StorageEvent, StorageEventType, StorageFunction } from '../../core/types.js';
import { cloudEventHandler, isRecord, type Conversion } from './cloudevent.js';
import type { AdaptOptions, GcpCloudEvent, GcpCloudEventHandler } from './types.js';

/** google.events.cloud.storage.v1.StorageObjectData as Eventarc sends it (JSON API names). */
export interface StorageObjectData {
  readonly kind?: 'storage#object';
  /** `<bucket>/<name>/<generation>`. */
  readonly id?: string;
  readonly bucket: string;
  /** The object name, decoded. */
  readonly name: string;
  /** int64 as a decimal string. */
  readonly generation?: string | number;
  readonly metageneration?: string | number;
  readonly size?: string | number;
  readonly contentType?: string;
  readonly contentEncoding?: string;
  readonly contentDisposition?: string;
  readonly contentLanguage?: string;
  readonly cacheControl?: string;
  /** Base64 of the generation and metageneration (protobuf-encoded); changes with each. */
  readonly etag?: string;
  readonly md5Hash?: string;
  readonly crc32c?: string;
  readonly componentCount?: number;
  readonly storageClass?: string;
  readonly timeCreated?: string;
  readonly updated?: string;
  readonly timeDeleted?: string;
  readonly timeStorageClassUpdated?: string;
  readonly retentionExpirationTime?: string;
  readonly temporaryHold?: boolean;
  readonly eventBasedHold?: boolean;
  readonly kmsKeyName?: string;
  readonly customerEncryption?: { readonly encryptionAlgorithm?: string; readonly keySha256?: string };
  readonly metadata?: Readonly<Record<string, string>>;
  readonly mediaLink?: string;
  readonly selfLink?: string;
}

export const STORAGE_CLOUDEVENT_TYPES = {
  'google.cloud.storage.object.v1.finalized': 'created',
  'google.cloud.storage.object.v1.deleted': 'deleted',
} as const satisfies Record<string, StorageEventType>;

/** Storage events with no faasport counterpart: acknowledged unrun. */
export const IGNORED_STORAGE_TYPES = ['google.cloud.storage.object.v1.archived', 'google.cloud.storage.object.v1.metadataUpdated'] as const;

const SOURCE_BUCKET = /^\/\/storage\.googleapis\.com\/projects\/[^/]+\/buckets\/([^/]+)$/;

function sizeOf(value: unknown): number | undefined {
  // Stryker disable next-line ConditionalExpression: Number.isSafeInteger is false for anything but a number, so the typeof test only narrows the type
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

function dateOf(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Storage CloudEvent -> StorageEvent, or a reason to skip it (pure). */
export function toStorageEvent(cloudEvent: GcpCloudEvent): Conversion<StorageEvent> {
  // (Structured mode hands the JSON body over as is: type may be any JSON value, and String() of an object whose
  // toString is not a function throws. requireAttributes-like check by hand, to keep the type in the message.)
  // Stryker disable next-line StringLiteral: any fallback that is no storage type gives the same answer (the error names cloudEvent.type itself)
  const ceType = typeof cloudEvent.type === 'string' ? cloudEvent.type : '';
  if ((IGNORED_STORAGE_TYPES as readonly string[]).includes(ceType)) {
    return { skip: `a ${ceType} event is neither created nor deleted`, fields: { subject: cloudEvent.subject } };
  }
  // Own keys only: a type named after an Object.prototype member (`constructor`, `toString`) is no storage type.
  const type = Object.hasOwn(STORAGE_CLOUDEVENT_TYPES, ceType) ? (STORAGE_CLOUDEVENT_TYPES as Record<string, StorageEventType>)[ceType] : undefined;
  if (!type) {
    throw new BadEventError(
      `faasport: expected a Cloud Storage CloudEvent (${Object.keys(STORAGE_CLOUDEVENT_TYPES).join(' or ')}), got type ${describeValue(cloudEvent.type)}`,
    );
  }
  const data = cloudEvent.data;
  if (!isRecord(data)) throw new BadEventError(`faasport: the ${ceType} CloudEvent has no object metadata in its data`);
  if (typeof data.name !== 'string' || data.name === '') {
    throw new BadEventError(`faasport: the ${ceType} CloudEvent's data has no object "name"`);
  }
  const bucket = typeof data.bucket === 'string' && data.bucket !== '' ? data.bucket : (typeof cloudEvent.source === 'string' ? SOURCE_BUCKET.exec(cloudEvent.source)?.[1] : undefined);
  if (!bucket) throw new BadEventError(`faasport: the ${ceType} CloudEvent names no bucket (neither data.bucket nor its source)`);
  const time = dateOf(cloudEvent.time) ?? dateOf(data.updated) ?? dateOf(data.timeCreated);
  if (!time) throw new BadEventError(`faasport: the ${ceType} CloudEvent has no valid time (nor data.updated/timeCreated)`);
  const size = sizeOf(data.size);
  const event: { -readonly [K in keyof StorageEvent]: StorageEvent[K] } = { type, bucket, key: data.name, time };
  if (size !== undefined) event.size = size;
  if (typeof data.etag === 'string') event.etag = data.etag;
  if (typeof data.contentType === 'string') event.contentType = data.contentType;
  return { input: event };
}

export function adaptStorage(fn: StorageFunction, options: AdaptOptions = {}): GcpCloudEventHandler {
  const wanted = fn.options.events;
  return cloudEventHandler(fn, options, (ce) => {
    const conversion = toStorageEvent(ce);
    // The trigger filters by event type already; this is the safety net for a broader one.
    if ('input' in conversion && wanted && !wanted.includes(conversion.input.type)) {
      return { skip: `the function does not take "${conversion.input.type}" events`, fields: { key: conversion.input.key } };
    }
    return conversion;
  });
}
