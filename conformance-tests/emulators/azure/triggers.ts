/**
 * The host's side of the worker protocol for event triggers (pure): the trigger's input data and trigger metadata
 * as the Functions host sends them for each binding type. The host converts values with its ToRpc rules:
 * byte[] -> `bytes`, string -> `string`, double -> `double`, anything else (long, int, DateTime, DateTimeOffset,
 * dictionaries, POCOs) -> `json` through Newtonsoft (DateTimeOffset as `2024-05-01T12:00:00+00:00`, UTC
 * DateTime as `...Z`, seven fractional digits at most, trailing zeros dropped). The binding's `dataType` picks
 * the trigger value's type: `binary` -> byte[], `string` -> string; without it a queue or Service Bus message is
 * a string and a blob is bytes.
 *
 * Metadata names per trigger (extension sources and docs): queue `QueueTrigger, DequeueCount, ExpirationTime,
 * Id, InsertionTime, NextVisibleTime, PopReceipt`; Service Bus `MessageId, DeliveryCount, EnqueuedTimeUtc,
 * ExpiresAtUtc, SequenceNumber, ContentType, ApplicationProperties, UserProperties, LockToken`; blob
 * `BlobTrigger, Uri, Properties, Metadata` and the path's `{name}`; plus the host's `sys` on every invocation.
 */
import { randomUUID } from 'node:crypto';
import type { RegisteredFunction, RpcBindingInfo, RpcInvocationRequest, RpcTypedData } from './protocol.js';
import { triggerBindingName } from './rpc.js';

export type TriggerMetadata = Record<string, RpcTypedData>;

/** Newtonsoft's ISO format: `yyyy-MM-ddTHH:mm:ss.FFFFFFF` then `+00:00` (DateTimeOffset) or `Z` (UTC DateTime). */
export function dotnetDate(date: Date, kind: 'offset' | 'utc'): string {
  const iso = date.toISOString(); // 2024-05-01T12:00:00.120Z
  const [whole, fraction = ''] = iso.slice(0, -1).split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return `${whole}${trimmed ? `.${trimmed}` : ''}${kind === 'offset' ? '+00:00' : 'Z'}`;
}

const json = (value: unknown): RpcTypedData => ({ json: JSON.stringify(value) });
const text = (value: string): RpcTypedData => ({ string: value });

/** The trigger binding of a registered function. */
export function triggerBinding(fn: RegisteredFunction): RpcBindingInfo {
  return fn.bindings[triggerBindingName(fn)]!;
}

/** The trigger value: bytes or a string, by the binding's `dataType` (or the trigger's default). */
export function triggerValue(binding: RpcBindingInfo, bytes: Uint8Array, fallback: 'string' | 'binary'): RpcTypedData {
  const dataType = typeof binding.dataType === 'string' ? binding.dataType.toLowerCase() : fallback;
  if (dataType === 'binary' || dataType === 'stream') return { bytes };
  return { string: new TextDecoder().decode(bytes) };
}

export function sysMetadata(fn: RegisteredFunction, now: Date): RpcTypedData {
  return json({ MethodName: fn.name, UtcNow: dotnetDate(now, 'utc'), RandGuid: randomUUID() });
}

export interface EventInvocationInit {
  readonly invocationId: string;
  readonly fn: RegisteredFunction;
  readonly data: RpcTypedData;
  readonly triggerMetadata: TriggerMetadata;
  /** The host's retry context (function-level retry policies); null when there is none. */
  readonly retry?: { retryCount: number; maxRetryCount: number } | undefined;
}

export function toEventInvocationRequest(init: EventInvocationInit): RpcInvocationRequest {
  return {
    invocationId: init.invocationId,
    functionId: init.fn.functionId,
    inputData: [{ name: triggerBindingName(init.fn), data: init.data }],
    triggerMetadata: init.triggerMetadata,
    traceContext: { traceParent: `00-${randomUUID().replace(/-/g, '')}-${randomUUID().replace(/-/g, '').slice(0, 16)}-00`, traceState: '', attributes: {} },
    retryContext: init.retry ?? null,
  };
}

// ---- Storage queue ---------------------------------------------------------------------------------------

export interface QueueMessageState {
  readonly id: string;
  readonly popReceipt: string;
  readonly insertionTime: Date;
  readonly expirationTime: Date;
  readonly nextVisibleTime: Date;
  readonly dequeueCount: number;
  /** The message body after the host's base64 decoding. */
  readonly body: Uint8Array;
}

export function queueTrigger(fn: RegisteredFunction, message: QueueMessageState, now: Date): { data: RpcTypedData; triggerMetadata: TriggerMetadata } {
  return {
    data: triggerValue(triggerBinding(fn), message.body, 'string'),
    triggerMetadata: {
      QueueTrigger: text(new TextDecoder().decode(message.body)),
      DequeueCount: json(message.dequeueCount),
      ExpirationTime: json(dotnetDate(message.expirationTime, 'offset')),
      Id: text(message.id),
      InsertionTime: json(dotnetDate(message.insertionTime, 'offset')),
      NextVisibleTime: json(dotnetDate(message.nextVisibleTime, 'offset')),
      PopReceipt: text(message.popReceipt),
      sys: sysMetadata(fn, now),
    },
  };
}

// ---- Service Bus -----------------------------------------------------------------------------------------

export interface ServiceBusMessageState {
  readonly messageId: string;
  readonly sequenceNumber: number;
  readonly enqueuedTime: Date;
  readonly deliveryCount: number;
  readonly body: Uint8Array;
  readonly applicationProperties: Readonly<Record<string, string>>;
  readonly lockToken: string;
}

/** Service Bus's default message time-to-live is "forever" (TimeSpan.MaxValue); ExpiresAtUtc is then DateTime.MaxValue. */
const NEVER = '9999-12-31T23:59:59.9999999Z';

export function serviceBusTrigger(fn: RegisteredFunction, message: ServiceBusMessageState, now: Date): { data: RpcTypedData; triggerMetadata: TriggerMetadata } {
  return {
    data: triggerValue(triggerBinding(fn), message.body, 'string'),
    triggerMetadata: {
      MessageId: text(message.messageId),
      DeliveryCount: json(message.deliveryCount),
      EnqueuedTimeUtc: json(dotnetDate(message.enqueuedTime, 'utc')),
      ExpiresAtUtc: json(NEVER),
      SequenceNumber: json(message.sequenceNumber),
      LockToken: text(message.lockToken),
      ApplicationProperties: json(message.applicationProperties),
      UserProperties: json(message.applicationProperties),
      sys: sysMetadata(fn, now),
    },
  };
}

// ---- Blob ------------------------------------------------------------------------------------------------

export interface BlobState {
  readonly container: string;
  readonly key: string;
  readonly url: string;
  readonly body: Uint8Array;
  readonly contentType: string | undefined;
  readonly etag: string | undefined;
  readonly lastModified: Date;
  readonly createdOn: Date;
}

/**
 * `Properties` is the storage SDK's BlobProperties through Newtonsoft: a subset is sent (unverified against a live
 * host: the SDK's ETag struct may not serialise as text there).
 */
export function blobTrigger(fn: RegisteredFunction, blob: BlobState, now: Date): { data: RpcTypedData; triggerMetadata: TriggerMetadata } {
  return {
    data: triggerValue(triggerBinding(fn), blob.body, 'binary'),
    triggerMetadata: {
      BlobTrigger: text(`${blob.container}/${blob.key}`),
      Uri: json(blob.url),
      Properties: json({
        LastModified: dotnetDate(blob.lastModified, 'offset'),
        CreatedOn: dotnetDate(blob.createdOn, 'offset'),
        Metadata: {},
        BlobType: 0,
        ContentLength: blob.body.byteLength,
        ContentType: blob.contentType ?? 'application/octet-stream',
        ETag: blob.etag,
      }),
      Metadata: json({}),
      name: text(blob.key),
      sys: sysMetadata(fn, now),
    },
  };
}

/**
 * An event of a storage account's system topic in the Event Grid schema
 * (https://learn.microsoft.com/azure/event-grid/event-schema-blob-storage): the envelope and the fields every
 * blob event's data ends with, around the data of its kind.
 */
export function storageSystemEvent(
  eventType: 'Microsoft.Storage.BlobCreated' | 'Microsoft.Storage.BlobDeleted',
  blob: { container: string; key: string },
  data: Record<string, unknown>,
  now: Date,
): Record<string, unknown> {
  return {
    topic: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/faasport/providers/Microsoft.Storage/storageAccounts/devstoreaccount1',
    subject: `/blobServices/default/containers/${blob.container}/blobs/${blob.key}`,
    eventType,
    id: randomUUID(),
    data: { ...data, sequencer: now.getTime().toString(16).padStart(32, '0'), storageDiagnostics: { batchId: randomUUID() } },
    dataVersion: '',
    metadataVersion: '1',
    // Stryker disable next-line StringLiteral: dotnetDate tells only 'offset' apart; any other kind writes the Z of 'utc'
    eventTime: dotnetDate(now, 'utc'),
  };
}

/** Microsoft.Storage.BlobDeleted, as a storage account's system topic sends it. */
export function blobDeletedEvent(blob: { container: string; key: string; url: string; contentType: string | undefined }, now: Date): Record<string, unknown> {
  const data = { api: 'DeleteBlob', requestId: randomUUID(), contentType: blob.contentType ?? 'application/octet-stream', blobType: 'BlockBlob', url: blob.url };
  return storageSystemEvent('Microsoft.Storage.BlobDeleted', blob, data, now);
}

// ---- Event Grid and timer --------------------------------------------------------------------------------

/** The Event Grid trigger gets the event as JSON text (the library parses it). */
export function eventGridTrigger(fn: RegisteredFunction, event: unknown, now: Date): { data: RpcTypedData; triggerMetadata: TriggerMetadata } {
  return { data: text(JSON.stringify(event)), triggerMetadata: { sys: sysMetadata(fn, now) } };
}

/** One timer tick as the timer listener fires it (see TimerSchedules in delivery.ts). */
export interface TimerTick {
  /** The occurrence being fired: ScheduleStatus.Next. */
  readonly scheduledTime: Date;
  /** The previous invocation's time, or undefined when the host has no stored status. */
  readonly last: Date | undefined;
  readonly isPastDue: boolean;
}

/** DateTime's default value through Newtonsoft: the host's ScheduleStatus before any invocation was stored. */
export const DEFAULT_DATE_TIME = '0001-01-01T00:00:00';

/**
 * TimerInfo as the host serialises it, holding the status from *before* the tick (TimerListener.InvokeJobFunction
 * in Azure/azure-webjobs-sdk-extensions passes the listener's current ScheduleStatus, then stores the new one):
 * `Next` is the occurrence being fired, `Last`/`LastUpdated` the previous invocation.
 */
export function timerTrigger(fn: RegisteredFunction, tick: TimerTick, now: Date): { data: RpcTypedData; triggerMetadata: TriggerMetadata } {
  const last = tick.last === undefined ? DEFAULT_DATE_TIME : dotnetDate(tick.last, 'offset');
  return {
    data: json({
      Schedule: { AdjustForDST: true },
      ScheduleStatus: { Last: last, Next: dotnetDate(tick.scheduledTime, 'offset'), LastUpdated: last },
      IsPastDue: tick.isPastDue,
    }),
    triggerMetadata: { sys: sysMetadata(fn, now) },
  };
}
