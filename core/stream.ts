/**
 * Streamed responses (`http({ stream: true })`): the head goes out at once, the body chunk by chunk as the
 * handler's stream yields it. Provider-neutral: each adapter supplies how a chunk is written to its platform.
 */
import type { HttpFunction } from './types.js';

export interface ResponseHead {
  status: number;
  statusText: string;
  /** Every header but Set-Cookie, lower-case names, combined values. */
  headers: Record<string, string>;
  /** Each Set-Cookie on its own. */
  cookies: string[];
}

export const isStreaming = (fn: HttpFunction): boolean => fn.options.stream === true;

/** Status and headers of a Response, without touching its body. */
export function responseHead(response: Response): ResponseHead {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  return { status: response.status, statusText: response.statusText, headers, cookies: response.headers.getSetCookie() };
}

/** The body to stream: null for HEAD (whose body is cancelled unread) and for a Response without one. */
export function responseBody(response: Response, method: string): ReadableStream<Uint8Array> | null {
  const body = response.body;
  if (body && method === 'HEAD') {
    body.cancel().catch(() => {});
    return null;
  }
  return body;
}

function checkChunk(value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`faasport: a streamed response body must yield Uint8Array chunks (pipe text through a TextEncoderStream); got ${typeof value}`);
  }
}

/** Writes one chunk; a promise when the platform asks to wait (back-pressure) before the next. */
export type ChunkWriter = (chunk: Uint8Array) => void | Promise<void>;

export const PIPE_OUTCOMES = ['done', 'cancelled'] as const;
export type PipeOutcome = (typeof PIPE_OUTCOMES)[number];

/**
 * Reads `body` and hands each chunk to `write`, one at a time: the next chunk is read only once the last one
 * was taken, so a slow client slows the handler's stream instead of filling memory. When `gone` aborts (the
 * client went away) the stream is cancelled, which runs the handler's `cancel()`. Rejects with the stream's
 * own error when the handler's stream fails mid-way; the adapter then ends the response its platform's way.
 */
export async function pipeBody(body: ReadableStream<Uint8Array>, write: ChunkWriter, gone: AbortSignal): Promise<PipeOutcome> {
  const reader = body.getReader();
  const cancel = () => {
    reader.cancel(gone.reason).catch(() => {});
  };
  if (gone.aborted) {
    cancel();
    return 'cancelled';
  }
  // Equivalent mutant (`{ once: true }` dropped): 'abort' fires once; the option only lets the listener go sooner.
  gone.addEventListener('abort', cancel, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (gone.aborted) return 'cancelled';
      if (done) return 'done';
      checkChunk(value);
      if (value.byteLength === 0) continue;
      const wait = write(value);
      if (wait) await wait; // (awaiting undefined would only cost a microtask)
    }
  } finally {
    gone.removeEventListener('abort', cancel);
  }
}

/** The reason `ctx.signal` carries when the client closed the connection before the response was complete. */
export const clientGone = (): Error => new Error('faasport: the client closed the connection before the response was complete');

/**
 * The handler's body as a stream a platform library reads itself (Azure's): the same bytes, pulled one chunk per
 * read; a failure is handed to `onError` (to log it in full) and surfaces to the reader as an error that says
 * nothing about it; `gone` cancels the handler's stream. `onEnd` runs when the body is over for any of those
 * reasons (it may run more than once).
 */
export function guardedBody(
  body: ReadableStream<Uint8Array>,
  gone: AbortSignal,
  onError: (error: unknown) => void,
  onEnd: () => void = () => {},
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const cancel = () => {
    onEnd();
    reader.cancel(gone.reason).catch(() => {});
  };
  // A client that left before the body was wrapped gets the same cancel: 'abort' has fired already.
  if (gone.aborted) cancel();
  // Equivalent mutant (`{ once: true }` dropped), as above.
  else gone.addEventListener('abort', cancel, { once: true });
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            gone.removeEventListener('abort', cancel);
            onEnd();
            controller.close();
            return;
          }
          checkChunk(value);
          controller.enqueue(value);
        } catch (error) {
          gone.removeEventListener('abort', cancel);
          onEnd();
          if (gone.aborted) return controller.close();
          onError(error);
          controller.error(new Error('faasport: the response stream failed mid-way (the log has the error)'));
        }
      },
      cancel(reason) {
        gone.removeEventListener('abort', cancel);
        onEnd();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
