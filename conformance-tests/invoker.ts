import type { CloudEvent, Provider } from '../core/types.js';
import type { Probe } from './probe.js';

export interface MessageStimulus {
  messages: { body: string | Uint8Array; attributes?: Record<string, string> }[];
  maxAttempts?: number;
}
export interface StorageStimulus {
  object: { bucket: string; key: string; body?: string | Uint8Array; contentType?: string };
  type: 'created' | 'deleted';
  maxAttempts?: number;
}
export interface ScheduleStimulus {
  scheduledTime: Date | string;
  maxAttempts?: number;
}
export interface CloudEventStimulus {
  cloudEvent: CloudEvent;
  maxAttempts?: number;
}
export type Stimulus = MessageStimulus | StorageStimulus | ScheduleStimulus | CloudEventStimulus;

export const OUTCOMES = ['acked', 'dead-lettered'] as const;
export interface DeliveryReport {
  /** One per message, in message order (a single entry for storage, schedule and event). */
  outcomes: { attempts: number; outcome: (typeof OUTCOMES)[number] }[];
}

/** How a conformance case reaches a deployed function, the same way on every provider. */
export interface Invoker {
  readonly provider: Provider;
  /** The emulator's HTTP front door. */
  readonly url: string;
  /** Sends a request to the front door; `path` may include a query. Redirects are not followed. */
  http(path: string, init?: RequestInit): Promise<Response>;
  /** Delivers events to a function through the provider's own mechanism; resolves when all settled. */
  deliver(functionName: string, stimulus: Stimulus): Promise<DeliveryReport>;
  /** What fixture functions reported (present when the runner started a probe). */
  readonly probe: Probe;
  /** The latest log lines of a function as its platform kept them (on Azure: the whole app's). */
  logs(functionName: string): string[];
}

export interface ConformanceCase {
  /** Named after the behaviour it pins, e.g. "two Set-Cookie headers survive". */
  readonly name: string;
  /** Throws (for example with node:assert) when the provider does not behave. */
  run(invoker: Invoker): Promise<void>;
}

export const defineCase = (name: string, run: ConformanceCase['run']): ConformanceCase => ({ name, run });

export interface InvokerTarget {
  provider: Provider;
  url: string;
  deliver: (functionName: string, stimulus: Stimulus) => Promise<DeliveryReport>;
  logs?: (functionName: string) => string[];
}

export function createInvoker(target: InvokerTarget, probe: Probe): Invoker {
  return {
    provider: target.provider,
    url: target.url,
    probe,
    http: (path, init) => fetch(new URL(path, target.url), { redirect: 'manual', ...init }),
    deliver: (fn, stimulus) => target.deliver(fn, stimulus),
    logs: (fn) => target.logs?.(fn) ?? [],
  };
}
