/**
 * Blob trigger (`app.storageBlob`, path `<container>/{name}`) -> StorageEvent 'created'.
 *
 * Registered with `dataType: 'binary'` (the worker gets the content as a Buffer; faasport does not pass it on:
 * StorageEvent carries metadata only). Metadata (camel-cased by the library): `BlobTrigger` ("container/key",
 * the key as stored, not URL-encoded) gives the key (`name` is a fallback: the library may have JSON-parsed a
 * key like "123"); `Properties` gives size (`contentLength`), `contentType`, etag (when it arrives as text) and
 * the time (`lastModified`, else `createdOn`, else now). The blob trigger fires for new and updated blobs alike.
 */
import type { InvocationContext, TriggerMetadata } from '@azure/functions';
import { BadEventError } from '../../../core/errors.js';
import type { StorageEvent, StorageFunction } from '../../../core/types.js';
import { azureContextInit } from '../context.js';
import type { AdaptOptions, AzureEventHandler, AzureEventNative } from '../types.js';
import { metadataOf, readCount, readDate, readRecord, readText } from './metadata.js';
import { settle } from './settle.js';

/** Pure: blob trigger metadata (and payload, for the size fallback) -> StorageEvent. */
export function toBlobCreatedEvent(blob: unknown, triggerMetadata: TriggerMetadata | undefined, container: string, now: Date): StorageEvent {
  const meta = metadataOf(triggerMetadata);
  const path = readText(meta.blobTrigger);
  let key: string | undefined;
  if (path !== undefined) {
    const slash = path.indexOf('/');
    if (slash <= 0) throw new BadEventError(`faasport/azure: the blob trigger path (metadata "blobTrigger") ${JSON.stringify(path)} has no container part`);
    key = path.slice(slash + 1);
  } else {
    key = readText(meta.name);
  }
  if (key === undefined || key === '') throw new BadEventError('faasport/azure: the blob trigger metadata has neither "BlobTrigger" nor "name"');
  const properties = readRecord(meta.properties) ?? {};
  const size = readCount(properties.contentLength) ?? readCount(properties.length) ?? (blob instanceof Uint8Array ? blob.byteLength : undefined);
  const etag = readText(properties.eTag) ?? readText(properties.etag);
  const contentType = readText(properties.contentType);
  const event: { -readonly [K in keyof StorageEvent]: StorageEvent[K] } = {
    type: 'created',
    bucket: path !== undefined ? path.slice(0, path.indexOf('/')) : container,
    key,
    time: readDate(properties.lastModified) ?? readDate(properties.createdOn) ?? now,
  };
  if (size !== undefined) event.size = size;
  if (etag !== undefined && etag !== '') event.etag = etag;
  if (contentType !== undefined && contentType !== '') event.contentType = contentType;
  return event;
}

export function blobCreatedHandler(fn: StorageFunction, options: AdaptOptions = {}): AzureEventHandler {
  return async (trigger: unknown, context: InvocationContext): Promise<void> => {
    const event = toBlobCreatedEvent(trigger, context.triggerMetadata, fn.options.bucket, new Date());
    await settle(fn, event, azureContextInit<AzureEventNative>(context, options.name, { trigger, context }), `blob ${event.bucket}/${event.key}`);
  };
}
