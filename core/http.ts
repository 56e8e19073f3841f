import { createHttpContext, releaseContext, type ContextInit } from './context.js';
import { BadEventError } from './errors.js';
import { putHeader } from './fetch/headers.js';
import { lightResponseParts } from './fetch/response.js';
import { compileRoute } from './route.js';
import type { Context, HttpFunction, HttpMethod } from './types.js';

const ALL_METHODS: readonly HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Methods a function answers; HEAD comes free with GET, as in every HTTP server. */
export function allowedMethods(fn: HttpFunction): readonly HttpMethod[] {
  const methods = fn.options.methods;
  if (!methods || methods.length === 0) return ALL_METHODS;
  return methods.includes('GET') && !methods.includes('HEAD') ? [...methods, 'HEAD'] : methods;
}

/** allowedMethods(fn).includes(method), without building the list on every call. */
function methodAllowed(fn: HttpFunction, method: string): boolean {
  const methods = fn.options.methods as readonly string[] | undefined;
  if (!methods || methods.length === 0) return (ALL_METHODS as readonly string[]).includes(method);
  return methods.includes(method) || (method === 'HEAD' && methods.includes('GET'));
}

export function textResponse(status: number, text: string, headers?: Record<string, string>): Response {
  return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } });
}

export interface HttpDispatch<N> {
  /** Upper-case request method. */
  method: string;
  /** The request path as on the wire (percent-encoded), without query. */
  path: string;
  /** Builds the Fetch Request; only called when the route and method match. */
  request: () => Request;
  context: ContextInit<N>;
}

/**
 * Routes, runs and guards one HTTP invocation. Never throws: a handler failure becomes a 500 whose body
 * says nothing about the error, while the log gets the error with its cause chain.
 */
export async function dispatchHttp<N>(fn: HttpFunction, d: HttpDispatch<N>): Promise<Response> {
  const params = compileRoute(fn.options.route).match(d.path);
  if (!params) return textResponse(404, 'Not Found');
  if (!methodAllowed(fn, d.method)) {
    return textResponse(405, 'Method Not Allowed', { allow: allowedMethods(fn).join(', ') });
  }
  const ctx = createHttpContext(d.context, params);
  let request: Request;
  try {
    request = d.request();
  } catch (error) {
    // The native event could not become a Request: the caller's fault, and the handler never ran.
    if (error instanceof BadEventError) {
      ctx.log.warn('faasport: bad event, answered 400', { reason: error.message, error: error.cause });
      return textResponse(400, error.message);
    }
    ctx.log.error('faasport: the request could not be built', { error });
    return textResponse(500, 'Internal Server Error');
  }
  let streamed = false;
  try {
    const response = await fn.handler(request, ctx);
    if (!(response instanceof Response)) {
      ctx.log.error('faasport: the handler did not return a Response', { returned: typeof response });
      return textResponse(500, 'Internal Server Error');
    }
    if (fn.options.stream === true) {
      // Its body is still being produced and may watch ctx.signal: released once the adapter has sent it.
      STREAMING.set(response, ctx);
      streamed = true;
    }
    return response;
  } catch (error) {
    ctx.log.error('faasport: the handler threw', { error });
    return textResponse(500, 'Internal Server Error');
  } finally {
    if (!streamed) releaseContext(ctx);
  }
}

/** The invocations of streamed responses whose bodies are still being sent. */
const STREAMING = new WeakMap<Response, Context<unknown>>();

/**
 * Ends the invocation of a streamed response once the adapter has sent its body, or stopped sending it: its
 * `ctx.signal` no longer aborts at the deadline, and no timer of it outlives the response.
 */
export function streamedResponseEnded(response: Response): void {
  const ctx = STREAMING.get(response);
  if (ctx === undefined) return;
  STREAMING.delete(response);
  releaseContext(ctx);
}

export interface ResponseParts {
  status: number;
  /** Every header but Set-Cookie, lower-case names, combined values. */
  headers: Record<string, string>;
  /** Each Set-Cookie on its own. */
  cookies: string[];
  /** undefined when the response has no body (or the request was HEAD). */
  body: Uint8Array | undefined;
  /**
   * The body as text, when the Response was made from a string that UTF-8 round-trips unchanged (a light
   * Response, see core/fetch): adapters that answer text can use it as is. `body` then holds the same
   * text as UTF-8 bytes, encoded on first read.
   */
  text?: string;
}

/**
 * Reads a Response into the parts every native response shape is built from. A LightResponse (see
 * core/fetch) is read from its stored body and headers, without streams, and at once: the parts, not a
 * promise (awaiting the result works either way).
 */
export function readResponse(response: Response, method: string): ResponseParts | Promise<ResponseParts> {
  let light: ResponseParts | Promise<ResponseParts> | undefined;
  try {
    light = lightResponseParts(response, method);
  } catch (error) {
    // (A body already read): a rejection, as from the real path, which would reject with undici's same TypeError.
    // Equivalent mutant (this block emptied): the real path below then rejects with that TypeError itself.
    return Promise.reject(error);
  }
  return light !== undefined ? light : readRealResponse(response, method);
}

async function readRealResponse(response: Response, method: string): Promise<ResponseParts> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    // putHeader: a header named "__proto__" stays a header instead of replacing the record's prototype.
    if (name !== 'set-cookie') putHeader(headers, name, value);
  });
  const cookies = response.headers.getSetCookie();
  let body: Uint8Array | undefined;
  if (method === 'HEAD' || response.body === null) {
    if (response.body) await response.body.cancel();
  } else {
    body = new Uint8Array(await response.arrayBuffer());
  }
  return { status: response.status, headers, cookies, body };
}
