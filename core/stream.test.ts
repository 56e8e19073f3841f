import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createHttpContext } from './context.js';
import { clientGone, guardedBody, isStreaming, PIPE_OUTCOMES, pipeBody, responseBody, responseHead } from './stream.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('pipeBody', () => {
  it('reads the next chunk only once the sink took the last one (back-pressure)', async () => {
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulls++;
          controller.enqueue(bytes(`c${pulls}`));
          if (pulls === 3) controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const seen: string[] = [];
    let release!: () => void;
    const writing = pipeBody(
      body,
      (chunk) => {
        seen.push(new TextDecoder().decode(chunk));
        if (seen.length === 1) return new Promise<void>((resolve) => (release = resolve));
      },
      new AbortController().signal,
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual(['c1']);
    expect(pulls).toBe(1);
    release();
    await expect(writing).resolves.toBe('done');
    expect(seen).toEqual(['c1', 'c2', 'c3']);
  });

  it('cancels the stream with the reason when the client goes away', async () => {
    let cancelled: unknown;
    const body = new ReadableStream<Uint8Array>({ pull: (c) => c.enqueue(bytes('x')), cancel: (reason) => void (cancelled = reason) });
    const gone = new AbortController();
    let writes = 0;
    const outcome = await pipeBody(
      body,
      () => {
        if (++writes === 2) gone.abort(new Error('client left'));
      },
      gone.signal,
    );
    expect(outcome).toBe('cancelled');
    expect((cancelled as Error).message).toBe('client left');
  });

  it('rejects with the stream error, and names a chunk that is not bytes', async () => {
    const failing = new ReadableStream<Uint8Array>({ pull: () => Promise.reject(new Error('boom')) });
    await expect(pipeBody(failing, () => {}, new AbortController().signal)).rejects.toThrow('boom');
    const strings = new ReadableStream({ start: (c) => c.enqueue('text') }) as unknown as ReadableStream<Uint8Array>;
    await expect(pipeBody(strings, () => {}, new AbortController().signal)).rejects.toThrow(/Uint8Array chunks.*TextEncoderStream/);
  });
});

describe('responseHead and responseBody', () => {
  it('read status, headers and each Set-Cookie without touching the body; HEAD gets none', async () => {
    const headers = new Headers({ 'x-a': '1' });
    headers.append('set-cookie', 'a=1');
    headers.append('set-cookie', 'b=2');
    const response = new Response(new ReadableStream({ start: (c) => c.close() }), { status: 203, headers });
    expect(responseHead(response)).toEqual({ status: 203, statusText: '', headers: { 'x-a': '1' }, cookies: ['a=1', 'b=2'] });
    expect(response.bodyUsed).toBe(false);
    expect(responseBody(response, 'HEAD')).toBeNull();
  });
});

describe('ctx.signal of a streaming invocation', () => {
  it('aborts with the adapter signal reason, also when it had aborted before the handler looked', () => {
    const gone = new AbortController();
    const ctx = createHttpContext({ provider: 'local', functionName: 'f', invocationId: 'i', native: undefined, signal: gone.signal }, {});
    const early = createHttpContext({ provider: 'local', functionName: 'f', invocationId: 'i', native: undefined, signal: AbortSignal.abort('gone') }, {});
    expect(ctx.signal.aborted).toBe(false);
    gone.abort('client left');
    expect(ctx.signal.reason).toBe('client left');
    expect(early.signal.reason).toBe('gone');
  });
});

const text = (chunks: Uint8Array[]) => chunks.map((c) => new TextDecoder().decode(c)).join('');
const fromChunks = (...chunks: unknown[]) =>
  new ReadableStream<unknown>({ start: (c) => { for (const chunk of chunks) c.enqueue(chunk); c.close(); } }) as ReadableStream<Uint8Array>;

describe('pipeBody details', () => {
  it('skips empty chunks and hands every other one to the writer in order', async () => {
    const written: Uint8Array[] = [];
    const outcome = await pipeBody(fromChunks(bytes('a'), new Uint8Array(0), bytes('b')), (c) => void written.push(c), new AbortController().signal);
    expect(outcome).toBe('done');
    expect(written.map((c) => c.byteLength)).toEqual([1, 1]);
    expect(text(written)).toBe('ab');
  });
  it('cancels at once, writing nothing, when the client was gone before the first chunk', async () => {
    let cancelled: unknown;
    const body = new ReadableStream<Uint8Array>({ pull: (c) => c.enqueue(bytes('x')), cancel: (reason) => void (cancelled = reason) });
    let writes = 0;
    const outcome = await pipeBody(body, () => void writes++, AbortSignal.abort('already gone'));
    expect(outcome).toBe('cancelled');
    expect(writes).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(cancelled).toBe('already gone');
  });
  it('leaves no listener on the client signal once the body is done or failed', async () => {
    const gone = new AbortController();
    await pipeBody(fromChunks(bytes('x')), () => {}, gone.signal);
    expect(getEventListeners(gone.signal, 'abort')).toHaveLength(0);
    await expect(pipeBody(new ReadableStream({ pull: () => Promise.reject(new Error('x')) }), () => {}, gone.signal)).rejects.toThrow('x');
    expect(getEventListeners(gone.signal, 'abort')).toHaveLength(0);
  });
});

describe('responseBody and the small helpers', () => {
  it('hands back the body for any method but HEAD, and null for a response without one', () => {
    const response = new Response('x');
    expect(responseBody(response, 'GET')).toBe(response.body);
    expect(responseBody(new Response(null), 'GET')).toBeNull();
    expect(responseBody(new Response(null), 'HEAD')).toBeNull();
  });
  it('cancels the unread body of a HEAD response', async () => {
    let cancelled = false;
    const response = new Response(new ReadableStream({ cancel: () => void (cancelled = true) }));
    responseBody(response, 'HEAD');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(cancelled).toBe(true);
  });
  it('isStreaming is true only for stream: true', () => {
    const fn = (stream?: boolean) => ({ kind: 'http', options: { route: '/', stream }, handler: () => new Response() }) as never;
    expect(isStreaming(fn(true))).toBe(true);
    expect(isStreaming(fn(false))).toBe(false);
    expect(isStreaming(fn(undefined))).toBe(false);
  });
  it('clientGone says the client closed the connection', () => {
    expect(clientGone().message).toBe('faasport: the client closed the connection before the response was complete');
  });
  it('PIPE_OUTCOMES lists what pipeBody can answer', () => {
    expect(PIPE_OUTCOMES).toEqual(['done', 'cancelled']);
  });
});

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return chunks;
}

describe('guardedBody (a stream a platform library reads itself)', () => {
  it("cancels the handler's stream at once when the client had already left", async () => {
    const cancelled: unknown[] = [];
    const source = new ReadableStream<Uint8Array>({ pull: () => {}, cancel: (reason) => void cancelled.push(reason) }, { highWaterMark: 0 });
    const guarded = guardedBody(source, AbortSignal.abort('client left'), () => {});
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(cancelled).toEqual(['client left']);
    await guarded.cancel('done');
  });
  it('passes the same chunks through, one per read, then closes', async () => {
    let pulls = 0;
    const source = new ReadableStream<Uint8Array>(
      {
        pull(c) {
          pulls++;
          if (pulls <= 2) c.enqueue(bytes(`c${pulls}`));
          else c.close();
        },
      },
      { highWaterMark: 0 },
    );
    const gone = new AbortController();
    const guarded = guardedBody(source, gone.signal, () => {});
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(pulls).toBe(0);
    expect(getEventListeners(gone.signal, 'abort')).toHaveLength(1);
    expect(text(await readAll(guarded))).toBe('c1c2');
    expect(getEventListeners(gone.signal, 'abort')).toHaveLength(0);
  });
  it('hands a failure of the handler stream to onError and errors the reader with a message that says nothing about it', async () => {
    const errors: unknown[] = [];
    const secret = new Error('secret detail');
    const gone = new AbortController();
    const guarded = guardedBody(new ReadableStream({ pull: () => Promise.reject(secret) }), gone.signal, (e) => errors.push(e));
    await expect(readAll(guarded)).rejects.toThrow('faasport: the response stream failed mid-way (the log has the error)');
    expect(errors).toEqual([secret]);
    expect(getEventListeners(gone.signal, 'abort')).toHaveLength(0);
  });
  it('names a chunk that is not bytes as the failure', async () => {
    const errors: unknown[] = [];
    const guarded = guardedBody(fromChunks('text'), new AbortController().signal, (e) => errors.push(e));
    await expect(readAll(guarded)).rejects.toThrow('failed mid-way');
    expect((errors[0] as Error).message).toMatch(/Uint8Array chunks.*got string/);
  });
  it('cancels the handler stream with the reason when the client goes away, and closes quietly', async () => {
    let cancelled: unknown;
    const errors: unknown[] = [];
    const source = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}), cancel: (reason) => void (cancelled = reason) }, { highWaterMark: 0 });
    const gone = new AbortController();
    const guarded = guardedBody(source, gone.signal, (e) => errors.push(e));
    const reading = readAll(guarded);
    await new Promise((resolve) => setTimeout(resolve, 10));
    gone.abort('client left');
    expect(await reading).toEqual([]);
    expect(cancelled).toBe('client left');
    expect(errors).toEqual([]);
  });
  it('cancelling the guarded stream cancels the handler stream with the same reason', async () => {
    let cancelled: unknown;
    const source = new ReadableStream<Uint8Array>({ cancel: (reason) => void (cancelled = reason) });
    const gone = new AbortController();
    const guarded = guardedBody(source, gone.signal, () => {});
    await guarded.cancel('reader stopped');
    expect(cancelled).toBe('reader stopped');
    expect(getEventListeners(gone.signal, 'abort')).toHaveLength(0);
  });
  it('reports nothing when the handler stream fails because the client went away', async () => {
    const errors: unknown[] = [];
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const source = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) }, { highWaterMark: 0 });
    const gone = new AbortController();
    // The handler's own listener (registered first, as through ctx.signal) fails its stream on the abort.
    gone.signal.addEventListener('abort', () => controller.error(new Error('handler saw the abort')));
    const guarded = guardedBody(source, gone.signal, (e) => errors.push(e));
    const reading = readAll(guarded);
    await new Promise((resolve) => setTimeout(resolve, 10));
    gone.abort('client left');
    expect(await reading).toEqual([]);
    expect(errors).toEqual([]);
  });
});
