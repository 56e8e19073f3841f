import { describe, expect, it } from 'vitest';
import { createHttpContext } from './context.js';
import { pipeBody, responseBody, responseHead } from './stream.js';

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
