/**
 * A streaming function's response on the functions-framework: the head at once, then each chunk as the
 * handler's stream yields it, written with node:http's own back-pressure (`write()` false -> wait for
 * `drain`). Node sends each write as an HTTP/1.1 chunk straight away (no buffering in between).
 */
import { streamedResponseEnded } from '../../core/http.js';
import { clientGone, pipeBody, responseBody, responseHead } from '../../core/stream.js';
import type { Logger } from '../../core/types.js';
import { HOP_BY_HOP } from './http-response.js';
import type { GcpResponse } from './types.js';

/** Aborts when the client closes the connection before the response was complete. */
export function clientGoneSignal(res: GcpResponse): AbortSignal {
  const gone = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) gone.abort(clientGone());
  });
  return gone.signal;
}

function drained(res: GcpResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Writes the streamed response. A stream that fails mid-way is logged in full and the connection is cut
 * (no last chunk), so the client sees an incomplete response instead of a short one that looks whole.
 */
export async function writeStreamedResponse(res: GcpResponse, response: Response, method: string, gone: AbortSignal, log: () => Logger): Promise<void> {
  try {
    await writeBody(res, response, method, gone, log);
  } finally {
    streamedResponseEnded(response);
  }
}

async function writeBody(res: GcpResponse, response: Response, method: string, gone: AbortSignal, log: () => Logger): Promise<void> {
  const head = responseHead(response);
  res.statusCode = head.status;
  if (head.statusText) res.statusMessage = head.statusText;
  for (const name in head.headers) {
    if (!HOP_BY_HOP.has(name)) res.setHeader(name, head.headers[name]!);
  }
  if (head.cookies.length > 0) res.setHeader('set-cookie', head.cookies);
  const body = responseBody(response, method);
  if (!body) {
    res.end();
    return;
  }
  res.flushHeaders(); // status and headers go out before the first chunk is ready
  try {
    const outcome = await pipeBody(body, (chunk) => (res.write(chunk) ? undefined : drained(res)), gone);
    if (outcome === 'done') res.end();
  } catch (error) {
    log().error('faasport: the response stream failed after the response had started; the connection is cut', { error });
    res.destroy();
  }
}
