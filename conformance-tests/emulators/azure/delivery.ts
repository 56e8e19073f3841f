/**
 * Event delivery the way the Functions host's trigger listeners do it, around the emulated worker.
 *
 * Real (through Azurite, Microsoft's storage emulator):
 * - Storage queue: messages are put base64-encoded (the host's default `messageEncoding`). A listener per function
 *   polls Get Messages for `batchSize` messages (host.json, default 16) under a 10-minute lease and runs them
 *   concurrently; once the number still running drops to `newBatchThreshold` (default batchSize / 2) it fetches the
 *   next batch, as the WebJobs QueueListener's WaitForNewBatchThreshold does. Success deletes the message; failure
 *   makes it visible again after `visibilityTimeout` (default 0); once a failed message's DequeueCount reached
 *   `maxDequeueCount` (default 5) it is copied to `<queue>-poison` and deleted. Azurite counts DequeueCount, so
 *   deliveryCount is the storage service's own.
 * - Blob created (the Event Grid source, the only one Flex Consumption runs): the blob is written to Azurite; the
 *   emulated Event Grid POSTs a `Microsoft.Storage.BlobCreated` event (Event Grid schema) to the host's blobs
 *   extension webhook `/runtime/webhooks/blobs?functionName=Host.Functions.<name>&code=<blobs_extension key>`, as the
 *   subscription deploy.sh creates does; the host answers 202 after writing a BlobTriggerMessage to its shared queue
 *   `azure-webjobs-blobtrigger-<hostId>`, whose listener (the same queue rules and host.json `queues` settings) reads
 *   the blob and invokes the trigger, and after `maxDequeueCount` failures moves the message to
 *   `webjobs-blobtrigger-poison` (Azure/azure-sdk-for-net sdk/storage/Microsoft.Azure.WebJobs.Extensions.Storage.Blobs
 *   src/Config/BlobsExtensionConfigProvider.cs ProcessEventsAsync, Listeners/SharedBlobQueueListenerFactory.cs,
 *   Listeners/BlobQueueTriggerExecutor.cs: a blob that no longer exists is skipped).
 * - Blob deleted: the blob is deleted in Azurite and a Microsoft.Storage.BlobDeleted event (Event Grid schema)
 *   goes to the `<name>-deleted` Event Grid function.
 * Simulated (no emulator for these exists here; the platforms' retry rules are reproduced):
 * - Service Bus: redelivered with DeliveryCount+1 until MaxDeliveryCount, then dead-lettered (kept in `deadLetters`).
 * - Event Grid: a delivery fails when the function fails or does not answer within 30 s (Event Grid then retries
 *   while the first run may still go on); retried until maxAttempts, then dead-lettered (kept in `deadLetters`).
 * - Timer: one invocation per tick and no retry unless maxAttempts says so; a failed tick is "dead-lettered".
 * A worker crash fails every invocation in flight; the host starts a new worker and the retry rules apply.
 *
 * At-least-once (`DuplicatePolicy`): a message handled successfully is delivered once more, the way the platform's
 * duplicate arrives: a queue message (and the shared blob queue's) is made visible again instead of deleted, as
 * after a lease that ran out, so it comes back with the same id and DequeueCount + 1; a Service Bus message comes
 * back with the same MessageId and DeliveryCount + 1; an Event Grid event is sent again with the same id.
 */
import { randomUUID } from 'node:crypto';
import type { CloudEvent } from '../../../core/types.js';
import type { AzuriteEndpoints } from './azurite.js';
import type { RegisteredFunction, RpcInvocationRequest } from './protocol.js';
import { encodeBlobPath, StorageRequestError, type ReceivedQueueMessage, type StorageRest } from './storage-rest.js';
import type { QueueSettings } from './app-config.js';
import {
  blobDeletedEvent,
  blobTrigger,
  dotnetDate,
  eventGridTrigger,
  queueTrigger,
  serviceBusTrigger,
  timerTrigger,
  toEventInvocationRequest,
  triggerBinding,
  type TimerTick,
  type TriggerMetadata,
} from './triggers.js';
import type { RpcTypedData } from './protocol.js';

export type Outcome = { attempts: number; outcome: 'acked' | 'dead-lettered'; duplicates?: number };

export type InvokeResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** What delivery needs from the emulated host. */
export interface EventHost {
  invoke(fn: RegisteredFunction, request: RpcInvocationRequest): Promise<InvokeResult>;
  storage(): Promise<{ rest: StorageRest; endpoints: AzuriteEndpoints }>;
  deadLetter(entry: DeadLetter): void;
  warn(message: string): void;
}

/** A message or event given up on, and where the platform would keep it. */
export interface DeadLetter {
  readonly functionName: string;
  /** `<queue>-poison`, `webjobs-blobtrigger-poison`, `<topic>/Subscriptions/<sub>/$DeadLetterQueue`, ... */
  readonly place: string;
  readonly id: string;
  readonly attempts: number;
  readonly reason: string;
}

/** Whether a handled message is delivered once more (at-least-once mode); drawn once per message. */
export type DuplicateDraw = () => boolean;
const never: DuplicateDraw = () => false;

export const BLOB_POISON_QUEUE = 'webjobs-blobtrigger-poison';
/** The host's lease on a message while it runs (the WebJobs QueueListener's visibility timeout while processing). */
const QUEUE_LEASE_SECONDS = 600;
/** The host backs off to `maxPollingInterval` (1 min; 2 s against the emulator); the emulator polls fast. */
const QUEUE_POLL_MS = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const bytesOf = (body: string | Uint8Array): Uint8Array => (typeof body === 'string' ? new TextEncoder().encode(body) : body);
const base64 = (text: string) => Buffer.from(text).toString('base64');

async function invokeWith(host: EventHost, fn: RegisteredFunction, trigger: { data: RpcTypedData; triggerMetadata: TriggerMetadata }, retry?: { retryCount: number; maxRetryCount: number }) {
  return host.invoke(fn, toEventInvocationRequest({ invocationId: randomUUID(), fn, data: trigger.data, triggerMetadata: trigger.triggerMetadata, retry }));
}

// ---- Storage queue listener (a function's queue, and the host's shared blob trigger queue) -----------------------

/** The Queue service calls a listener makes (StorageRest; a fake in unit tests). */
export type QueueService = Pick<StorageRest, 'createQueue' | 'putMessage' | 'getMessages' | 'deleteMessage' | 'releaseMessage'>;

interface Tracker {
  readonly maxAttempts: number;
  readonly duplicate: DuplicateDraw;
  attempts: number;
  /** 0 before the first success; then the number of extra deliveries asked for. */
  duplicates: number;
  handled: boolean;
  resolve(outcome: Outcome): void;
  reject(error: Error): void;
}

/** What one queue message is for: the key of the delivery waiting on it, and how to run it. */
export interface QueueMessageHandler {
  /** The delivery a message belongs to (see `QueueListener.track`); undefined for messages nobody waits on. */
  keyOf(message: ReceivedQueueMessage): string | undefined;
  /** Runs the message once; `skipped` settles it as handled without a run (e.g. its blob is gone). */
  run(message: ReceivedQueueMessage): Promise<InvokeResult | { readonly ok: true; readonly skipped: true }>;
  /** The function and message id to record when the message is poisoned. */
  describe(message: ReceivedQueueMessage): { functionName: string; id: string };
}

export interface QueueListenerInit {
  readonly host: EventHost;
  readonly queue: string;
  readonly poisonQueue: string;
  readonly settings: QueueSettings;
  readonly handler: QueueMessageHandler;
  readonly pollMs?: number;
}

/** A queue listener as the WebJobs storage extension runs one, while it has deliveries to settle. */
export class QueueListener {
  readonly #pending = new Map<string, Tracker>();
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(private readonly init: QueueListenerInit) {}

  get queue(): string {
    return this.init.queue;
  }

  /** Waits for the delivery `key`: acked, or poisoned after `maxAttempts` (default host.json maxDequeueCount). */
  track(key: string, options: { maxAttempts?: number | undefined; duplicate?: DuplicateDraw | undefined } = {}): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) =>
      this.#pending.set(key, {
        maxAttempts: options.maxAttempts ?? this.init.settings.maxDequeueCount,
        duplicate: options.duplicate ?? never,
        attempts: 0,
        duplicates: 0,
        handled: false,
        resolve,
        reject,
      }),
    );
  }

  /** Stops waiting for a delivery that will not come (its tracker is dropped unsettled). */
  forget(key: string): void {
    this.#pending.delete(key);
  }

  /** Starts polling if it is not running (call after putting messages someone tracks). */
  async wake(): Promise<void> {
    if (this.#running || this.#pending.size === 0) return;
    const { rest } = await this.init.host.storage();
    this.#running ??= this.#poll(rest).finally(() => (this.#running = undefined));
  }

  stop(): void {
    this.#stopped = true;
    for (const tracker of this.#pending.values()) tracker.reject(new Error('the emulator stopped before the message settled'));
    this.#pending.clear();
  }

  async #poll(rest: QueueService): Promise<void> {
    const { batchSize, newBatchThreshold } = this.init.settings;
    const running = new Set<Promise<void>>();
    while (this.#pending.size > 0 && !this.#stopped) {
      // The host fetches the next batch only once the messages still running are down to newBatchThreshold.
      if (running.size > newBatchThreshold) {
        await Promise.race(running);
        continue;
      }
      let batch: ReceivedQueueMessage[];
      try {
        batch = await rest.getMessages(this.init.queue, batchSize, QUEUE_LEASE_SECONDS);
      } catch (error) {
        for (const tracker of this.#pending.values()) tracker.reject(error as Error);
        this.#pending.clear();
        break;
      }
      if (batch.length === 0) {
        await Promise.race([sleep(this.init.pollMs ?? QUEUE_POLL_MS), ...running]);
        continue;
      }
      for (const message of batch) {
        const run: Promise<void> = this.#process(rest, message).finally(() => running.delete(run));
        running.add(run);
      }
    }
    await Promise.all(running);
  }

  async #process(rest: QueueService, message: ReceivedQueueMessage): Promise<void> {
    const { handler, settings, queue } = this.init;
    const key = handler.keyOf(message);
    const tracker = key === undefined ? undefined : this.#pending.get(key);
    const maxDequeueCount = tracker?.maxAttempts ?? settings.maxDequeueCount;
    try {
      // A message dequeued more often than allowed (e.g. leases that expired) is poisoned without a run.
      if (message.dequeueCount > maxDequeueCount) {
        await this.#poison(rest, message, key, 'dequeued more often than maxDequeueCount');
        return;
      }
      const result = await handler.run(message);
      if (tracker && !tracker.handled) tracker.attempts = message.dequeueCount;
      if (result.ok) {
        if (tracker && !tracker.handled) {
          tracker.handled = true;
          if (tracker.duplicate()) {
            // At-least-once: leave the message to come back, as after a lease that ran out before the delete.
            tracker.duplicates += 1;
            await rest.releaseMessage(queue, message.id, message.popReceipt, 0);
            return;
          }
        }
        await rest.deleteMessage(queue, message.id, message.popReceipt);
        this.#settle(key, 'acked');
      } else if (message.dequeueCount >= maxDequeueCount) {
        await this.#poison(rest, message, key, result.reason);
      } else {
        await rest.releaseMessage(queue, message.id, message.popReceipt, Math.floor(settings.visibilityTimeoutMs / 1000));
      }
    } catch (error) {
      if (error instanceof StorageRequestError && error.status === 404) return; // already gone
      this.init.host.warn(`queue listener of ${queue}: ${(error as Error).message}`);
      if (key !== undefined) {
        this.#pending.get(key)?.reject(error as Error);
        this.#pending.delete(key);
      }
    }
  }

  async #poison(rest: QueueService, message: ReceivedQueueMessage, key: string | undefined, reason: string): Promise<void> {
    const { poisonQueue, queue, handler, host } = this.init;
    await rest.createQueue(poisonQueue);
    await rest.putMessage(poisonQueue, message.text);
    await rest.deleteMessage(queue, message.id, message.popReceipt);
    host.deadLetter({ ...handler.describe(message), place: poisonQueue, attempts: message.dequeueCount, reason });
    this.#settle(key, 'dead-lettered');
  }

  #settle(key: string | undefined, outcome: Outcome['outcome']): void {
    const tracker = key === undefined ? undefined : this.#pending.get(key);
    if (!tracker || key === undefined) return;
    this.#pending.delete(key);
    tracker.resolve({ attempts: tracker.attempts, outcome, ...(tracker.duplicates > 0 ? { duplicates: tracker.duplicates } : {}) });
  }
}

/** A queue trigger function's listener: messages are tracked by their id. */
export function functionQueueListener(host: EventHost, fn: RegisteredFunction, settings: QueueSettings): QueueListener & { deliver: FunctionQueueDeliver } {
  const name = triggerBinding(fn).queueName;
  if (typeof name !== 'string' || name === '') throw new Error(`function "${fn.name}" has a queue trigger without queueName`);
  const queue = name.toLowerCase();
  const listener = new QueueListener({
    host,
    queue,
    poisonQueue: `${queue}-poison`,
    settings,
    handler: {
      keyOf: (message) => message.id,
      run: (message) => invokeWith(host, fn, queueTrigger(fn, { ...message, body: new Uint8Array(Buffer.from(message.text, 'base64')) }, new Date())),
      describe: (message) => ({ functionName: fn.name, id: message.id }),
    },
  });
  const deliver: FunctionQueueDeliver = async (messages, maxAttempts, duplicate) => {
    const { rest } = await host.storage();
    await rest.createQueue(queue);
    const settled: Promise<Outcome>[] = [];
    for (const message of messages) {
      const { id } = await rest.putMessage(queue, Buffer.from(bytesOf(message.body)).toString('base64'));
      settled.push(listener.track(id, { maxAttempts, duplicate }));
    }
    await listener.wake();
    return Promise.all(settled);
  };
  return Object.assign(listener, { deliver });
}

export type FunctionQueueDeliver = (messages: readonly { body: string | Uint8Array }[], maxAttempts: number, duplicate?: DuplicateDraw) => Promise<Outcome[]>;

// ---- Retry loop of the simulated triggers ----------------------------------------------------------------------

async function retrying(maxAttempts: number, attempt: (n: number) => Promise<InvokeResult>, onDeadLetter: (attempts: number, reason: string) => Promise<void> | void): Promise<Outcome> {
  let reason = '';
  for (let n = 1; n <= maxAttempts; n++) {
    const result = await attempt(n);
    if (result.ok) return { attempts: n, outcome: 'acked' };
    reason = result.reason;
  }
  await onDeadLetter(maxAttempts, reason);
  return { attempts: maxAttempts, outcome: 'dead-lettered' };
}

/** At-least-once for the simulated triggers: after a success, one more delivery of the same message. */
async function withDuplicate(outcome: Outcome, duplicate: DuplicateDraw, again: (attemptsSoFar: number) => Promise<Outcome>): Promise<Outcome> {
  if (outcome.outcome !== 'acked' || !duplicate()) return outcome;
  const second = await again(outcome.attempts);
  return { attempts: outcome.attempts, outcome: second.outcome, duplicates: 1 };
}

// ---- Service Bus (simulated) ------------------------------------------------------------------------------------

let sequence = 0;

export async function deliverServiceBus(
  host: EventHost,
  fn: RegisteredFunction,
  messages: readonly { body: string | Uint8Array; attributes?: Record<string, string> }[],
  maxAttempts: number,
  duplicate: DuplicateDraw = never,
): Promise<Outcome[]> {
  const binding = triggerBinding(fn);
  const place = `${String(binding.topicName)}/Subscriptions/${String(binding.subscriptionName)}/$DeadLetterQueue`;
  // Service Bus hands messages to the trigger concurrently; each settles on its own.
  return Promise.all(
    messages.map(async (message) => {
      const state = { messageId: randomUUID().replace(/-/g, ''), sequenceNumber: ++sequence, enqueuedTime: new Date(), body: bytesOf(message.body), applicationProperties: message.attributes ?? {} };
      const deliverFrom = (first: number) =>
        retrying(
          maxAttempts,
          (n) => invokeWith(host, fn, serviceBusTrigger(fn, { ...state, deliveryCount: first + n - 1, lockToken: randomUUID() }, new Date())),
          (attempts, reason) => host.deadLetter({ functionName: fn.name, place, id: state.messageId, attempts, reason }),
        );
      // A duplicate is the same message (same MessageId) delivered again, its DeliveryCount one higher.
      return withDuplicate(await deliverFrom(1), duplicate, (sofar) => deliverFrom(sofar + 1));
    }),
  );
}

// ---- Blobs: Azurite, the emulated Event Grid, the host's blobs webhook and shared queue ------------------------------

/** The host's id names its shared blob trigger queue (`azure-webjobs-blobtrigger-<hostId>`); the emulator's is fixed. */
export const EMULATOR_HOST_ID = 'faasport-emulator';
export const BLOB_TRIGGER_QUEUE = `azure-webjobs-blobtrigger-${EMULATOR_HOST_ID}`;
/** The blobs extension's webhook path; the function is named `Host.Functions.<name>` in `functionName`. */
export const BLOBS_WEBHOOK_PATH = '/runtime/webhooks/blobs';
/**
 * Event Grid waits 30 s for an endpoint to answer; no answer by then is a failed delivery, which Event Grid retries
 * (https://learn.microsoft.com/azure/event-grid/delivery-and-retry: it waits 30 seconds for a response after
 * delivering a message, then queues the message for retry).
 */
export const EVENT_GRID_RESPONSE_TIMEOUT_MS = 30_000;
/** Event Grid's default maximum number of delivery attempts (same page). */
export const EVENT_GRID_MAX_DELIVERY_ATTEMPTS = 30;
/** Status codes Event Grid takes as delivered (same page, "Success codes"). */
const EVENT_GRID_SUCCESS = new Set([200, 201, 202, 203, 204]);

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
    return value as BlobTriggerMessage;
  } catch {
    return undefined;
  }
}

/** Microsoft.Storage.BlobCreated in the Event Grid schema, as a storage account's system topic sends it. */
export function blobCreatedEvent(
  blob: { container: string; key: string; url: string; contentType: string | undefined; contentLength: number; etag: string },
  now: Date,
): Record<string, unknown> {
  return {
    topic: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/faasport/providers/Microsoft.Storage/storageAccounts/devstoreaccount1',
    subject: `/blobServices/default/containers/${blob.container}/blobs/${blob.key}`,
    eventType: 'Microsoft.Storage.BlobCreated',
    id: randomUUID(),
    data: {
      api: 'PutBlob',
      clientRequestId: randomUUID(),
      requestId: randomUUID(),
      // The event carries the ETag without quotes; the host quotes it again in the BlobTriggerMessage.
      eTag: blob.etag.replace(/^"|"$/g, ''),
      contentType: blob.contentType ?? 'application/octet-stream',
      contentLength: blob.contentLength,
      blobType: 'BlockBlob',
      url: blob.url,
      sequencer: now.getTime().toString(16).padStart(32, '0'),
      storageDiagnostics: { batchId: randomUUID() },
    },
    dataVersion: '',
    metadataVersion: '1',
    eventTime: dotnetDate(now, 'utc'),
  };
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
      const where = blobOfUrl(String(event.data?.url ?? ''));
      if (!where) return { status: 400 };
      const message: BlobTriggerMessage = {
        Type: 'BlobTrigger',
        FunctionId: functionName,
        BlobType: String(event.data?.blobType ?? 'BlockBlob') as BlobTriggerMessage['BlobType'],
        ContainerName: where.container,
        BlobName: where.blob,
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
    if (!fn) return { ok: true, skipped: true };
    const { rest, endpoints } = await this.host.storage();
    let blob: Awaited<ReturnType<StorageRest['getBlob']>>;
    try {
      blob = await rest.getBlob(parsed.ContainerName, parsed.BlobName);
    } catch (error) {
      if (error instanceof StorageRequestError && error.status === 404) return { ok: true, skipped: true };
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
  let reason = '';
  for (let n = 1; n <= maxAttempts; n++) {
    try {
      const status = await post(pathAndQuery, { 'content-type': 'application/json', 'aeg-event-type': 'Notification' }, JSON.stringify([event]), AbortSignal.timeout(timeoutMs));
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

// ---- Event Grid and timer (simulated) -----------------------------------------------------------------------------

export interface EventGridDeliveryOptions {
  readonly duplicate?: DuplicateDraw | undefined;
  /** How long Event Grid waits for the function's answer (30 s). */
  readonly responseTimeoutMs?: number | undefined;
}

/**
 * Event Grid to an Event Grid trigger: the host answers when the function finished. A failure, or no answer within
 * 30 s, is a failed delivery that Event Grid retries; a run that outlives the 30 s goes on, so the function may
 * run twice (the first run's result is then ignored, as Event Grid stopped waiting for it).
 */
export function deliverEventGrid(host: EventHost, fn: RegisteredFunction, event: Record<string, unknown> | CloudEvent, maxAttempts: number, options: EventGridDeliveryOptions = {}): Promise<Outcome> {
  const timeoutMs = options.responseTimeoutMs ?? EVENT_GRID_RESPONSE_TIMEOUT_MS;
  const once = async (): Promise<InvokeResult> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<InvokeResult>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, reason: `no answer within ${timeoutMs} ms: Event Grid retries the delivery` }), timeoutMs);
    });
    try {
      return await Promise.race([invokeWith(host, fn, eventGridTrigger(fn, event, new Date())), late]);
    } finally {
      clearTimeout(timer);
    }
  };
  const deliver = (limit: number) =>
    retrying(limit, once, (attempts, reason) => host.deadLetter({ functionName: fn.name, place: 'eventgrid-deadletter', id: String(event.id), attempts, reason }));
  return deliver(maxAttempts).then((outcome) => withDuplicate(outcome, options.duplicate ?? never, () => deliver(maxAttempts)));
}

/** CloudEvents in structured JSON: bytes data travels as `data_base64`. */
export function structuredCloudEvent(event: CloudEvent): Record<string, unknown> {
  const { data, ...rest } = event;
  if (data instanceof Uint8Array) return { ...rest, data_base64: Buffer.from(data).toString('base64') };
  return data === undefined ? rest : { ...rest, data };
}

/**
 * The timer listener's memory of one function's schedule (TimerListener + ScheduleMonitor in
 * Azure/azure-webjobs-sdk-extensions src/WebJobs.Extensions/Extensions/Timers/Listener/TimerListener.cs): the status
 * stored at the last invocation, which the next TimerInfo carries.
 */
export class TimerSchedules {
  readonly #last = new Map<string, Date>();
  constructor(private readonly hostStartedAt: Date) {}

  /**
   * The tick for `scheduledTime`, fired at `now`. IsPastDue is set only for the invocation the host makes at start
   * for an occurrence it missed while it was not running, so: a tick scheduled before this host started. A late
   * regular tick is not past due. ScheduleStatus is the status before this invocation: Next is the occurrence being
   * fired; Last and LastUpdated the previous invocation's time (the scheduled time when it fired early), or
   * DateTime's default when none was stored (a new app's storage).
   */
  tick(fn: string, scheduledTime: Date, now: Date): TimerTick {
    const last = this.#last.get(fn);
    const isPastDue = scheduledTime.getTime() < this.hostStartedAt.getTime();
    // TimerListener.InvokeJobFunction: an early regular invocation is recorded at the scheduled time.
    this.#last.set(fn, !isPastDue && scheduledTime.getTime() > now.getTime() ? scheduledTime : now);
    return { scheduledTime, last, isPastDue };
  }
}

export function deliverTimer(host: EventHost, fn: RegisteredFunction, scheduledTime: Date, maxAttempts: number, schedules: TimerSchedules): Promise<Outcome> {
  return retrying(
    maxAttempts,
    (n) => {
      const now = new Date();
      return invokeWith(host, fn, timerTrigger(fn, schedules.tick(fn.name, scheduledTime, now), now), maxAttempts > 1 ? { retryCount: n - 1, maxRetryCount: maxAttempts - 1 } : undefined);
    },
    (attempts, reason) => host.deadLetter({ functionName: fn.name, place: 'timer (tick dropped)', id: scheduledTime.toISOString(), attempts, reason }),
  );
}
