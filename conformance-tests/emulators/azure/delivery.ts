/**
 * Event delivery the way the Functions host's trigger listeners do it, around the emulated worker.
 *
 * Real (through Azurite, Microsoft's storage emulator):
 * - Storage queue: messages are put base64-encoded (the host's default `messageEncoding`); a listener per
 *   function polls Get Messages (batch of 16, leased), invokes each message concurrently, deletes it on
 *   success, releases it (visibility 0, the host's default `visibilityTimeout`) on failure, and once a failed
 *   message's DequeueCount reached maxDequeueCount copies it to `<queue>-poison` and deletes it. Azurite counts
 *   DequeueCount, so deliveryCount is the storage service's own.
 * - Blob created: the blob is written to Azurite, then the blob trigger is invoked with its content and
 *   properties; a failure is retried up to maxAttempts (the host: 5), then a poison message goes to the
 *   `webjobs-blobtrigger-poison` queue, as the host writes it.
 * - Blob deleted: the blob is deleted in Azurite and a Microsoft.Storage.BlobDeleted event (Event Grid schema)
 *   goes to the `<name>-deleted` Event Grid function.
 * Simulated (no emulator for these exists here; the host's retry rules are reproduced):
 * - Service Bus: redelivered with DeliveryCount+1 until MaxDeliveryCount, then dead-lettered (kept in `deadLetters`).
 * - Event Grid: retried until maxAttempts, then dead-lettered (kept in `deadLetters`).
 * - Timer: one invocation per tick and no retry unless maxAttempts says so; a failed tick is "dead-lettered".
 * A worker crash fails every invocation in flight; the host starts a new worker and the retry rules apply.
 */
import { randomUUID } from 'node:crypto';
import type { CloudEvent } from '../../../core/types.js';
import type { AzuriteEndpoints } from './azurite.js';
import type { RegisteredFunction, RpcInvocationRequest } from './protocol.js';
import { encodeBlobPath, StorageRequestError, type ReceivedQueueMessage, type StorageRest } from './storage-rest.js';
import {
  blobDeletedEvent,
  blobTrigger,
  eventGridTrigger,
  queueTrigger,
  serviceBusTrigger,
  timerTrigger,
  toEventInvocationRequest,
  triggerBinding,
  type TriggerMetadata,
} from './triggers.js';
import type { RpcTypedData } from './protocol.js';

export type Outcome = { attempts: number; outcome: 'acked' | 'dead-lettered' };

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

export const BLOB_POISON_QUEUE = 'webjobs-blobtrigger-poison';
/** The host's queue batch size and lease (visibility while processing). */
const QUEUE_BATCH = 16;
const QUEUE_LEASE_SECONDS = 600;
/** The host backs off to `maxPollingInterval` (1 min; 2 s against the emulator); the emulator polls fast. */
const QUEUE_POLL_MS = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const bytesOf = (body: string | Uint8Array): Uint8Array => (typeof body === 'string' ? new TextEncoder().encode(body) : body);

async function invokeWith(host: EventHost, fn: RegisteredFunction, trigger: { data: RpcTypedData; triggerMetadata: TriggerMetadata }, retry?: { retryCount: number; maxRetryCount: number }) {
  return host.invoke(fn, toEventInvocationRequest({ invocationId: randomUUID(), fn, data: trigger.data, triggerMetadata: trigger.triggerMetadata, retry }));
}

// ---- Storage queue -------------------------------------------------------------------------------------------

interface Tracker {
  readonly maxAttempts: number;
  attempts: number;
  resolve(outcome: Outcome): void;
  reject(error: Error): void;
}

/** One function's queue listener, running while it has messages to settle. */
export class QueueListener {
  readonly #pending = new Map<string, Tracker>();
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(
    private readonly host: EventHost,
    private readonly fn: RegisteredFunction,
    /** For messages the emulator did not put (foreign ones): host.json maxDequeueCount. */
    private readonly defaultMaxDequeueCount: number,
  ) {}

  get queue(): string {
    const name = triggerBinding(this.fn).queueName;
    if (typeof name !== 'string' || name === '') throw new Error(`function "${this.fn.name}" has a queue trigger without queueName`);
    return name.toLowerCase();
  }

  async deliver(messages: readonly { body: string | Uint8Array }[], maxAttempts: number): Promise<Outcome[]> {
    const { rest } = await this.host.storage();
    await rest.createQueue(this.queue);
    const settled: Promise<Outcome>[] = [];
    for (const message of messages) {
      const text = Buffer.from(bytesOf(message.body)).toString('base64');
      const { id } = await rest.putMessage(this.queue, text);
      settled.push(new Promise<Outcome>((resolve, reject) => this.#pending.set(id, { maxAttempts, attempts: 0, resolve, reject })));
    }
    this.#running ??= this.#poll(rest).finally(() => (this.#running = undefined));
    return Promise.all(settled);
  }

  stop(): void {
    this.#stopped = true;
    for (const tracker of this.#pending.values()) tracker.reject(new Error('the emulator stopped before the message settled'));
    this.#pending.clear();
  }

  async #poll(rest: StorageRest): Promise<void> {
    while (this.#pending.size > 0 && !this.#stopped) {
      let batch: ReceivedQueueMessage[];
      try {
        batch = await rest.getMessages(this.queue, QUEUE_BATCH, QUEUE_LEASE_SECONDS);
      } catch (error) {
        for (const tracker of this.#pending.values()) tracker.reject(error as Error);
        this.#pending.clear();
        return;
      }
      if (batch.length === 0) {
        await sleep(QUEUE_POLL_MS);
        continue;
      }
      await Promise.all(batch.map((message) => this.#process(rest, message)));
    }
  }

  async #process(rest: StorageRest, message: ReceivedQueueMessage): Promise<void> {
    const tracker = this.#pending.get(message.id);
    const maxDequeueCount = tracker?.maxAttempts ?? this.defaultMaxDequeueCount;
    try {
      // A message dequeued more often than allowed (e.g. leases that expired) is poisoned without a run.
      if (message.dequeueCount > maxDequeueCount) {
        await this.#poison(rest, message, 'dequeued more often than maxDequeueCount');
        return;
      }
      const body = new Uint8Array(Buffer.from(message.text, 'base64'));
      const result = await invokeWith(this.host, this.fn, queueTrigger(this.fn, { ...message, body }, new Date()));
      if (tracker) tracker.attempts = message.dequeueCount;
      if (result.ok) {
        await rest.deleteMessage(this.queue, message.id, message.popReceipt);
        this.#settle(message.id, 'acked');
      } else if (message.dequeueCount >= maxDequeueCount) {
        await this.#poison(rest, message, result.reason);
      } else {
        await rest.releaseMessage(this.queue, message.id, message.popReceipt, 0);
      }
    } catch (error) {
      if (error instanceof StorageRequestError && error.status === 404) return; // already gone
      this.host.warn(`queue listener of ${this.fn.name}: ${(error as Error).message}`);
      this.#pending.get(message.id)?.reject(error as Error);
      this.#pending.delete(message.id);
    }
  }

  async #poison(rest: StorageRest, message: ReceivedQueueMessage, reason: string): Promise<void> {
    const poison = `${this.queue}-poison`;
    await rest.createQueue(poison);
    await rest.putMessage(poison, message.text);
    await rest.deleteMessage(this.queue, message.id, message.popReceipt);
    this.host.deadLetter({ functionName: this.fn.name, place: poison, id: message.id, attempts: message.dequeueCount, reason });
    this.#settle(message.id, 'dead-lettered');
  }

  #settle(id: string, outcome: Outcome['outcome']): void {
    const tracker = this.#pending.get(id);
    if (!tracker) return;
    this.#pending.delete(id);
    tracker.resolve({ attempts: tracker.attempts, outcome });
  }
}

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

// ---- Service Bus (simulated) ------------------------------------------------------------------------------------

let sequence = 0;

export async function deliverServiceBus(
  host: EventHost,
  fn: RegisteredFunction,
  messages: readonly { body: string | Uint8Array; attributes?: Record<string, string> }[],
  maxAttempts: number,
): Promise<Outcome[]> {
  const binding = triggerBinding(fn);
  const place = `${String(binding.topicName)}/Subscriptions/${String(binding.subscriptionName)}/$DeadLetterQueue`;
  // Service Bus hands messages to the trigger concurrently; each settles on its own.
  return Promise.all(
    messages.map((message) => {
      const state = { messageId: randomUUID().replace(/-/g, ''), sequenceNumber: ++sequence, enqueuedTime: new Date(), body: bytesOf(message.body), applicationProperties: message.attributes ?? {} };
      return retrying(
        maxAttempts,
        (n) => invokeWith(host, fn, serviceBusTrigger(fn, { ...state, deliveryCount: n, lockToken: randomUUID() }, new Date())),
        (attempts, reason) => host.deadLetter({ functionName: fn.name, place, id: state.messageId, attempts, reason }),
      );
    }),
  );
}

// ---- Blobs (Azurite) ----------------------------------------------------------------------------------------------

export async function deliverBlobCreated(
  host: EventHost,
  fn: RegisteredFunction,
  object: { bucket: string; key: string; body?: string | Uint8Array; contentType?: string },
  maxAttempts: number,
): Promise<Outcome> {
  const { rest, endpoints } = await host.storage();
  await rest.createContainer(object.bucket);
  await rest.putBlob(object.bucket, object.key, bytesOf(object.body ?? ''), object.contentType);
  const url = `${endpoints.blob}/${object.bucket}/${encodeBlobPath(object.key)}`;
  let etag: string | undefined;
  return retrying(
    maxAttempts,
    async () => {
      // Each attempt reads the blob again, as the host binds it anew.
      const { body, properties } = await rest.getBlob(object.bucket, object.key);
      etag = properties.etag;
      const now = new Date();
      const state = {
        container: object.bucket,
        key: object.key,
        url,
        body,
        contentType: properties.contentType,
        etag: properties.etag,
        lastModified: properties.lastModified ?? now,
        createdOn: properties.createdOn ?? properties.lastModified ?? now,
      };
      return invokeWith(host, fn, blobTrigger(fn, state, now));
    },
    async (attempts, reason) => {
      await rest.createQueue(BLOB_POISON_QUEUE);
      const poison = { Type: 'BlobTrigger', FunctionId: `Host.Functions.${fn.name}`, BlobType: 'BlockBlob', ContainerName: object.bucket, BlobName: object.key, ETag: etag };
      await rest.putMessage(BLOB_POISON_QUEUE, Buffer.from(JSON.stringify(poison)).toString('base64'));
      host.deadLetter({ functionName: fn.name, place: BLOB_POISON_QUEUE, id: `${object.bucket}/${object.key}`, attempts, reason });
    },
  );
}

export async function deliverBlobDeleted(
  host: EventHost,
  fn: RegisteredFunction,
  object: { bucket: string; key: string; contentType?: string },
  maxAttempts: number,
): Promise<Outcome> {
  const { rest, endpoints } = await host.storage();
  await rest.deleteBlob(object.bucket, object.key);
  const event = blobDeletedEvent(
    { container: object.bucket, key: object.key, url: `${endpoints.blob}/${object.bucket}/${encodeBlobPath(object.key)}`, contentType: object.contentType },
    new Date(),
  );
  return deliverEventGrid(host, fn, event, maxAttempts);
}

// ---- Event Grid and timer (simulated) -----------------------------------------------------------------------------

export function deliverEventGrid(host: EventHost, fn: RegisteredFunction, event: Record<string, unknown> | CloudEvent, maxAttempts: number): Promise<Outcome> {
  return retrying(
    maxAttempts,
    () => invokeWith(host, fn, eventGridTrigger(fn, event, new Date())),
    (attempts, reason) => host.deadLetter({ functionName: fn.name, place: 'eventgrid-deadletter', id: String(event.id), attempts, reason }),
  );
}

/** CloudEvents in structured JSON: bytes data travels as `data_base64`. */
export function structuredCloudEvent(event: CloudEvent): Record<string, unknown> {
  const { data, ...rest } = event;
  if (data instanceof Uint8Array) return { ...rest, data_base64: Buffer.from(data).toString('base64') };
  return data === undefined ? rest : { ...rest, data };
}

export function deliverTimer(host: EventHost, fn: RegisteredFunction, scheduledTime: Date, maxAttempts: number): Promise<Outcome> {
  return retrying(
    maxAttempts,
    (n) => invokeWith(host, fn, timerTrigger(fn, scheduledTime, new Date()), maxAttempts > 1 ? { retryCount: n - 1, maxRetryCount: maxAttempts - 1 } : undefined),
    (attempts, reason) => host.deadLetter({ functionName: fn.name, place: 'timer (tick dropped)', id: scheduledTime.toISOString(), attempts, reason }),
  );
}
