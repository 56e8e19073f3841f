/** adapt() for HTTP functions: the functions-framework `(req, res)` handler around dispatchHttp. */
import { BadEventError } from '../../core/errors.js';
import { installFastFetch } from '../../core/fetch/install.js';
import { dispatchHttp, readResponse } from '../../core/http.js';
import { createLogger } from '../../core/log.js';
import { isStreaming } from '../../core/stream.js';
import type { HttpFunction } from '../../core/types.js';
import { invocationIdFrom, requestTarget, toFetchRequest, type RequestTarget } from './http-request.js';
import { writeResponse, writeText } from './http-response.js';
import { clientGoneSignal, writeStreamedResponse } from './http-stream.js';
import { cloudLoggingSink, contextLoggingSink } from './log.js';
import type { AdaptOptions, GcpHttpHandler, GcpHttpNative, GcpRequest, GcpResponse } from './types.js';

/** The deployed function's name as the platform tells it: K_SERVICE (2nd gen) or FUNCTION_TARGET. */
export function defaultFunctionName(env: NodeJS.ProcessEnv = process.env): string {
  return env.K_SERVICE || env.FUNCTION_TARGET || 'function';
}

/**
 * The deadline of an invocation that started at `start`: Cloud Run ends a request that runs past the
 * service's request timeout (https://cloud.google.com/run/docs/configuring/request-timeout), and an event
 * function's timeout counts from the delivery (https://cloud.google.com/functions/docs/configuring/timeout).
 */
export const deadlineOf = (options: AdaptOptions, start: number): number | undefined =>
  options.timeoutMs === undefined ? undefined : start + options.timeoutMs;

/** A timeout is a positive finite number of milliseconds. */
export function checkTimeoutMs(timeoutMs: unknown): void {
  if (timeoutMs === undefined) return;
  // Stryker disable next-line ConditionalExpression: Number.isFinite is false for anything but a number, so dropping the typeof test changes nothing
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError(`faasport/gcp: timeoutMs must be a positive number of milliseconds (the function's timeout); got ${String(timeoutMs)}`);
  }
}

/** The adapter's own lines, in the same Cloud Logging form as ctx.log; built only when there is one to write. */
const adapterLog = (functionName: string, invocationId: string) => createLogger(cloudLoggingSink({ function: functionName, invocationId }));

export function adaptHttp(fn: HttpFunction, options: AdaptOptions = {}): GcpHttpHandler {
  return httpHandler(fn, options, isStreaming(fn) ? STREAMED : undefined);
}

/** adaptHttp() for a function that does not stream: the streaming code is not referenced, so a bundle leaves it out. */
export function adaptBufferedHttp(fn: HttpFunction, options: AdaptOptions = {}): GcpHttpHandler {
  return httpHandler(fn, options, undefined);
}

/** How a streaming function's response goes out (http-stream.ts). */
const STREAMED = { goneSignal: clientGoneSignal, write: writeStreamedResponse };

function httpHandler(fn: HttpFunction, options: AdaptOptions, streamed: typeof STREAMED | undefined): GcpHttpHandler {
  const functionName = options.name ?? defaultFunctionName();
  // Light Request/Response from here on (adapt() runs while the app loads, before any request); see core/fetch.
  installFastFetch();
  return async (req: GcpRequest, res: GcpResponse): Promise<void> => {
    const deadline = deadlineOf(options, Date.now());
    const invocationId = invocationIdFrom(req);
    let target: RequestTarget;
    try {
      target = requestTarget(req);
    } catch (error) {
      if (!(error instanceof BadEventError)) throw error;
      // The caller's fault: a warning with the reason, no stack.
      adapterLog(functionName, invocationId).warn('faasport: malformed request answered 400', { reason: error.message });
      writeText(res, 400, `Bad Request: ${error.message}`);
      return;
    }
    const gone = streamed?.goneSignal(res);
    const response = await dispatchHttp<GcpHttpNative>(fn, {
      method: target.method,
      path: target.path,
      request: () => toFetchRequest(req, target),
      context: { provider: 'gcp', functionName, invocationId, deadline, native: { req, res }, logSinkFor: contextLoggingSink, signal: gone },
    });
    if (gone) return streamed!.write(res, response, target.method, gone, () => adapterLog(functionName, invocationId));
    try {
      const read = readResponse(response, target.method);
      const parts = read instanceof Promise ? await read : read;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: shortcuts only: parts.body encodes the same text, byteLength is exact at any length, and length never equals MAX/3 (not an integer)
      const size = parts.text !== undefined ? (parts.text.length > MAX_HTTP1_RESPONSE_BYTES / 3 ? Buffer.byteLength(parts.text) : 0) : (parts.body?.byteLength ?? 0);
      if (size > MAX_HTTP1_RESPONSE_BYTES) {
        adapterLog(functionName, invocationId).error(
          `faasport/gcp: the response body is ${size} bytes, over Cloud Run's ${MAX_HTTP1_RESPONSE_BYTES}-byte (32 MiB) limit for a ` +
            'buffered HTTP/1 response; Cloud Run would not deliver it. Stream it (http({ stream: true })) or hand out a link to the object instead; answered 500',
          { status: parts.status, bytes: size },
        );
        writeText(res, 500, 'Internal Server Error');
        return;
      }
      writeResponse(res, parts, response.statusText);
    } catch (error) {
      // The handler's Response failed while its body was read (an erroring stream, say): still the
      // function's fault, so 500 with nothing about the error in the body.
      adapterLog(functionName, invocationId).error('faasport: the response could not be sent', { error });
      if (!res.headersSent) writeText(res, 500, 'Internal Server Error');
      else res.destroy();
    }
  };
}

/**
 * Cloud Run's "Maximum HTTP/1 server response size": 32 MiB for a response that is not streamed
 * (cloud.google.com/run/quotas, "Request and response size limits"); a streamed (chunked) response may be larger.
 */
export const MAX_HTTP1_RESPONSE_BYTES = 32 * 1024 * 1024;
