/**
 * `deliver()` for the GCP emulator: turns a neutral stimulus into what Google's plumbing would push to
 * the function (see push-requests.ts), pushes it with Pub/Sub's retry rules (delivery.ts) and keeps the
 * dead-letter topics in memory.
 *
 * What is emulated, per kind:
 * - queue: a topic named after the queue with a push subscription (`faasport-<function>`) that has a
 *   dead-letter policy, so every push carries `deliveryAttempt`;
 * - topic: an Eventarc Pub/Sub trigger (subscription `eventarc-local-<function>-sub`), messagePublished
 *   CloudEvents in binary mode;
 * - schedule: a Cloud Scheduler Pub/Sub job publishing `{}` to `faasport-schedule-<function>` at the
 *   scheduled time (publishTime = the given time), delivered as for topic;
 * - storage: an in-memory bucket; a created object gets fresh metadata (generation, md5, crc32c, etag),
 *   a deleted one the metadata it was created with (or fresh metadata when it was never created);
 * - event: the CloudEvent as given, in binary mode as Eventarc delivers it (`ce-*` headers, data as the body).
 * All messages of one deliver() call are pushed concurrently, as Pub/Sub does; a crash therefore fails
 * every delivery in flight in that process, and each is redelivered.
 * Settings are the deployed ones: each function's timeout and dead-letter attempts from faasport.json
 * `settings`, a queue's ack deadline from deploy.json; in at-least-once mode (`atLeastOnce`, or a stimulus's
 * `duplicateRate`) an acknowledged message is pushed once more and counted in the outcome's `duplicates`.
 * Dead letters go to `<queue or topic>-dead-letter` (the name faasport's deploy gives the topic), or
 * `<function>-dead-letter` for storage, schedule and event triggers.
 */
import type { CloudEvent } from '../../../core/types.js';
import type { StorageObjectData } from '../../../adapters/gcp/storage.js';
import type { DeliveryReport, Stimulus } from '../../invoker.js';
import { GCP_LIMITS } from '../../../codegen/platforms/gcp.js';
import type { AtLeastOnceOptions } from '../index.js';
import { DuplicatePolicy } from '../duplicates.js';
import type { FunctionProcess } from './child.js';
import { ACK_DEADLINE_MS, deliverWithRetries, type DeliveryJob, type PushTimers } from './delivery.js';
import { objectMetadata } from './gcs-object.js';
import type { EventManifestFunction, ManifestFunction } from './manifest.js';
import {
  binaryModeCloudEventRequest,
  messagePublishedRequest,
  PROJECT,
  pushEnvelopeRequest,
  storageEventRequest,
  type PublishedMessage,
  type PushRequest,
} from './push-requests.js';

/** The default when neither the stimulus nor the function's options set maxAttempts. */
export const DEFAULT_MAX_ATTEMPTS = 5;

/** A message in an emulated dead-letter topic. */
export interface DeadLetter {
  readonly functionName: string;
  /** Queue or topic name, bucket, or the schedule's topic; the CloudEvent type for event functions. */
  readonly source: string;
  readonly deadLetterTopic: string;
  readonly attempts: number;
  /** What the last failed delivery got: a status, or a connection error. */
  readonly lastError: string;
  /** As Pub/Sub forwards it: the original data and attributes plus `CloudPubSubDeadLetter*` attributes. */
  readonly message: PublishedMessage;
}

const STIMULUS_FOR = {
  queue: 'messages',
  topic: 'messages',
  storage: 'object',
  schedule: 'scheduledTime',
  event: 'cloudEvent',
} as const;

const SHAPES = {
  messages: '{ messages: [{ body, attributes? }] }',
  object: "{ object: { bucket, key, body?, contentType? }, type: 'created' | 'deleted' }",
  scheduledTime: '{ scheduledTime }',
  cloudEvent: '{ cloudEvent }',
} as const;

type StimulusShape = keyof typeof SHAPES;

function shapeOf(stimulus: unknown): StimulusShape | undefined {
  if (typeof stimulus !== 'object' || stimulus === null) return undefined;
  return (Object.keys(SHAPES) as StimulusShape[]).find((key) => key in stimulus);
}

const toBytes = (body: string | Uint8Array | undefined): Uint8Array =>
  typeof body === 'string' ? Buffer.from(body, 'utf8') : body ?? new Uint8Array(0);

export interface EventDeliveryOptions {
  readonly functions: readonly ManifestFunction[];
  readonly processes: ReadonlyMap<string, FunctionProcess>;
  /** Overrides every subscription's ack deadline (tests); default: as deployed, see #timers. */
  readonly ackDeadlineMs?: number;
  /** Overrides every function's timeout (tests); default: the function's deployed timeout. */
  readonly requestTimeoutMs?: number;
  /** Deployed ack deadlines of push subscriptions, by function name (deploy.json `pushSubscriptions`), in seconds. */
  readonly pushAckDeadlines?: ReadonlyMap<string, number>;
  readonly atLeastOnce?: AtLeastOnceOptions;
}

export class EventDelivery {
  readonly #functions: ReadonlyMap<string, ManifestFunction>;
  readonly #processes: ReadonlyMap<string, FunctionProcess>;
  readonly #ackDeadlineMs: number | undefined;
  readonly #requestTimeoutMs: number | undefined;
  readonly #pushAckDeadlines: ReadonlyMap<string, number>;
  readonly #duplicates: DuplicatePolicy;
  readonly #deadLetters: DeadLetter[] = [];
  readonly #objects = new Map<string, StorageObjectData>();
  #serial = 0;
  #lastGeneration = 0n;

  constructor(options: EventDeliveryOptions) {
    this.#functions = new Map(options.functions.map((fn) => [fn.name, fn]));
    this.#processes = options.processes;
    this.#ackDeadlineMs = options.ackDeadlineMs;
    this.#requestTimeoutMs = options.requestTimeoutMs;
    this.#pushAckDeadlines = options.pushAckDeadlines ?? new Map();
    this.#duplicates = new DuplicatePolicy(options.atLeastOnce);
  }

  /**
   * The ack deadline of the function's subscription as deployed: a queue function's push subscription gets
   * `--ack-deadline` (deploy.json, else its timeout clamped to Pub/Sub's 10..600 s, as codegen/emit/gcp.ts
   * computes it); the subscriptions Eventarc creates keep Pub/Sub's default, 10 s.
   */
  #timers(fn: EventManifestFunction): PushTimers {
    const requestTimeoutMs = this.#requestTimeoutMs ?? fn.timeoutSeconds * 1000;
    if (this.#ackDeadlineMs !== undefined) return { ackDeadlineMs: this.#ackDeadlineMs, requestTimeoutMs };
    if (fn.kind !== 'queue') return { ackDeadlineMs: ACK_DEADLINE_MS, requestTimeoutMs };
    const range = GCP_LIMITS.ackDeadline; // Pub/Sub's 10..600 s
    const seconds = this.#pushAckDeadlines.get(fn.name) ?? Math.min(range.max, Math.max(range.min, fn.timeoutSeconds));
    return { ackDeadlineMs: seconds * 1000, requestTimeoutMs };
  }

  async deliver(functionName: string, stimulus: Stimulus): Promise<DeliveryReport> {
    const fn = this.#eventFunction(functionName, stimulus);
    const maxAttempts = stimulus.maxAttempts ?? fn.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw new TypeError(`faasport gcp emulator: maxAttempts must be a positive integer, got ${String(maxAttempts)}`);
    }
    // Checked before anything is pushed, so a bad rate delivers nothing.
    const rate = stimulus.duplicateRate;
    if (rate !== undefined && !(rate >= 0 && rate <= 1)) {
      throw new RangeError(`faasport gcp emulator: duplicateRate must be between 0 and 1 (got ${rate}); use 1 to deliver every message twice`);
    }
    const jobs = this.#jobs(fn, stimulus);
    const process = this.#processes.get(fn.name)!;
    const timers = this.#timers(fn);
    const duplicate = () => this.#duplicates.duplicate(stimulus);
    const outcomes = await Promise.all(jobs.map((job) => deliverWithRetries(process, job, { maxAttempts, timers, duplicate })));
    return { outcomes: outcomes.map(({ attempts, outcome, duplicates }) => (duplicates ? { attempts, outcome, duplicates } : { attempts, outcome })) };
  }

  /** Dead-lettered messages whose function, source or dead-letter topic has this name, oldest first. */
  deadLetters(name: string): DeadLetter[] {
    return this.#deadLetters.filter((d) => d.functionName === name || d.source === name || d.deadLetterTopic === name);
  }

  #eventFunction(functionName: string, stimulus: Stimulus): EventManifestFunction {
    const fn = this.#functions.get(functionName);
    if (!fn) {
      const names = [...this.#functions.keys()].join(', ') || '(none)';
      throw new Error(`faasport gcp emulator: no function "${functionName}" in faasport.json (functions: ${names})`);
    }
    if (fn.kind === 'http') {
      throw new Error(`faasport gcp emulator: function "${functionName}" is an http function; send it requests through the emulator's url`);
    }
    const want = STIMULUS_FOR[fn.kind];
    const got = shapeOf(stimulus);
    if (got !== want) {
      throw new TypeError(
        `faasport gcp emulator: function "${functionName}" is a ${fn.kind} function; deliver ${SHAPES[want]} to it` +
          (got ? ` (got a stimulus with "${got}")` : ' (got no recognisable stimulus)'),
      );
    }
    return fn as EventManifestFunction;
  }

  #jobs(fn: EventManifestFunction, stimulus: Stimulus): DeliveryJob[] {
    switch (fn.kind) {
      case 'queue':
      case 'topic':
        return this.#messageJobs(fn, (stimulus as Extract<Stimulus, { messages: unknown }>).messages);
      case 'schedule':
        return [this.#scheduleJob(fn, (stimulus as Extract<Stimulus, { scheduledTime: unknown }>).scheduledTime)];
      case 'storage':
        return [this.#storageJob(fn, stimulus as Extract<Stimulus, { object: unknown }>)];
      case 'event':
        return [this.#eventJob(fn, (stimulus as Extract<Stimulus, { cloudEvent: unknown }>).cloudEvent)];
    }
  }

  /** Pub/Sub message ids are decimal strings, unique per topic. */
  #nextId(): string {
    return String(1_700_000_000_000_000 + ++this.#serial);
  }

  #publish(data: Uint8Array, attributes: Record<string, string>, publishTime = new Date().toISOString()): PublishedMessage {
    return { messageId: this.#nextId(), data, attributes, publishTime };
  }

  #messageJobs(fn: EventManifestFunction, messages: Extract<Stimulus, { messages: unknown }>['messages']): DeliveryJob[] {
    if (!Array.isArray(messages)) throw new TypeError('faasport gcp emulator: "messages" must be an array');
    const topic = fn.source!;
    const published = messages.map((m, index) => {
      const data = toBytes(m.body);
      const attributes = { ...m.attributes };
      // Pub/Sub's publish answers INVALID_ARGUMENT for such a message; it never reaches a subscriber.
      if (data.byteLength === 0 && Object.keys(attributes).length === 0) {
        throw new TypeError(`faasport gcp emulator: messages[${index}] has neither a body nor attributes, which Pub/Sub refuses to publish`);
      }
      return this.#publish(data, attributes);
    });
    if (fn.kind === 'queue') {
      const subscription = `faasport-${fn.name}`;
      return published.map((message) =>
        this.#job(fn, topic, `${topic}-dead-letter`, subscription, message, (attempt) => pushEnvelopeRequest(message, subscription, attempt)),
      );
    }
    const subscription = `eventarc-local-${fn.name}-sub`;
    return published.map((message) =>
      this.#job(fn, topic, `${topic}-dead-letter`, subscription, message, () => messagePublishedRequest(message, topic, subscription)),
    );
  }

  #scheduleJob(fn: EventManifestFunction, scheduledTime: Date | string): DeliveryJob {
    const time = new Date(scheduledTime);
    if (Number.isNaN(time.getTime())) throw new TypeError(`faasport gcp emulator: scheduledTime ${JSON.stringify(scheduledTime)} is not a time`);
    const topic = `faasport-schedule-${fn.name}`;
    const subscription = `eventarc-local-${fn.name}-sub`;
    // The job's message body, as faasport's deploy creates the job (--message-body='{}').
    const message = this.#publish(Buffer.from('{}'), {}, time.toISOString());
    return this.#job(fn, topic, `${fn.name}-dead-letter`, subscription, message, () => messagePublishedRequest(message, topic, subscription));
  }

  #storageJob(fn: EventManifestFunction, stimulus: Extract<Stimulus, { object: unknown }>): DeliveryJob {
    const { object, type } = stimulus;
    if (type !== 'created' && type !== 'deleted') throw new TypeError(`faasport gcp emulator: storage type must be 'created' or 'deleted', got ${JSON.stringify(type)}`);
    if (!object || typeof object.bucket !== 'string' || typeof object.key !== 'string' || object.key === '') {
      throw new TypeError('faasport gcp emulator: a storage stimulus needs object.bucket and a non-empty object.key');
    }
    const now = new Date();
    const time = now.toISOString();
    const path = `${object.bucket}/${object.key}`;
    let metadata: StorageObjectData;
    if (type === 'created') {
      metadata = objectMetadata(object, this.#generation(now), time);
      this.#objects.set(path, metadata);
    } else {
      metadata = this.#objects.get(path) ?? objectMetadata(object, this.#generation(now), time);
      this.#objects.delete(path);
    }
    const request = storageEventRequest(this.#nextId(), type, metadata, time);
    return this.#cloudEventJob(fn, object.bucket, request, time);
  }

  #eventJob(fn: EventManifestFunction, cloudEvent: CloudEvent): DeliveryJob {
    for (const key of ['id', 'source', 'type', 'specversion'] as const) {
      if (typeof cloudEvent?.[key] !== 'string' || cloudEvent[key] === '') {
        throw new TypeError(`faasport gcp emulator: the CloudEvent to deliver has no "${key}" (required by CloudEvents 1.0)`);
      }
    }
    return this.#cloudEventJob(fn, cloudEvent.type, binaryModeCloudEventRequest(cloudEvent), new Date().toISOString());
  }

  /** GCS generations are microsecond timestamps, strictly increasing. */
  #generation(now: Date): bigint {
    const micros = BigInt(now.getTime()) * 1000n;
    this.#lastGeneration = micros > this.#lastGeneration ? micros : this.#lastGeneration + 1n;
    return this.#lastGeneration;
  }

  /** A CloudEvent from a non-Pub/Sub source: its transport message holds the event (ce-* attributes). */
  #cloudEventJob(fn: EventManifestFunction, source: string, request: PushRequest, publishTime: string): DeliveryJob {
    const attributes: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (name.startsWith('ce-') || name === 'content-type') attributes[name] = value;
    }
    const message = this.#publish(request.body, attributes, publishTime);
    return this.#job(fn, source, `${fn.name}-dead-letter`, `eventarc-local-${fn.name}-sub`, message, () => request);
  }

  #job(
    fn: EventManifestFunction,
    source: string,
    deadLetterTopic: string,
    subscription: string,
    message: PublishedMessage,
    request: (attempt: number) => PushRequest,
  ): DeliveryJob {
    return {
      request,
      deadLetter: (attempts, lastError) => {
        this.#deadLetters.push({
          functionName: fn.name,
          source,
          deadLetterTopic,
          attempts,
          lastError,
          message: {
            ...message,
            attributes: {
              ...message.attributes,
              CloudPubSubDeadLetterSourceDeliveryCount: String(attempts),
              CloudPubSubDeadLetterSourceSubscription: subscription,
              CloudPubSubDeadLetterSourceSubscriptionProject: PROJECT,
              CloudPubSubDeadLetterSourceTopicPublishTime: message.publishTime,
            },
          },
        });
      },
    };
  }
}
