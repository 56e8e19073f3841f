/**
 * HTTP stream mode of the v4 model (`app.setup({ enableHttpStream: true })`, @azure/functions >= 4.3, host >= 4.28:
 * src/setup.ts). The library then takes each HTTP invocation on an HTTP server of its own in the worker and writes
 * an HttpResponseInit whose `body` is a ReadableStream chunk by chunk as it reads it (src/http/httpProxy.ts
 * sendProxyResponse). It keeps that connection to itself, so faasport learns that the client went away from
 * node:diagnostics_channel's `http.server.request.start` (Node's own report of every request a node:http server
 * takes): the request carrying this invocation's `x-ms-invocation-id` closing early aborts `ctx.signal`.
 * The library writes without waiting for `drain`: a slow client's bytes wait in the worker's memory.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientGone } from '../../../core/stream.js';

const INVOCATION_ID_HEADER = 'x-ms-invocation-id';
const gones = new Map<string, AbortController>();
let watching = false;

const goneFor = (invocationId: string): AbortController => {
  let gone = gones.get(invocationId);
  if (!gone) gones.set(invocationId, (gone = new AbortController()));
  return gone;
};

/** Starts watching the library's proxied requests (idempotent; called when a streaming function is adapted). */
export function watchProxiedRequests(): void {
  if (watching) return;
  watching = true;
  subscribe('http.server.request.start', (message) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    const invocationId = request.headers[INVOCATION_ID_HEADER];
    if (typeof invocationId !== 'string') return;
    const gone = goneFor(invocationId);
    response.once('close', () => {
      if (!response.writableFinished) gone.abort(clientGone());
      gones.delete(invocationId);
    });
  });
}

/** Aborts when the host drops the proxied request of this invocation before its response was complete. */
export function proxiedRequestGone(invocationId: string): AbortSignal {
  return goneFor(invocationId).signal;
}
