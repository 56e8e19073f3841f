/**
 * Which registered Azure functions a faasport event function became, and which stimulus fits it (pure).
 * `register` (faasport/azure) names them: `<name>` for the trigger, `<name>-deleted` for a storage function's
 * Event Grid BlobDeleted function. The kind comes from faasport.json when the folder has one, else from the
 * trigger binding type.
 */
import type { ManifestFunction } from './app-config.js';
import type { RegisteredFunction } from './protocol.js';

export const EVENT_KINDS = ['queue', 'topic', 'storage', 'schedule', 'event'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

const DELETED_SUFFIX = '-deleted';

const KIND_OF_TRIGGER: Record<string, EventKind | 'http'> = {
  httptrigger: 'http',
  queuetrigger: 'queue',
  servicebustrigger: 'topic',
  blobtrigger: 'storage',
  timertrigger: 'schedule',
  eventgridtrigger: 'event',
};

export interface EventTarget {
  readonly name: string;
  readonly kind: EventKind;
  /** The trigger function (`<name>`): queue, Service Bus, blob, timer or Event Grid. */
  readonly main: RegisteredFunction | undefined;
  /** A storage function's BlobDeleted function (`<name>-deleted`). */
  readonly deleted: RegisteredFunction | undefined;
  /** faasport.json options (empty without a manifest). */
  readonly options: Readonly<Record<string, unknown>>;
}

export function triggerTypeOf(fn: RegisteredFunction): string | undefined {
  for (const binding of Object.values(fn.bindings)) {
    if (typeof binding.type === 'string' && /trigger$/i.test(binding.type)) return binding.type;
  }
  return undefined;
}

const kindOf = (fn: RegisteredFunction): EventKind | 'http' | undefined => KIND_OF_TRIGGER[(triggerTypeOf(fn) ?? '').toLowerCase()];

export function resolveEventTarget(name: string, functions: readonly RegisteredFunction[], manifest: readonly ManifestFunction[] | undefined): EventTarget {
  const main = functions.find((fn) => fn.name === name);
  const deleted = functions.find((fn) => fn.name === `${name}${DELETED_SUFFIX}` && kindOf(fn) === 'event');
  const listed = manifest?.find((fn) => fn.name === name);
  if (!main && !deleted) {
    const known = functions.map((fn) => fn.name).join(', ') || 'none';
    throw new Error(`faasport azure emulator: no function named "${name}" is registered (registered: ${known})`);
  }
  const kind = listed?.kind ?? (main ? kindOf(main) : 'storage');
  if (kind === 'http') throw new Error(`faasport azure emulator: "${name}" is an HTTP function; send it requests instead of deliver()`);
  if (!kind || !(EVENT_KINDS as readonly string[]).includes(kind)) {
    throw new Error(`faasport azure emulator: "${name}" has a trigger the emulator cannot deliver to (${main ? triggerTypeOf(main) : 'none'})`);
  }
  return { name, kind: kind as EventKind, main, deleted: kind === 'storage' ? deleted : undefined, options: listed?.options ?? {} };
}

/** The kind of function a stimulus is for, by its shape. */
export function stimulusKinds(stimulus: object): readonly EventKind[] {
  if ('messages' in stimulus) return ['queue', 'topic'];
  if ('object' in stimulus) return ['storage'];
  if ('scheduledTime' in stimulus) return ['schedule'];
  if ('cloudEvent' in stimulus) return ['event'];
  return [];
}

const EXPECTED: Record<EventKind, string> = {
  queue: '{ messages: [...] }',
  topic: '{ messages: [...] }',
  storage: "{ object: { bucket, key, body? }, type: 'created' | 'deleted' }",
  schedule: '{ scheduledTime }',
  event: '{ cloudEvent }',
};

export function checkStimulus(target: EventTarget, stimulus: object): void {
  if (!stimulusKinds(stimulus).includes(target.kind)) {
    throw new Error(`faasport azure emulator: "${target.name}" is a ${target.kind} function; deliver ${EXPECTED[target.kind]} to it`);
  }
}

/** maxAttempts: the stimulus, else the function's option, else the trigger's default. */
export function maxAttemptsOf(stimulus: { maxAttempts?: number | undefined }, target: EventTarget, fallback: number): number {
  const value = stimulus.maxAttempts ?? (typeof target.options.maxAttempts === 'number' ? target.options.maxAttempts : undefined) ?? fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`faasport azure emulator: maxAttempts must be a positive integer, got ${value}`);
  return value;
}
