/**
 * Event Grid `Microsoft.Storage.BlobDeleted` (`app.eventGrid`) -> StorageEvent 'deleted'. Azure has no blob
 * trigger for deletes; a storage function listening to deletes gets an Event Grid function (see register).
 *
 * The event comes in Event Grid or CloudEvents schema (normalised by `toCloudEvent`). The container and key come
 * from `subject` (`/blobServices/default/containers/<container>/blobs/<key>`, the key as stored), else from
 * `data.url` (percent-decoded path). Other event types, and deletes in another container, are acked and skipped
 * with a debug log (the Event Grid subscription should filter them already).
 */
import type { InvocationContext } from '@azure/functions';
import { BadEventError, describeValue } from '../../../core/errors.js';
import type { CloudEvent, StorageEvent, StorageFunction } from '../../../core/types.js';
import { azureContextInit } from '../context.js';
import type { AdaptOptions, AzureEventHandler, AzureEventNative } from '../types.js';
import { toCloudEvent, type EventGridTriggerEvent } from './event-grid.js';
import { readDate, readRecord, readText } from './metadata.js';
import { settle } from './settle.js';

export const BLOB_DELETED_TYPE = 'Microsoft.Storage.BlobDeleted';
// Stryker disable next-line Regex: dropping $ after a greedy (.+) with /s matches the same; the other regex mutants are killed in blob.test.ts
const SUBJECT = /^\/blobServices\/default\/containers\/([^/]+)\/blobs\/(.+)$/s;

function fromUrl(url: string): { bucket: string; key: string } | undefined {
  if (!URL.canParse(url)) return undefined;
  const segments = new URL(url).pathname.split('/').slice(1);
  // Path-style URLs (the storage emulator) put the account first.
  if (segments[0] === 'devstoreaccount1') segments.shift();
  const [bucket, ...rest] = segments;
  if (!bucket || rest.length === 0) return undefined;
  // Stryker disable BlockStatement: an empty catch also returns undefined (the try block's mutant is killed by tests)
  try {
    return { bucket: decodeURIComponent(bucket), key: rest.map(decodeURIComponent).join('/') };
  } catch {
    return undefined;
  }
}

// Stryker restore BlockStatement
/** Pure: a BlobDeleted CloudEvent -> StorageEvent; undefined for another event type. */
export function toBlobDeletedEvent(event: CloudEvent, now: Date): StorageEvent | undefined {
  if (event.type !== BLOB_DELETED_TYPE) return undefined;
  const data = readRecord(event.data) ?? {};
  const match = typeof event.subject === 'string' ? SUBJECT.exec(event.subject) : null;
  // Stryker disable next-line StringLiteral: any text that is no URL gives undefined, as '' does
  const place = match ? { bucket: match[1]!, key: match[2]! } : fromUrl(readText(data.url) ?? '');
  if (!place) throw new BadEventError(`faasport/azure: BlobDeleted event ${event.id} names no blob (subject is ${describeValue(event.subject)}, no data.url)`);
  const out: { -readonly [K in keyof StorageEvent]: StorageEvent[K] } = {
    type: 'deleted',
    bucket: place.bucket,
    key: place.key,
    time: readDate(event.time) ?? now,
  };
  const contentType = readText(data.contentType);
  if (contentType) out.contentType = contentType;
  return out;
}

export function blobDeletedHandler(fn: StorageFunction, options: AdaptOptions = {}): AzureEventHandler<EventGridTriggerEvent> {
  return async (trigger: EventGridTriggerEvent, context: InvocationContext): Promise<void> => {
    const cloudEvent = toCloudEvent(trigger);
    const event = toBlobDeletedEvent(cloudEvent, new Date());
    if (!event || event.bucket !== fn.options.bucket) {
      context.debug('faasport/azure: skipped an Event Grid event that is not a delete in this container', {
        id: cloudEvent.id,
        type: cloudEvent.type,
        subject: cloudEvent.subject,
      });
      return;
    }
    await settle(fn, event, azureContextInit<AzureEventNative>(context, options.name, { trigger, context }), `blob ${event.bucket}/${event.key}`);
  };
}
