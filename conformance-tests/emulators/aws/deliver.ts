/**
 * `deliver(functionName, stimulus)` for the AWS emulator: each event function kind reaches Lambda the way its AWS
 * trigger does.
 * - queue: SendMessage to an in-memory SQS queue (`options.queue`, redrive to `<queue>-dlq`); the function's event
 *   source mapping polls it and invokes with RequestResponse through the Invoke API.
 * - topic: an SNS notification per message, invoked asynchronously (InvocationType Event) through the Invoke API.
 * - storage: an S3 notification (ObjectCreated:Put / ObjectRemoved:Delete), invoked asynchronously.
 * - schedule: the EventBridge "Scheduled Event" of the function's rule, invoked asynchronously.
 * - event: the CloudEvent put on the default bus as an EventBridge event (its data as detail, or the whole
 *   CloudEvent: `eventBridgeDetail`), invoked asynchronously.
 * Settings come from faasport.json as deployed (delivery-settings.ts): the queue's visibility timeout, batch size,
 * batching window, redrive maxReceiveCount, FIFO and content-based deduplication; MaximumRetryAttempts of async
 * invocations. A stimulus's `maxAttempts` sets one delivery's limit (SQS: 1 to 1,000; async: 1 to 3, Lambda's range).
 * At-least-once: `duplicates` (DuplicatePolicy) decides per message, when it is first handled successfully, whether
 * it is delivered once more, as the platform's duplicate would arrive (same message id).
 */
import { randomUUID } from 'node:crypto';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { SQSEvent } from 'aws-lambda';
import { utf8Encode } from '../../../core/body.js';
import type { CloudEvent } from '../../../core/types.js';
import { seededRandom, type DuplicatePolicy } from '../duplicates.js';
import { MAX_ATTEMPTS_HEADER, type AsyncInvocations, type AsyncOutcome, type OnFailureRecord } from './async-invocations.js';
import {
  DeliveryError,
  attemptLimit,
  messageOutcome,
  stimulusForKind,
  type CloudEventStimulus,
  type DeliveryReport,
  type DuplicateDelivery,
  type MessageOutcome,
  type MessageStimulus,
  type ScheduleStimulus,
  type StorageStimulus,
} from './delivery.js';
import { EventBridgeError, toBridgeEvent, toScheduledEvent, type BridgeDetailLayout } from './eventbridge-event.js';
import { EventSourceMapping } from './event-source-mapping.js';
import type { FunctionPool } from './function-pool.js';
import type { ManifestFunction } from './manifest.js';
import { sequencerFactory, toS3Event } from './s3-event.js';
import { toSnsEvent } from './sns-event.js';
import { DEFAULT_ASYNC_ATTEMPTS, MAX_ASYNC_RETRIES, MAX_RECEIVE_COUNT, type DeliverySettings, type SqsDeliverySettings } from './delivery-settings.js';
import { SqsQueue, SqsQueueError, checkMessage, deadLetterQueueName, md5Hex, type QueuedMessage } from './sqs-queue.js';

/**
 * A failed SQS message is visible again after the queue's visibility timeout (180 s behind a 30 s function with
 * the template's 6x). Waiting that long makes retries untestable, so the emulator shows failed messages again after
 * this fraction of it (180 ms there): a documented difference. Messages still held by a running invocation keep
 * the full visibility timeout, so a slow invocation gets its real duplicate.
 */
export const FAILED_VISIBILITY_SCALE = 1 / 1000;

export interface DelivererConfig {
  readonly functions: readonly ManifestFunction[];
  readonly pools: ReadonlyMap<string, FunctionPool>;
  /** Talks to the emulator's Invoke API. */
  readonly client: LambdaClient;
  readonly asyncInvocations: AsyncInvocations;
  /** Each function's deployed delivery settings, or why faasport.json's are unusable (reported by `deliver`). */
  readonly settings: ReadonlyMap<string, DeliverySettings | Error>;
  /** At-least-once: whether a handled message is delivered once more. */
  readonly duplicates: DuplicatePolicy;
  /** Seed of the draws that split waiting SQS messages into batches (each mapping draws from its own generator). */
  readonly batchSeed: number;
  /** A delivery that has not settled by then rejects. */
  readonly deliveryTimeoutMs: number;
  /** SQS batches in flight per event source mapping. */
  readonly concurrency: number;
  /** How a CloudEvent is laid out in the EventBridge event (eventbridge-event.ts). */
  readonly eventBridgeDetail: BridgeDetailLayout;
}

const textDecoder = new TextDecoder('utf-8', { fatal: true });

const stringOption = (fn: ManifestFunction, key: string): string => {
  const value = fn.options[key];
  if (typeof value !== 'string' || value === '') {
    throw new DeliveryError(`deliver: function "${fn.name}" (${fn.kind}) has no options.${key} in faasport.json`);
  }
  return value;
};


/** A message body as text: SQS and SNS carry text only, so bytes must be valid UTF-8. */
function bodyText(body: string | Uint8Array, at: string): string {
  if (typeof body === 'string') return body;
  try {
    return textDecoder.decode(body);
  } catch {
    throw new DeliveryError(`deliver: ${at} is not valid UTF-8; SQS and SNS message bodies are text (send binary data base64-encoded)`);
  }
}

export class Deliverer {
  private readonly functions = new Map<string, ManifestFunction>();
  private readonly queues = new Map<string, SqsQueue>();
  private readonly mappings: EventSourceMapping[] = [];
  private readonly pendingDeliveries = new Set<(err: Error) => void>();
  private readonly nextSequencer = sequencerFactory();
  private stopped = false;

  constructor(private readonly config: DelivererConfig) {
    for (const fn of config.functions) {
      this.functions.set(fn.name, fn);
      if (fn.kind !== 'queue' || typeof fn.options.queue !== 'string' || fn.options.queue === '') continue;
      const settings = config.settings.get(fn.name);
      // Unusable settings are reported when something is delivered to this function.
      if (settings instanceof Error || !settings?.sqs) continue;
      this.startMapping(fn, this.queue(fn.options.queue, settings.sqs), settings.sqs);
    }
  }

  async deliver(functionName: string, stimulus: unknown): Promise<DeliveryReport> {
    if (this.stopped) throw new DeliveryError('deliver: the emulator is stopped');
    const fn = this.functions.get(functionName);
    if (!fn) {
      const known = [...this.functions.values()].filter((f) => f.kind !== 'http').map((f) => f.name);
      throw new DeliveryError(`deliver: no function named "${functionName}" (event functions: ${known.join(', ') || 'none'})`);
    }
    const classified = stimulusForKind(functionName, fn.kind, stimulus);
    switch (classified.kind) {
      case 'messages':
        return fn.kind === 'queue' ? this.deliverToQueue(fn, classified.stimulus) : this.deliverToTopic(fn, classified.stimulus);
      case 'storage':
        return this.deliverStorage(fn, classified.stimulus);
      case 'schedule':
        return this.deliverSchedule(fn, classified.stimulus);
      case 'cloudEvent':
        return this.deliverCloudEvent(fn, classified.stimulus);
    }
  }

  /** Messages in `<queue>-dlq` (give the source queue's name or the dead-letter queue's own). */
  deadLetters(queueName: string): QueuedMessage[] {
    const queue = this.queues.get(queueName);
    if (!queue) throw new DeliveryError(`deadLetters: no queue named "${queueName}" (known: ${[...this.queues.keys()].join(', ') || 'none'})`);
    return (queue.deadLetterQueue ?? queue).peek();
  }

  /** Records the function's async on-failure destination received (events whose every attempt failed). */
  asyncFailures(functionName: string): OnFailureRecord[] {
    if (!this.functions.has(functionName)) throw new DeliveryError(`asyncFailures: no function named "${functionName}"`);
    return this.config.asyncInvocations.failures(functionName);
  }

  /** Stops the event source mappings and rejects deliveries still waiting. */
  stop(): void {
    this.stopped = true;
    for (const mapping of this.mappings) mapping.stop();
    for (const reject of [...this.pendingDeliveries]) reject(new DeliveryError('deliver: the emulator stopped before every message settled'));
    this.pendingDeliveries.clear();
  }

  /** The deployed settings of a function, or a DeliveryError saying why faasport.json's cannot be used. */
  private settingsOf(fn: ManifestFunction): DeliverySettings {
    const settings = this.config.settings.get(fn.name);
    if (settings instanceof Error) throw new DeliveryError(`deliver: ${settings.message}`);
    return settings ?? {};
  }

  /** The queue of that name with its dead-letter queue, created on first use (functions sharing it share settings). */
  private queue(name: string, sqs: SqsDeliverySettings): SqsQueue {
    let queue = this.queues.get(name);
    if (queue) return queue;
    const dlqName = deadLetterQueueName(name);
    const dlq = this.queues.get(dlqName) ?? new SqsQueue(dlqName, { visibilityTimeoutMs: sqs.visibilityTimeoutMs });
    this.queues.set(dlqName, dlq);
    queue = new SqsQueue(name, {
      visibilityTimeoutMs: sqs.visibilityTimeoutMs,
      failedVisibilityTimeoutMs: sqs.visibilityTimeoutMs * FAILED_VISIBILITY_SCALE,
      contentBasedDeduplication: sqs.contentBasedDeduplication,
      deadLetterQueue: dlq,
    });
    this.queues.set(name, queue);
    return queue;
  }

  private startMapping(fn: ManifestFunction, queue: SqsQueue, sqs: SqsDeliverySettings): void {
    const pool = this.config.pools.get(fn.name)!;
    this.mappings.push(
      new EventSourceMapping(queue, {
        functionName: fn.name,
        batchSize: sqs.batchSize,
        batchingWindowMs: sqs.batchingWindowMs,
        // Seeded per function, so one function's batches do not depend on what others drew.
        random: seededRandom(this.config.batchSeed ^ Number.parseInt(md5Hex(fn.name).slice(0, 8), 16)),
        concurrency: this.config.concurrency,
        invoke: (event) => this.invokeSync(fn.name, event),
        note: (line) => pool.log.push(line),
      }),
    );
  }

  private async invokeSync(functionName: string, event: SQSEvent): Promise<{ functionError: string | undefined; text: string }> {
    const out = await this.config.client.send(
      new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: utf8Encode(JSON.stringify(event)) }),
    );
    return { functionError: out.FunctionError, text: Buffer.from(out.Payload ?? new Uint8Array(0)).toString('utf8') };
  }

  /** InvocationType Event through the Invoke API, with this delivery's attempt limit; resolves when it settled. */
  private async invokeAsync(functionName: string, event: unknown, maxAttempts: number): Promise<AsyncOutcome> {
    const command = new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: utf8Encode(JSON.stringify(event)) });
    command.middlewareStack.add(
      (next) => (args) => {
        const request = args.request as { headers?: Record<string, string> };
        if (request.headers) request.headers[MAX_ATTEMPTS_HEADER] = String(maxAttempts);
        return next(args);
      },
      { step: 'build', name: 'faasportMaximumAttempts' },
    );
    const out = await this.config.client.send(command);
    const requestId = out.$metadata.requestId;
    const outcome = requestId === undefined ? undefined : this.config.asyncInvocations.take(requestId);
    if (!outcome) throw new Error(`aws emulator: the Invoke API accepted an event for ${functionName} but its outcome is not tracked`);
    return outcome;
  }

  private async deliverToQueue(fn: ManifestFunction, stimulus: MessageStimulus): Promise<DeliveryReport> {
    const name = stringOption(fn, 'queue');
    const sqs = this.settingsOf(fn).sqs;
    if (!sqs) throw new DeliveryError(`deliver: function "${fn.name}" has no deployed SQS settings in faasport.json; rebuild with faasport build`);
    const queue = this.queue(name, sqs);
    const maxReceiveCount = attemptLimit(stimulus, sqs.maxReceiveCount);
    if (maxReceiveCount > MAX_RECEIVE_COUNT) {
      throw new DeliveryError(`deliver: maxAttempts ${maxReceiveCount} cannot be an SQS redrive policy's maxReceiveCount (1 to ${MAX_RECEIVE_COUNT})`);
    }
    // Check every message before sending any, so a refused one leaves nothing half-sent behind.
    const inits = stimulus.messages.map((m, i) => {
      const body = bodyText(m.body, `messages[${i}].body`);
      const attributes = m.attributes ?? {};
      try {
        checkMessage(body, attributes);
      } catch (err) {
        if (err instanceof SqsQueueError) throw new DeliveryError(`deliver: messages[${i}]: ${err.message}`);
        throw err;
      }
      return { body, attributes, maxReceiveCount, duplicate: () => this.config.duplicates.duplicate(stimulus) };
    });
    const settled: (MessageOutcome | undefined)[] = inits.map(() => undefined);
    const sent = inits.map((init) => queue.send(init));
    const all = Promise.all(
      sent.map(async (s, i) => {
        const result = await s.settled;
        settled[i] = messageOutcome(result.outcome, result.attempts, result.duplicates);
        return settled[i]!;
      }),
    );
    const outcomes = await this.withDeadline(fn, all, () => {
      const waiting = sent.filter((_, i) => !settled[i]).map((s) => s.messageId);
      return `${waiting.length} of ${sent.length} messages of queue ${queue.name} still unsettled (${waiting.join(', ')})`;
    });
    return { outcomes };
  }

  private async deliverToTopic(fn: ManifestFunction, stimulus: MessageStimulus): Promise<DeliveryReport> {
    const topic = stringOption(fn, 'topic');
    const maxAttempts = this.asyncAttempts(fn, stimulus);
    const subscriptionId = randomUUID();
    const events = stimulus.messages.map((m, i) => {
      const message = bodyText(m.body, `messages[${i}].body`);
      if (message === '') throw new DeliveryError(`deliver: messages[${i}]: SNS refuses an empty message`);
      const attributes = m.attributes ?? {};
      for (const [name, value] of Object.entries(attributes)) {
        if (value === '') throw new DeliveryError(`deliver: messages[${i}]: SNS refuses the empty value of message attribute "${name}"`);
      }
      return toSnsEvent({ topic, subscriptionId, messageId: randomUUID(), message, attributes, timestamp: new Date(), subject: null });
    });
    const settled: boolean[] = events.map(() => false);
    const all = Promise.all(
      events.map(async (event, i) => {
        const outcome = await this.invokeAsyncOnce(fn.name, event, maxAttempts, stimulus);
        settled[i] = true;
        return outcome;
      }),
    );
    const outcomes = await this.withDeadline(fn, all, () => `${settled.filter((s) => !s).length} of ${events.length} SNS notifications still unsettled`);
    return { outcomes };
  }

  private async deliverStorage(fn: ManifestFunction, stimulus: StorageStimulus): Promise<DeliveryReport> {
    const bucket = stringOption(fn, 'bucket');
    const { object, type } = stimulus;
    if (object.bucket !== bucket) {
      throw new DeliveryError(`deliver: function "${fn.name}" is notified by bucket "${bucket}", not "${object.bucket}"`);
    }
    const events = Array.isArray(fn.options.events) ? (fn.options.events as unknown[]) : ['created', 'deleted'];
    if (!events.includes(type)) {
      throw new DeliveryError(`deliver: function "${fn.name}" is notified of ${events.join(', ')} objects only, not ${type} ones`);
    }
    if (type === 'deleted' && object.body !== undefined) {
      throw new DeliveryError('deliver: a deleted object has no body (S3 sends no size or ETag for deletes)');
    }
    const bytes = object.body === undefined ? new Uint8Array(0) : typeof object.body === 'string' ? utf8Encode(object.body) : object.body;
    const event = toS3Event({
      bucket,
      key: object.key,
      type,
      object: type === 'created' ? { size: bytes.byteLength, md5: md5Hex(bytes) } : undefined,
      time: new Date(),
      sequencer: this.nextSequencer(),
      configurationId: `${fn.name}-s3-${type}`,
    });
    return this.deliverOne(fn, event, this.asyncAttempts(fn, stimulus), 'S3 notification', stimulus);
  }

  private async deliverSchedule(fn: ManifestFunction, stimulus: ScheduleStimulus): Promise<DeliveryReport> {
    const scheduledTime = stimulus.scheduledTime instanceof Date ? stimulus.scheduledTime : new Date(stimulus.scheduledTime);
    const event = toScheduledEvent({ id: randomUUID(), rule: `${fn.name}-schedule`, scheduledTime });
    return this.deliverOne(fn, event, this.asyncAttempts(fn, stimulus), 'scheduled event', stimulus);
  }

  private async deliverCloudEvent(fn: ManifestFunction, stimulus: CloudEventStimulus): Promise<DeliveryReport> {
    checkRuleMatches(fn, stimulus.cloudEvent);
    let event;
    try {
      event = toBridgeEvent(stimulus.cloudEvent, { id: randomUUID(), now: new Date(), layout: this.config.eventBridgeDetail });
    } catch (err) {
      if (err instanceof EventBridgeError) throw new DeliveryError(`deliver: ${err.message}`);
      throw err;
    }
    return this.deliverOne(fn, event, this.asyncAttempts(fn, stimulus), 'EventBridge event', stimulus);
  }

  private async deliverOne(fn: ManifestFunction, event: unknown, maxAttempts: number, what: string, stimulus: DuplicateDelivery): Promise<DeliveryReport> {
    const outcome = await this.withDeadline(fn, this.invokeAsyncOnce(fn.name, event, maxAttempts, stimulus), () => `the ${what} is still unsettled`);
    return { outcomes: [outcome] };
  }

  /** The attempt limit of an asynchronous delivery: the stimulus's (within Lambda's 1 to 3), else the deployed one. */
  private asyncAttempts(fn: ManifestFunction, stimulus: { readonly maxAttempts?: number }): number {
    const limit = attemptLimit(stimulus, this.settingsOf(fn).asyncAttempts ?? DEFAULT_ASYNC_ATTEMPTS);
    if (limit > MAX_ASYNC_RETRIES + 1) {
      throw new DeliveryError(
        `deliver: maxAttempts ${limit} cannot be deployed for ${fn.kind} function "${fn.name}": Lambda retries an asynchronous invocation at most ${MAX_ASYNC_RETRIES} times (3 attempts)`,
      );
    }
    return limit;
  }

  /**
   * One asynchronous event until it settles; when it succeeded and the duplicate policy says so, the same event once
   * more (Lambda: "it's possible for it to receive the same event from Lambda multiple times", even without an error;
   * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html).
   */
  private async invokeAsyncOnce(functionName: string, event: unknown, maxAttempts: number, stimulus: DuplicateDelivery): Promise<MessageOutcome> {
    const outcome = await this.invokeAsync(functionName, event, maxAttempts);
    if (outcome.outcome !== 'acked' || !this.config.duplicates.duplicate(stimulus)) return messageOutcome(outcome.outcome, outcome.attempts);
    await this.invokeAsync(functionName, event, maxAttempts);
    return messageOutcome(outcome.outcome, outcome.attempts, 1);
  }

  /** Rejects when the work has not settled within the delivery timeout, or when the emulator stops. */
  private withDeadline<T>(fn: ManifestFunction, work: Promise<T>, pending: () => string): Promise<T> {
    const ms = this.config.deliveryTimeoutMs;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        done();
        reject(new DeliveryError(`deliver: ${fn.name} did not settle within ${ms} ms: ${pending()}`));
      }, ms);
      const done = (): void => {
        clearTimeout(timer);
        this.pendingDeliveries.delete(onStop);
      };
      const onStop = (err: Error): void => {
        done();
        reject(err);
      };
      this.pendingDeliveries.add(onStop);
      work.then(
        (value) => {
          done();
          resolve(value);
        },
        (err: unknown) => {
          done();
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  }
}

/** An EventBridge rule for `options.type` (and `options.source`) only matches events with that detail-type/source. */
function checkRuleMatches(fn: ManifestFunction, ce: CloudEvent): void {
  const { type, source } = fn.options;
  const types = typeof type === 'string' ? [type] : Array.isArray(type) ? (type as unknown[]) : [];
  if (types.length > 0 && !types.includes(ce.type)) {
    throw new DeliveryError(`deliver: the rule of function "${fn.name}" matches types ${types.join(', ')}, not "${ce.type}"`);
  }
  if (typeof source === 'string' && source !== ce.source) {
    throw new DeliveryError(`deliver: the rule of function "${fn.name}" matches source "${source}", not "${ce.source}"`);
  }
}
