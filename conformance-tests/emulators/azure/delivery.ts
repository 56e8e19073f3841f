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
import { StorageRequestError, type ReceivedQueueMessage, type StorageRest } from './storage-rest.js';
import type { QueueSettings } from './app-config.js';
import {
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
export const never: DuplicateDraw = () => false;

export const BLOB_POISON_QUEUE = 'webjobs-blobtrigger-poison';
/** The host's lease on a message while it runs (the WebJobs QueueListener's visibility timeout while processing). */
const QUEUE_LEASE_SECONDS = 600;
/** The host backs off to `maxPollingInterval` (1 min; 2 s against the emulator); the emulator polls fast. */
const QUEUE_POLL_MS = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const bytesOf = (body: string | Uint8Array): Uint8Array => (typeof body === 'string' ? new TextEncoder().encode(body) : body);
export const base64 = (text: string) => Buffer.from(text).toString('base64');

export async function invokeWith(host: EventHost, fn: RegisteredFunction, trigger: { data: RpcTypedData; triggerMetadata: TriggerMetadata }, retry?: { retryCount: number; maxRetryCount: number }) {
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
    // A delivery tracked while the last runs finish finds this poll still running (wake does nothing): poll on for it.
    do {
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
    } while (this.#pending.size > 0 && !this.#stopped);
  }

  async #process(rest: QueueService, message: ReceivedQueueMessage): Promise<void> {
    const { handler, settings, queue } = this.init;
    const key = handler.keyOf(message);
    // Equivalent mutant (the test `key === undefined` as false): the map's keys are strings, so get(undefined) is undefined too.
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
      // Equivalent mutant (the test as true): get(undefined)?.reject does nothing and delete(undefined) is a no-op.
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
    // Equivalent mutant (the test `key === undefined` as false): the map's keys are strings, so get(undefined) is undefined too.
    const tracker = key === undefined ? undefined : this.#pending.get(key);
    // Equivalent mutant (`key === undefined` as false): with no key, tracker is already undefined above.
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
  // Stryker disable next-line StringLiteral: maxAttempts >= 1 (maxAttemptsOf), so a failed attempt sets reason before a dead-letter reads it
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

// ---- Event Grid and timer (simulated) -----------------------------------------------------------------------------

/**
 * Event Grid waits 30 s for an endpoint to answer; no answer by then is a failed delivery, which Event Grid retries
 * (https://learn.microsoft.com/azure/event-grid/delivery-and-retry: it waits 30 seconds for a response after
 * delivering a message, then queues the message for retry).
 */
export const EVENT_GRID_RESPONSE_TIMEOUT_MS = 30_000;
/** Event Grid's default maximum number of delivery attempts (same page). */
export const EVENT_GRID_MAX_DELIVERY_ATTEMPTS = 30;
/** Status codes Event Grid takes as delivered (same page, "Success codes"). */
export const EVENT_GRID_SUCCESS = new Set([200, 201, 202, 203, 204]);

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
    // Equivalent mutant (`>` as `>=`): when the two times are equal, either branch records the same instant.
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
