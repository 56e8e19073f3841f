/**
 * The event delivery contract every emulator implements (`deliver(functionName, stimulus)`), and the checks
 * that tie a stimulus to the function kind it can reach. Pure: no I/O. The types are structurally the same as
 * the conformance runner's, declared here so the emulator stands alone.
 */
import type { CloudEvent, FunctionKind } from '../../../core/types.js';

export interface StimulusMessage {
  readonly body: string | Uint8Array;
  readonly attributes?: Readonly<Record<string, string>>;
}

/** At-least-once on demand: the chance (0 to 1) that a handled message is delivered once more (see DuplicatePolicy). */
export interface DuplicateDelivery {
  readonly duplicateRate?: number;
}

export interface MessageStimulus extends DuplicateDelivery {
  readonly messages: readonly StimulusMessage[];
  readonly maxAttempts?: number;
}

export interface StorageStimulus extends DuplicateDelivery {
  readonly object: { readonly bucket: string; readonly key: string; readonly body?: string | Uint8Array; readonly contentType?: string };
  readonly type: 'created' | 'deleted';
  readonly maxAttempts?: number;
}

export interface ScheduleStimulus extends DuplicateDelivery {
  readonly scheduledTime: Date | string;
  readonly maxAttempts?: number;
}

export interface CloudEventStimulus extends DuplicateDelivery {
  readonly cloudEvent: CloudEvent;
  readonly maxAttempts?: number;
}

export type Stimulus = MessageStimulus | StorageStimulus | ScheduleStimulus | CloudEventStimulus;

export const DELIVERY_OUTCOMES = ['acked', 'dead-lettered'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

export interface MessageOutcome {
  /** Invocations that carried the message (the SQS receive count, or the async invocation attempts). */
  readonly attempts: number;
  readonly outcome: DeliveryOutcome;
  /** Deliveries after the message had been handled successfully (present only when above 0). */
  readonly duplicates?: number;
}

export interface DeliveryReport {
  /** One per message, in message order; a single entry for storage, schedule and event. */
  readonly outcomes: MessageOutcome[];
}

/** A stimulus that cannot be delivered as asked: unknown function, wrong kind, malformed stimulus. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
}

export const STIMULUS_KINDS = ['messages', 'storage', 'schedule', 'cloudEvent'] as const;
export type StimulusKind = (typeof STIMULUS_KINDS)[number];

export type ClassifiedStimulus =
  | { readonly kind: 'messages'; readonly stimulus: MessageStimulus }
  | { readonly kind: 'storage'; readonly stimulus: StorageStimulus }
  | { readonly kind: 'schedule'; readonly stimulus: ScheduleStimulus }
  | { readonly kind: 'cloudEvent'; readonly stimulus: CloudEventStimulus };

/** Which stimulus each event function kind takes. */
export const STIMULUS_FOR_KIND: Readonly<Record<Exclude<FunctionKind, 'http'>, StimulusKind>> = {
  queue: 'messages',
  topic: 'messages',
  storage: 'storage',
  schedule: 'schedule',
  event: 'cloudEvent',
};

const STIMULUS_SHAPES: Readonly<Record<StimulusKind, string>> = {
  messages: '{ messages: [{ body, attributes? }], maxAttempts?, duplicateRate? }',
  storage: "{ object: { bucket, key, body? }, type: 'created' | 'deleted', maxAttempts?, duplicateRate? }",
  schedule: '{ scheduledTime, maxAttempts?, duplicateRate? }',
  cloudEvent: '{ cloudEvent, maxAttempts?, duplicateRate? }',
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const describeValue = (value: unknown): string =>
  isRecord(value)
    ? `an object with keys ${Object.keys(value).join(', ') || '(none)'}`
    : value === null
      ? 'null'
      : Array.isArray(value)
        ? 'an array'
        : `a ${typeof value}`;

/** Tells which stimulus this is and checks its shape, or throws a DeliveryError naming what is wrong. */
export function classifyStimulus(value: unknown): ClassifiedStimulus {
  if (!isRecord(value)) throw new DeliveryError(`deliver: the stimulus must be an object, got ${describeValue(value)}`);
  checkMaxAttempts(value.maxAttempts);
  checkDuplicateRate(value.duplicateRate);
  if ('messages' in value) {
    const { messages } = value;
    if (!Array.isArray(messages) || messages.length === 0) {
      throw new DeliveryError('deliver: "messages" must be a non-empty array of { body, attributes? }');
    }
    messages.forEach((m: unknown, i) => {
      if (!isRecord(m) || !(typeof m.body === 'string' || m.body instanceof Uint8Array)) {
        throw new DeliveryError(`deliver: messages[${i}].body must be a string or a Uint8Array`);
      }
      if (m.attributes !== undefined) {
        const ok = isRecord(m.attributes) && Object.values(m.attributes).every((v) => typeof v === 'string');
        if (!ok) throw new DeliveryError(`deliver: messages[${i}].attributes must map names to strings`);
      }
    });
    return { kind: 'messages', stimulus: value as unknown as MessageStimulus };
  }
  if ('object' in value) {
    const { object, type } = value;
    if (!isRecord(object) || typeof object.bucket !== 'string' || object.bucket === '' || typeof object.key !== 'string' || object.key === '') {
      throw new DeliveryError('deliver: "object" must be { bucket, key, body? } with non-empty bucket and key strings');
    }
    if (object.body !== undefined && !(typeof object.body === 'string' || object.body instanceof Uint8Array)) {
      throw new DeliveryError('deliver: object.body must be a string or a Uint8Array');
    }
    if (type !== 'created' && type !== 'deleted') {
      throw new DeliveryError(`deliver: a storage stimulus needs type 'created' or 'deleted', got ${JSON.stringify(type)}`);
    }
    return { kind: 'storage', stimulus: value as unknown as StorageStimulus };
  }
  if ('scheduledTime' in value) {
    const time = value.scheduledTime;
    const date = time instanceof Date ? time : typeof time === 'string' ? new Date(time) : undefined;
    if (!date || Number.isNaN(date.getTime())) {
      throw new DeliveryError(`deliver: scheduledTime must be a Date or a date string, got ${JSON.stringify(time)}`);
    }
    return { kind: 'schedule', stimulus: value as unknown as ScheduleStimulus };
  }
  if ('cloudEvent' in value) {
    const ce = value.cloudEvent;
    const text = (v: unknown): boolean => typeof v === 'string' && v !== '';
    if (!isRecord(ce) || !text(ce.id) || !text(ce.source) || !text(ce.type) || !text(ce.specversion)) {
      throw new DeliveryError('deliver: cloudEvent must be a CloudEvents 1.0 object with id, source, type and specversion strings');
    }
    return { kind: 'cloudEvent', stimulus: value as unknown as CloudEventStimulus };
  }
  throw new DeliveryError(
    `deliver: unknown stimulus (${describeValue(value)}); expected one of ${STIMULUS_KINDS.map((k) => STIMULUS_SHAPES[k]).join(', ')}`,
  );
}

function checkMaxAttempts(value: unknown): void {
  if (value === undefined) return;
  // Stryker disable next-line ConditionalExpression: Number.isInteger is false for anything but a number, so the typeof test only narrows the type
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new DeliveryError(`deliver: maxAttempts must be a whole number of at least 1, got ${JSON.stringify(value)}`);
  }
}

function checkDuplicateRate(value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new DeliveryError(`deliver: duplicateRate must be a number from 0 to 1, got ${JSON.stringify(value)}`);
  }
}

/** The outcome as reported: `duplicates` only when there were some. */
export const messageOutcome = (outcome: DeliveryOutcome, attempts: number, duplicates = 0): MessageOutcome =>
  duplicates > 0 ? { attempts, outcome, duplicates } : { attempts, outcome };

/** Checks that the stimulus fits the function kind; returns the classified stimulus. */
export function stimulusForKind(functionName: string, kind: FunctionKind, value: unknown): ClassifiedStimulus {
  if (kind === 'http') {
    throw new DeliveryError(
      `deliver: function "${functionName}" is an http function; send it requests through the front door (emulator.url) instead`,
    );
  }
  const classified = classifyStimulus(value);
  const expected = STIMULUS_FOR_KIND[kind];
  if (classified.kind !== expected) {
    throw new DeliveryError(
      `deliver: function "${functionName}" is a ${kind} function and takes ${STIMULUS_SHAPES[expected]}, ` +
        `not a ${classified.kind} stimulus`,
    );
  }
  return classified;
}

/** The attempt limit: the stimulus's own, else what the deployment says. */
export function attemptLimit(stimulus: { readonly maxAttempts?: number }, deployed: number): number {
  return stimulus.maxAttempts ?? deployed;
}
