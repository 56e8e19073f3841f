import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { BadEventError } from '../../../core/errors.js';
import { installFastFetch } from '../../../core/fetch/install.js';
import { dispatchHttp, readResponse } from '../../../core/http.js';
import type { HttpFunction } from '../../../core/types.js';
import { azureContextInit } from '../context.js';
import type { AdaptOptions, AzureHttpHandler, AzureHttpNative } from '../types.js';
import { readNativeBody, readNativeRequest, toFetchRequest } from './request.js';
import { toHttpResponseInit } from './response.js';

/** The native `app.http` handler for one faasport HTTP function. */
export function httpHandler(fn: HttpFunction, options: AdaptOptions = {}): AzureHttpHandler {
  // Light Request/Response from here on (adapt() runs while the app loads, before any invocation); see core/fetch.
  installFastFetch();
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    let parts;
    let body: Uint8Array<ArrayBuffer> | undefined;
    try {
      parts = readNativeRequest(request);
      // (GET and HEAD carry none: no promise to wait for on the most common calls.)
      if (parts.method !== 'GET' && parts.method !== 'HEAD') body = await readNativeBody(request, parts.method);
    } catch (error) {
      if (!(error instanceof BadEventError)) throw error;
      context.error(error.message);
      return { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: error.message };
    }
    const init = azureContextInit<AzureHttpNative>(context, options.name, { request, context });
    const response = await dispatchHttp(fn, {
      method: parts.method,
      path: parts.path,
      request: () => toFetchRequest(parts, body),
      context: init,
    });
    const read = readResponse(response, parts.method);
    return toHttpResponseInit(read instanceof Promise ? await read : read, (header) =>
      context.warn('faasport: dropped a Set-Cookie header the Azure host cannot write (it has no cookie name)', { header }),
    );
  };
}
