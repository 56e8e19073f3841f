/**
 * installFastFetch(): makes `Response` and `Headers` in user code the light classes, so `new Response(...)`,
 * `Response.json(...)`, `Response.redirect(...)` and `new Headers(...)` skip undici (its streams, and loading
 * it at all). `instanceof Headers` / `instanceof Response` hold for undici's objects too (a fetch() result),
 * as hono/node-server does for its Request/Response.
 *
 * Trade-off, and why it lives here: the package is `"sideEffects": false` and importing faasport must not
 * change globals, so nothing is installed at import time. Runtime adapters call this when a function is
 * adapted (`adapt(fn)`, at module load of the deployed entry, before any invocation), which is the moment
 * faasport owns the process. Objects made before that stay real undici objects and keep working:
 * `instanceof Response` accepts both kinds, and readResponse reads both. It also wraps the global
 * `Request` (once undici is loaded) and `fetch` so that a light request passed to `new Request(req)` or
 * `fetch(req)` is replaced by its real counterpart. Set `FAASPORT_NATIVE_FETCH=1` to keep Node's own
 * classes everywhere (adapters then build real Requests too).
 */
import { REAL, setGlobalOverrides } from './natives.js';
import { LightHeaders } from './headers.js';
import { isLightRequest } from './request.js';
import { LightResponse } from './response.js';

let enabled: boolean | undefined;

/** Whether the light classes are in use (FAASPORT_NATIVE_FETCH unset). Read once per process. */
export function fastFetchEnabled(): boolean {
  // Stryker disable next-line ConditionalExpression,StringLiteral: process always exists on Node (the typeof guard is for other runtimes only)
  return (enabled ??= !isOptOut(typeof process === 'undefined' ? undefined : process.env.FAASPORT_NATIVE_FETCH));
}

const isOptOut = (value: string | undefined): boolean => value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';

let installed = false;

/** Idempotent; returns whether the light classes are installed (false when opted out). */
export function installFastFetch(): boolean {
  if (installed) return true;
  if (!fastFetchEnabled()) return false;
  installed = true;
  setGlobalOverrides({ Response: LightResponse, Headers: LightHeaders, makeRequest: wrapRequest });
  const original = globalThis.fetch;
  // Equivalent mutant on Node 20 and later (the test as true): every one defines a global fetch.
  if (typeof original === 'function') {
    globalThis.fetch = function fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
      return original(isLightRequest(input) ? (input[REAL]() as Request) : input, init);
    };
  }
  return true;
}

/**
 * The global Request after install: the built-in class, except that a light request given as input is
 * first replaced by its real counterpart (undici reads internal slots a light object does not have).
 */
function wrapRequest(NativeRequest: typeof Request): typeof Request {
  const Request = class Request extends NativeRequest {
    constructor(input: RequestInfo | URL, init?: RequestInit) {
      super(isLightRequest(input) ? (input[REAL]() as globalThis.Request) : input, init);
    }

    static override [Symbol.hasInstance](value: unknown): boolean {
      if (this !== Request) return Function.prototype[Symbol.hasInstance].call(this, value);
      return value instanceof NativeRequest;
    }
  };
  return Request;
}
