import type { CloudEvent, Provider } from '../core/types.js';
import { deliveryObservations, httpObservations, type ObservationLog } from './observations.js';
import type { Probe } from './probe.js';
import { wireRequest, type WireRequest, type WireResponse } from './wire.js';

/**
 * At-least-once on demand: every platform here may deliver a message that was handled successfully once more.
 * `duplicateRate` (0 to 1) is the chance that each handled message is delivered a second time, as the platform's
 * duplicate would arrive (same message id). The emulator's `atLeastOnce` option sets the default for every
 * delivery; a stimulus can set its own. Draws come from a seeded generator, so a run is reproducible.
 */
export interface DuplicateDelivery {
  duplicateRate?: number;
}
export interface MessageStimulus extends DuplicateDelivery {
  messages: { body: string | Uint8Array; attributes?: Record<string, string> }[];
  maxAttempts?: number;
}
export interface StorageStimulus extends DuplicateDelivery {
  object: { bucket: string; key: string; body?: string | Uint8Array; contentType?: string };
  type: 'created' | 'deleted';
  maxAttempts?: number;
}
export interface ScheduleStimulus extends DuplicateDelivery {
  scheduledTime: Date | string;
  maxAttempts?: number;
}
export interface CloudEventStimulus extends DuplicateDelivery {
  cloudEvent: CloudEvent;
  maxAttempts?: number;
}
export type Stimulus = MessageStimulus | StorageStimulus | ScheduleStimulus | CloudEventStimulus;

export const OUTCOMES = ['acked', 'dead-lettered'] as const;
export interface DeliveryReport {
  /** One per message, in message order (a single entry for storage, schedule and event). */
  /**
   * `attempts` counts deliveries up to the outcome; `duplicates` (when present and above 0) counts the extra
   * deliveries of a message that had already been handled successfully (at-least-once).
   */
  outcomes: { attempts: number; outcome: (typeof OUTCOMES)[number]; duplicates?: number }[];
}

/** A request about to be sent, for an emulator to add the platform's credentials to (in place). */
export interface OutgoingRequest {
  readonly method: string;
  readonly url: URL;
  /** Lower-case names. */
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

export interface HttpCallOptions {
  /**
   * Present the platform's credentials, as a caller allowed to invoke a non-anonymous function would: a
   * SigV4 signature (AWS), a function key in `x-functions-key` (Azure), an identity token (GCP).
   */
  readonly authorized?: boolean;
}

/** How a conformance case reaches a deployed function, the same way on every provider. */
export interface Invoker {
  readonly provider: Provider;
  /** The emulator's HTTP front door. */
  readonly url: string;
  /**
   * Sends a request to the front door; `path` may include a query. Redirects are not followed. With
   * `authorized`, the body must be a string or bytes (it is part of what AWS signs).
   */
  http(path: string, init?: RequestInit, options?: HttpCallOptions): Promise<Response>;
  /**
   * The same request read byte for byte off the socket: for what `fetch` hides, such as bytes a server sends
   * after the headers of a HEAD or 204 answer.
   */
  wire(path: string, init?: WireRequest): Promise<WireResponse>;
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
  /** Providers the case means something on (default: all); the others show `n/a` with `why`. */
  readonly providers?: readonly Provider[];
  /** Why the case does not apply to the providers it leaves out. */
  readonly why?: string;
}

export interface CaseOptions {
  readonly providers?: readonly Provider[];
  readonly why?: string;
}

export const defineCase = (name: string, run: ConformanceCase['run'], options: CaseOptions = {}): ConformanceCase => {
  if (options.providers && !options.why) throw new TypeError(`defineCase("${name}"): say why the case does not apply to the other providers (options.why)`);
  return { name, run, ...options };
};

export interface InvokerTarget {
  provider: Provider;
  url: string;
  deliver: (functionName: string, stimulus: Stimulus) => Promise<DeliveryReport>;
  logs?: (functionName: string) => string[];
  /** Adds the platform's credentials to a request (see HttpCallOptions.authorized). */
  authorize?: (request: OutgoingRequest) => void;
}

function bodyBytes(body: RequestInit['body']): Uint8Array {
  if (body === undefined || body === null) return new Uint8Array(0);
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  throw new TypeError('faasport: an authorized http() call needs a string or Uint8Array body (the signature covers it)');
}

async function authorizedFetch(target: InvokerTarget, path: string, init: RequestInit = {}): Promise<Response> {
  if (!target.authorize) throw new Error(`faasport: the ${target.provider} emulator cannot present credentials`);
  const url = new URL(path, target.url);
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => {
    headers[name] = value;
  });
  const body = bodyBytes(init.body);
  target.authorize({ method: (init.method ?? 'GET').toUpperCase(), url, headers, body });
  // fetch sets Host from the URL itself (the same value that was signed).
  delete headers.host;
  return fetch(url, { redirect: 'manual', ...init, headers });
}

/**
 * An invoker over a running emulator. With a `log`, every answer is also kept there (status, headers and body
 * hash; delivery outcomes) so the runner can compare providers with each other.
 */
export function createInvoker(target: InvokerTarget, probe: Probe, log?: ObservationLog): Invoker {
  const provider = target.provider;
  return {
    provider,
    url: target.url,
    probe,
    async http(path, init, options) {
      const res = options?.authorized ? await authorizedFetch(target, path, init) : await fetch(new URL(path, target.url), { redirect: 'manual', ...init });
      if (!log) return res;
      // Read a copy beside the case, not before it: a streaming case reads chunk by chunk as they come.
      const label = log.label(`${init?.method ?? 'GET'} ${path}`);
      const copy = res.clone();
      log.pending(
        copy.body,
        (body) => httpObservations(label, { status: res.status, headers: [...res.headers], body }, provider),
      );
      return res;
    },
    async wire(path, init) {
      const answer = await wireRequest(target.url, path, init);
      log?.add(httpObservations(log.label(`wire ${init?.method ?? 'GET'} ${path}`), answer, provider));
      return answer;
    },
    async deliver(fn, stimulus) {
      const report = await target.deliver(fn, stimulus);
      log?.add(deliveryObservations(log.label(`deliver ${fn}`), report));
      return report;
    },
    logs: (fn) => target.logs?.(fn) ?? [],
  };
}
