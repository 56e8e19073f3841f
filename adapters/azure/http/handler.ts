import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { BadEventError } from '../../../core/errors.js';
import { installFastFetch } from '../../../core/fetch/install.js';
import { dispatchHttp, readResponse, streamedResponseEnded } from '../../../core/http.js';
import { guardedBody, isStreaming, responseBody, responseHead } from '../../../core/stream.js';
import type { HttpFunction } from '../../../core/types.js';
import { azureContextInit } from '../context.js';
import type { AdaptOptions, AzureHttpHandler, AzureHttpNative } from '../types.js';
import { readNativeBody, readNativeRequest, toFetchRequest } from './request.js';
import { toHttpResponseInit } from './response.js';
import { proxiedRequestGone, watchProxiedRequests } from './stream.js';

/** The native `app.http` handler for one faasport HTTP function. */
export function httpHandler(fn: HttpFunction, options: AdaptOptions = {}): AzureHttpHandler {
  // Light Request/Response from here on (adapt() runs while the app loads, before any invocation); see core/fetch.
  installFastFetch();
  if (!isStreaming(fn)) return handlerOf(fn, options, undefined);
  watchProxiedRequests();
  return handlerOf(fn, options, STREAMED);
}

/** httpHandler() for a function that does not stream: the stream-mode code is not referenced, so a bundle leaves it out. */
export function bufferedHttpHandler(fn: HttpFunction, options: AdaptOptions = {}): AzureHttpHandler {
  installFastFetch();
  return handlerOf(fn, options, undefined);
}

function handlerOf(fn: HttpFunction, options: AdaptOptions, streamed: typeof STREAMED | undefined): AzureHttpHandler {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    let parts;
    let body: Uint8Array<ArrayBuffer> | undefined;
    try {
      parts = readNativeRequest(request);
      // (GET and HEAD carry none: no promise to wait for on the most common calls.)
      // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral: a fast path: readNativeBody reads no body for GET and HEAD either
      if (parts.method !== 'GET' && parts.method !== 'HEAD') body = await readNativeBody(request, parts.method);
    } catch (error) {
      if (!(error instanceof BadEventError)) throw error;
      context.error(error.message);
      return { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: error.message };
    }
    const gone = streamed?.gone(context.invocationId);
    const init = azureContextInit<AzureHttpNative>(context, options.name, { request, context }, gone);
    const response = await dispatchHttp(fn, {
      method: parts.method,
      path: parts.path,
      request: () => toFetchRequest(parts, body),
      context: init,
    });
    const onBadCookie = (header: string) =>
      context.warn('faasport: dropped a Set-Cookie header the Azure host cannot write (it has no cookie name)', { header });
    if (gone) return streamed!.init(response, parts.method, gone, context, onBadCookie);
    const read = readResponse(response, parts.method);
    return toHttpResponseInit(read instanceof Promise ? await read : read, onBadCookie);
  };
}

/** Stream mode: the library reads the body as a stream and writes each chunk as it comes. */
const STREAMED = { gone: proxiedRequestGone, init: streamedInit };

function streamedInit(response: Response, method: string, gone: AbortSignal, context: InvocationContext, onBadCookie: (header: string) => void): HttpResponseInit {
  const out = toHttpResponseInit({ ...responseHead(response), body: undefined }, onBadCookie);
  const body = responseBody(response, method);
  const ended = () => streamedResponseEnded(response);
  if (body) {
    out.body = guardedBody(
      body,
      gone,
      (error) => context.error('faasport: the response stream failed after the response had started', { error }),
      ended,
    ) as HttpResponseInit['body'];
  } else ended();
  return out;
}
