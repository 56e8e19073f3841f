/**
 * Blob-created through Event Grid, as the host's blobs extension takes it on Flex Consumption: the emulated Event Grid
 * POSTs a BlobCreated event to the host's blobs webhook, which queues a BlobTriggerMessage on the shared queue whose
 * listener reads the blob from Azurite and runs the trigger; blob-deleted is an Event Grid delivery. The rules and their
 * sources are in delivery.ts's header and the README's table.
 */
import { randomUUID } from 'node:crypto';
import type { RegisteredFunction } from './protocol.js';
import { encodeBlobPath, StorageRequestError, type ReceivedQueueMessage, type StorageRest } from './storage-rest.js';
import type { QueueSettings } from './app-config.js';
import { blobDeletedEvent, blobTrigger, storageSystemEvent } from './triggers.js';
import {
  BLOB_POISON_QUEUE,
  base64,
  bytesOf,
  deliverEventGrid,
  EVENT_GRID_MAX_DELIVERY_ATTEMPTS,
  EVENT_GRID_RESPONSE_TIMEOUT_MS,
  EVENT_GRID_SUCCESS,
  invokeWith,
  never,
  QueueListener,
  type DuplicateDraw,
  type EventGridDeliveryOptions,
  type EventHost,
  type InvokeResult,
  type Outcome,
} from './delivery.js';

// ---- Blobs: Azurite, the emulated Event Grid, the host's blobs webhook and shared queue ------------------------------

/** The host's id names its shared blob trigger queue (`azure-webjobs-blobtrigger-<hostId>`); the emulator's is fixed. */
export const EMULATOR_HOST_ID = 'faasport-emulator';
export const BLOB_TRIGGER_QUEUE = `azure-webjobs-blobtrigger-${EMULATOR_HOST_ID}`;
/** The blobs extension's webhook path; the function is named `Host.Functions.<name>` in `functionName`. */
export const BLOBS_WEBHOOK_PATH = '/runtime/webhooks/blobs';

/** The message the blobs webhook writes to the shared queue (the extension's BlobTriggerMessage, as JSON). */
export interface BlobTriggerMessage {
  readonly Type: 'BlobTrigger';
  readonly FunctionId: string;
  readonly BlobType: 'BlockBlob' | 'PageBlob' | 'AppendBlob';
  readonly ContainerName: string;
  readonly BlobName: string;
  readonly ETag: string;
}

const blobTriggerKey = (m: Pick<BlobTriggerMessage, 'FunctionId' | 'ContainerName' | 'BlobName' | 'ETag'>) => `${m.FunctionId}\n${m.ContainerName}\n${m.BlobName}\n${m.ETag}`;

function parseBlobTriggerMessage(text: string): BlobTriggerMessage | undefined {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as Partial<BlobTriggerMessage>;
    if (typeof value.FunctionId !== 'string' || typeof value.ContainerName !== 'string' || typeof value.BlobName !== 'string') return undefined;
    // Stryker disable BlockStatement: an empty catch falls off the end of the function, which returns undefined too (restored below)
    return value as BlobTriggerMessage;
  } catch {
    return undefined;
  }
}

// Stryker restore BlockStatement

/** Microsoft.Storage.BlobCreated, as a storage account's system topic sends it. */
export function blobCreatedEvent(
  blob: { container: string; key: string; url: string; contentType: string | undefined; contentLength: number; etag: string },
  now: Date,
): Record<string, unknown> {
  const data = {
    api: 'PutBlob',
    clientRequestId: randomUUID(),
    requestId: randomUUID(),
    // The event carries the ETag without quotes; the host quotes it again in the BlobTriggerMessage.
    // Stryker disable next-line Regex: an entity-tag has quotes only at its ends (RFC 9110 8.8.3, etagc excludes DQUOTE), so anchoring one end changes nothing
    eTag: blob.etag.replace(/^"|"$/g, ''),
    contentType: blob.contentType ?? 'application/octet-stream',
    contentLength: blob.contentLength,
    blobType: 'BlockBlob',
    url: blob.url,
  };
  return storageSystemEvent('Microsoft.Storage.BlobCreated', blob, data, now);
}

/** Container and blob name of a blob URL: path-style on Azurite (`/<account>/<container>/<blob>`), else host-style. */
export function blobOfUrl(url: string): { container: string; blob: string } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const segments = parsed.pathname.split('/').slice(1);
  const pathStyle = /^(\d+\.\d+\.\d+\.\d+|localhost|\[.*\])$/.test(parsed.hostname);
  const [container, ...rest] = pathStyle ? segments.slice(1) : segments;
  if (!container || rest.length === 0) return undefined;
  return { container: decodeURIComponent(container), blob: rest.map(decodeURIComponent).join('/') };
}

/** The host's side: the blobs webhook, and the shared queue listener that runs blob triggers. */
export class BlobTriggerHost {
  readonly listener: QueueListener;

  constructor(
    private readonly host: EventHost,
    private readonly functions: () => readonly RegisteredFunction[],
    settings: QueueSettings,
  ) {
    this.listener = new QueueListener({
      host,
      queue: BLOB_TRIGGER_QUEUE,
      poisonQueue: BLOB_POISON_QUEUE,
      settings,
      handler: {
        keyOf: (message) => {
          const parsed = parseBlobTriggerMessage(message.text);
          return parsed ? blobTriggerKey(parsed) : undefined;
        },
        run: (message) => this.#run(message),
        describe: (message) => {
          const parsed = parseBlobTriggerMessage(message.text);
          return { functionName: parsed?.FunctionId.replace(/^Host\.Functions\./, '') ?? '?', id: parsed ? `${parsed.ContainerName}/${parsed.BlobName}` : message.id };
        },
      },
    });
  }

  /**
   * The webhook (BlobsExtensionConfigProvider.ConvertAsync + the Event Grid extension's HttpRequestProcessor): the
   * `aeg-event-type` header picks the handshake (200 with the validation code), notifications (each event becomes a
   * BlobTriggerMessage on the shared queue, then 202) or unsubscribe (202); anything else is 400.
   */
  async webhook(functionName: string, eventType: string | undefined, body: string): Promise<{ status: number; body?: string }> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return { status: 400 };
    }
    const type = eventType?.toLowerCase();
    if (type === 'subscriptionvalidation') {
      const first = (Array.isArray(parsed) ? parsed[0] : parsed) as { data?: { validationCode?: unknown } } | undefined;
      return { status: 200, body: JSON.stringify({ validationResponse: String(first?.data?.validationCode ?? '') }) };
    }
    if (type === 'unsubscribe') return { status: 202 };
    if (type !== 'notification') return { status: 400 };
    const events = (Array.isArray(parsed) ? parsed : [parsed]) as { data?: { url?: unknown; eTag?: unknown; blobType?: unknown } }[];
    const { rest } = await this.host.storage();
    await rest.createQueue(BLOB_TRIGGER_QUEUE);
    for (const event of events) {
      // Stryker disable next-line StringLiteral: any text that is not a URL gives no blob, as '' does
      const where = blobOfUrl(String(event.data?.url ?? ''));
      if (!where) return { status: 400 };
      const message: BlobTriggerMessage = {
        Type: 'BlobTrigger',
        FunctionId: functionName,
        BlobType: String(event.data?.blobType ?? 'BlockBlob') as BlobTriggerMessage['BlobType'],
        ContainerName: where.container,
        BlobName: where.blob,
        // Stryker disable next-line OptionalChaining: event.data is an object here, else its url was missing and the webhook answered 400
        ETag: `"${String(event.data?.eTag ?? '')}"`,
      };
      await rest.putMessage(BLOB_TRIGGER_QUEUE, base64(JSON.stringify(message)));
    }
    await this.listener.wake();
    return { status: 202 };
  }

  /** BlobQueueTriggerExecutor: unknown functions and blobs that are gone are skipped; else the trigger runs. */
  async #run(message: ReceivedQueueMessage): Promise<InvokeResult | { ok: true; skipped: true }> {
    const parsed = parseBlobTriggerMessage(message.text);
    if (!parsed) return { ok: false, reason: 'invalid blob trigger message' };
    const fn = this.functions().find((f) => `Host.Functions.${f.name}` === parsed.FunctionId);
    if (!fn)
      return {
        ok: true,
        // Stryker disable next-line BooleanLiteral: the listener reads only `ok`; `skipped` documents why no run happened
        skipped: true,
      };
    const { rest, endpoints } = await this.host.storage();
    let blob: Awaited<ReturnType<StorageRest['getBlob']>>;
    try {
      blob = await rest.getBlob(parsed.ContainerName, parsed.BlobName);
    } catch (error) {
      if (error instanceof StorageRequestError && error.status === 404)
        return {
          ok: true,
          // Stryker disable next-line BooleanLiteral: the listener reads only `ok`; `skipped` documents why no run happened
          skipped: true,
        };
      throw error;
    }
    const now = new Date();
    const state = {
      container: parsed.ContainerName,
      key: parsed.BlobName,
      url: `${endpoints.blob}/${parsed.ContainerName}/${encodeBlobPath(parsed.BlobName)}`,
      body: blob.body,
      contentType: blob.properties.contentType,
      etag: blob.properties.etag,
      lastModified: blob.properties.lastModified ?? now,
      createdOn: blob.properties.createdOn ?? blob.properties.lastModified ?? now,
    };
    return invokeWith(this.host, fn, blobTrigger(fn, state, now));
  }
}

/** How the emulated Event Grid reaches the host's webhook: a POST, answered with a status. */
export type WebhookPost = (pathAndQuery: string, headers: Record<string, string>, body: string, signal: AbortSignal) => Promise<number>;

/**
 * Event Grid's push to a webhook: a delivery that is not answered with a success code within 30 s is retried, up
 * to `maxAttempts`, then dead-lettered. The emulator retries without Event Grid's backoff.
 */
async function pushToWebhook(post: WebhookPost, pathAndQuery: string, event: Record<string, unknown>, maxAttempts: number, timeoutMs: number): Promise<{ ok: boolean; attempts: number; reason: string }> {
  // Stryker disable next-line StringLiteral: maxAttempts is EVENT_GRID_MAX_DELIVERY_ATTEMPTS (30), so a failed attempt sets reason before it is read
  let reason = '';
  for (let n = 1; n <= maxAttempts; n++) {
    try {
      const status = await post(pathAndQuery, { 'content-type': 'application/json', 'aeg-event-type': 'Notification' }, JSON.stringify([event]), AbortSignal.timeout(timeoutMs));
      // Stryker disable next-line StringLiteral: the reason of a delivery that succeeded is never read
      if (EVENT_GRID_SUCCESS.has(status)) return { ok: true, attempts: n, reason: '' };
      reason = `the endpoint answered ${status}`;
      // 400 and 413 mean the delivery can never succeed: Event Grid dead-letters at once (same page, "Dead-letter events").
      if (status === 400 || status === 413) return { ok: false, attempts: n, reason };
    } catch (error) {
      reason = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (error as Error).message;
    }
  }
  return { ok: false, attempts: maxAttempts, reason };
}

export interface BlobCreatedDelivery {
  readonly blobHost: BlobTriggerHost;
  readonly post: WebhookPost;
  /** The app's `blobs_extension` system key, which the subscription's endpoint carries in `code`. */
  readonly systemKey: string;
  /** Blob trigger attempts (host.json queues.maxDequeueCount unless the stimulus says). */
  readonly maxAttempts?: number | undefined;
  readonly duplicate?: DuplicateDraw | undefined;
  readonly eventGridTimeoutMs?: number | undefined;
}

export async function deliverBlobCreated(
  host: EventHost,
  fn: RegisteredFunction,
  object: { bucket: string; key: string; body?: string | Uint8Array; contentType?: string },
  delivery: BlobCreatedDelivery,
): Promise<Outcome> {
  const { rest, endpoints } = await host.storage();
  await rest.createContainer(object.bucket);
  const bytes = bytesOf(object.body ?? '');
  await rest.putBlob(object.bucket, object.key, bytes, object.contentType);
  const { properties } = await rest.getBlob(object.bucket, object.key);
  const etag = properties.etag ?? '';
  const url = `${endpoints.blob}/${object.bucket}/${encodeBlobPath(object.key)}`;
  const event = blobCreatedEvent({ container: object.bucket, key: object.key, url, contentType: properties.contentType, contentLength: bytes.byteLength, etag }, new Date());
  const functionId = `Host.Functions.${fn.name}`;
  // Stryker disable next-line Regex: an entity-tag has quotes only at its ends (RFC 9110 8.8.3, etagc excludes DQUOTE), so anchoring one end changes nothing
  const key = blobTriggerKey({ FunctionId: functionId, ContainerName: object.bucket, BlobName: object.key, ETag: `"${etag.replace(/^"|"$/g, '')}"` });
  const settled = delivery.blobHost.listener.track(key, {
    maxAttempts: delivery.maxAttempts,
    duplicate: delivery.duplicate,
  });
  const path = `${BLOBS_WEBHOOK_PATH}?functionName=${encodeURIComponent(functionId)}&code=${encodeURIComponent(delivery.systemKey)}`;
  const pushed = await pushToWebhook(delivery.post, path, event, EVENT_GRID_MAX_DELIVERY_ATTEMPTS, delivery.eventGridTimeoutMs ?? EVENT_GRID_RESPONSE_TIMEOUT_MS);
  if (!pushed.ok) {
    // Nothing reached the host: Event Grid dead-letters the event (to the subscription's dead-letter container).
    host.deadLetter({ functionName: fn.name, place: 'eventgrid-deadletter', id: String(event.id), attempts: pushed.attempts, reason: pushed.reason });
    delivery.blobHost.listener.forget(key);
    return { attempts: 0, outcome: 'dead-lettered' };
  }
  return settled;
}

export async function deliverBlobDeleted(
  host: EventHost,
  fn: RegisteredFunction,
  object: { bucket: string; key: string; contentType?: string },
  maxAttempts: number,
  options: EventGridDeliveryOptions = {},
): Promise<Outcome> {
  const { rest, endpoints } = await host.storage();
  await rest.deleteBlob(object.bucket, object.key);
  const event = blobDeletedEvent(
    { container: object.bucket, key: object.key, url: `${endpoints.blob}/${object.bucket}/${encodeBlobPath(object.key)}`, contentType: object.contentType },
    new Date(),
  );
  return deliverEventGrid(host, fn, event, maxAttempts, options);
}

