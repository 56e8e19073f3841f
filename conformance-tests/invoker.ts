import type { Provider } from '../core/types.js';

/** How a conformance case reaches a deployed function, the same way on every provider. */
export interface Invoker {
  readonly provider: Provider;
  /** The emulator's HTTP front door. */
  readonly url: string;
  /** Sends a request to the front door; `path` may include a query. Redirects are not followed. */
  http(path: string, init?: RequestInit): Promise<Response>;
}

export interface ConformanceCase {
  /** Named after the behaviour it pins, e.g. "two Set-Cookie headers survive". */
  readonly name: string;
  /** Throws (for example with node:assert) when the provider does not behave. */
  run(invoker: Invoker): Promise<void>;
}

export const defineCase = (name: string, run: ConformanceCase['run']): ConformanceCase => ({ name, run });

export function httpInvoker(provider: Provider, url: string): Invoker {
  return {
    provider,
    url,
    http: (path, init) => fetch(new URL(path, url), { redirect: 'manual', ...init }),
  };
}
