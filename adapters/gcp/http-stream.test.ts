/** Streaming functions through the real functions-framework server (getTestServer), over real sockets. */
import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { http } from '../../core/define.js';
import { clientGoneSignal, writeStreamedResponse } from './http-stream.js';
import { register } from './index.js';
import type { GcpResponse } from './types.js';

const encoder = new TextEncoder();
const gates: Record<string, () => void> = {};
const gate = (name: string) => new Promise<void>((resolve) => (gates[name] = resolve));
let cancelled: unknown;
let aborted: unknown;

const functions = {
  'gcp-stream-gated': http({ route: '/gated', stream: true }, () => {
    const opened = gate('gated');
    return new Response(
      new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(encoder.encode('first;'));
          await opened; // the test opens the gate only once it has read the first chunk
          controller.enqueue(encoder.encode('last'));
          controller.close();
        },
      }),
      { status: 207, headers: [['content-type', 'text/plain'], ['set-cookie', 'a=1; Path=/'], ['set-cookie', 'b=2; Path=/']] },
    );
  }),
  'gcp-stream-forever': http({ route: '/forever', stream: true }, (_req, ctx) => {
    ctx.signal.addEventListener('abort', () => (aborted = ctx.signal.reason));
    return new Response(
      new ReadableStream<Uint8Array>({
        pull: async (controller) => {
          await new Promise((r) => setTimeout(r, 5));
          controller.enqueue(encoder.encode('tick\n'));
        },
        cancel: (reason) => {
          cancelled = reason;
        },
      }),
    );
  }),
  'gcp-stream-fails': http({ route: '/fails', stream: true }, () => {
    let sent = false;
    return new Response(
      new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent) throw new Error('generator broke', { cause: new Error('upstream model went away') });
          sent = true;
          controller.enqueue(encoder.encode('partial'));
        },
      }),
    );
  }),
  'gcp-buffered': http({ route: '/buffered' }, () => new Response(new ReadableStream({ start: (c) => (c.enqueue(encoder.encode('whole')), c.close()) }))),
  'gcp-stream-deadline': http({ route: '/deadline', stream: true }, (_req, ctx) => {
    deadlineSignal = ctx.signal;
    return new Response(new ReadableStream({ start: (c) => (c.enqueue(encoder.encode('whole')), c.close()) }));
  }),
};
let deadlineSignal: AbortSignal | undefined;

const servers: Record<string, { server: Server; url: string }> = {};

beforeAll(async () => {
  for (const [name, fn] of Object.entries(functions)) {
    register(name, fn, name === 'gcp-stream-deadline' ? { timeoutMs: 3000 } : {});
    const server = getTestServer(name);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers[name] = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }
});
afterAll(async () => {
  for (const { server } of Object.values(servers)) await new Promise((r) => server.close(r));
});

describe('GCP streamed responses', () => {
  it('the first chunk reaches the client before the handler produced the last', async () => {
    const res = await fetch(`${servers['gcp-stream-gated']!.url}/gated`);
    expect(res.status).toBe(207);
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('first;');
    gates.gated!();
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    expect(rest).toBe('last');
  });

  it('a client that goes away aborts ctx.signal and cancels the stream', async () => {
    aborted = cancelled = undefined;
    await new Promise<void>((resolve, reject) => {
      const req = request(`${servers['gcp-stream-forever']!.url}/forever`, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => {});
      req.on('close', resolve);
      req.end();
      setTimeout(() => reject(new Error('no data')), 5000).unref();
    });
    await vi.waitFor(() => expect(aborted).toBeInstanceOf(Error), { timeout: 5000 });
    await vi.waitFor(() => expect(cancelled).toBe(aborted));
    expect(String((aborted as Error).message)).toMatch(/client closed the connection/);
  });

  it('once the body is sent, ctx.signal no longer aborts at the deadline', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const res = await fetch(`${servers['gcp-stream-deadline']!.url}/deadline`);
      expect(await res.text()).toBe('whole');
      // The invocation ended before its last bytes reached the client. (No timer count here: the framework keeps timers of its own.)
      vi.advanceTimersByTime(10_000);
      expect(deadlineSignal?.aborted).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a stream that fails mid-way cuts the connection and logs the error with its cause', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: unknown) => void lines.push(String(line)));
    try {
      const res = await fetch(`${servers['gcp-stream-fails']!.url}/fails`);
      expect(res.status).toBe(200);
      await expect(res.text()).rejects.toThrow();
      await vi.waitFor(() => expect(lines.join('\n')).toMatch(/upstream model went away/));
      expect(lines.join('\n')).toMatch(/generator broke/);
    } finally {
      spy.mockRestore();
    }
  });

  it('without stream: true a stream body is buffered and sent with a Content-Length', async () => {
    const res = await fetch(`${servers['gcp-buffered']!.url}/buffered`);
    expect(res.headers.get('content-length')).toBe('5');
    expect(await res.text()).toBe('whole');
  });
});

const CHUNK_BYTES = 1024;
const BODY_CHUNKS = 40;

/** A body of BODY_CHUNKS chunks that counts how many the writer has asked for (read on demand only: highWaterMark 0). */
function countedBody() {
  const counted = { pulled: 0 };
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        controller.enqueue(new Uint8Array(CHUNK_BYTES).fill(counted.pulled));
        if (++counted.pulled === BODY_CHUNKS) controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  return { body, counted };
}

/**
 * A node:http-like response over a real Writable whose client takes nothing until `read()`: each write waits
 * in the Writable's buffer, so write() answers false and 'drain' comes only once the client took everything.
 */
function slowClientResponse() {
  const held: (() => void)[] = [];
  let reading = false;
  const received: Buffer[] = [];
  const sink = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, taken) {
      received.push(chunk);
      if (reading) taken();
      else held.push(() => taken());
    },
  });
  const res = Object.assign(sink, { statusCode: 0, statusMessage: '', setHeader: () => res, flushHeaders: () => {} });
  return {
    res: res as unknown as GcpResponse,
    received,
    /** The client starts reading: everything held and everything after it is taken at once. */
    read() {
      reading = true;
      for (const take of held.splice(0)) take();
    },
  };
}

const quietLog = () => ({ debug() {}, info() {}, warn() {}, error() {} });

describe('GCP streamed responses: back-pressure', () => {
  it('reads no further chunk from the body while the response says to wait for drain', async () => {
    const { body, counted } = countedBody();
    const client = slowClientResponse();
    const pulledAtDrain: number[] = [];
    (client.res as unknown as Writable).once('drain', () => pulledAtDrain.push(counted.pulled));
    const written = writeStreamedResponse(client.res, new Response(body), 'GET', new AbortController().signal, quietLog);
    await vi.waitFor(() => expect(counted.pulled).toBe(1));
    // Give a writer that ignored write()'s false every chance to read on: it would take all 40 chunks here.
    for (let turn = 0; turn < 20; turn++) await new Promise((r) => setImmediate(r));
    expect(counted.pulled).toBe(1);
    expect(client.received).toHaveLength(1);
    client.read();
    await written;
    expect(pulledAtDrain).toEqual([1]);
    expect(counted.pulled).toBe(BODY_CHUNKS);
    expect(Buffer.concat(client.received)).toEqual(Buffer.concat(Array.from({ length: BODY_CHUNKS }, (_, k) => Buffer.alloc(CHUNK_BYTES, k))));
    expect((client.res as unknown as Writable).writableEnded).toBe(true);
  });

  it('a client that stops reading over a real socket holds the handler stream back until it reads again', async () => {
    // 64 MiB offered; a client that reads nothing lets at most the socket buffers' worth (a few MiB) through.
    const offeredChunks = 1024;
    let pulled = 0;
    register(
      'gcp-stream-slow-client',
      http({ route: '/slow', stream: true }, () =>
        new Response(
          new ReadableStream<Uint8Array>(
            {
              pull(controller) {
                controller.enqueue(new Uint8Array(64 * 1024));
                if (++pulled === offeredChunks) controller.close();
              },
            },
            { highWaterMark: 0 },
          ),
        ),
      ),
    );
    const server = getTestServer('gcp-stream-slow-client');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`;
      const bytes = await new Promise<number>((resolve, reject) => {
        const req = request(url, async (res) => {
          res.pause();
          // Wait until the handler's stream has stopped being read (the count holds still for a while).
          let last = -1;
          while (pulled !== last) {
            last = pulled;
            await new Promise((r) => setTimeout(r, 200));
          }
          try {
            expect(pulled).toBeLessThan(offeredChunks);
          } catch (error) {
            req.destroy();
            return reject(error);
          }
          let total = 0;
          res.on('data', (chunk: Buffer) => (total += chunk.byteLength));
          res.on('end', () => resolve(total));
          res.resume();
        });
        req.on('error', reject);
        req.end();
      });
      expect(bytes).toBe(offeredChunks * 64 * 1024);
      expect(pulled).toBe(offeredChunks);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

/** A response recording what the writer does, with node's events (drain, close) under the test's control. */
function recordingStreamResponse(writeAnswers: boolean[] = []) {
  const calls: unknown[][] = [];
  const res = Object.assign(new EventEmitter(), {
    statusCode: 0,
    statusMessage: 'untouched',
    writableFinished: false,
    setHeader: (name: string, value: unknown) => void calls.push(['setHeader', name, value]),
    flushHeaders: () => void calls.push(['flushHeaders']),
    write: (chunk: Uint8Array) => {
      calls.push(['write', Buffer.from(chunk).toString()]);
      return writeAnswers.shift() ?? true;
    },
    end: () => void calls.push(['end']),
    destroy: () => void calls.push(['destroy']),
  });
  return { res, calls };
}

const textStream = (...chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      controller.close();
    },
  });

describe('GCP streamed responses: the head and the end', () => {
  it('writes status, status text, headers without hop-by-hop ones, each Set-Cookie, then the chunks and the end', async () => {
    const { res, calls } = recordingStreamResponse();
    const headers = new Headers({ 'x-a': '1', connection: 'close', 'keep-alive': 'timeout=5' });
    headers.append('set-cookie', 'a=1');
    headers.append('set-cookie', 'b=2');
    const response = new Response(textStream('one', 'two'), { status: 201, statusText: 'Made', headers });
    await writeStreamedResponse(res as never, response, 'GET', new AbortController().signal, quietLog);
    expect(res.statusCode).toBe(201);
    expect(res.statusMessage).toBe('Made');
    expect(calls).toEqual([
      ['setHeader', 'x-a', '1'],
      ['setHeader', 'set-cookie', ['a=1', 'b=2']],
      ['flushHeaders'],
      ['write', 'one'],
      ['write', 'two'],
      ['end'],
    ]);
  });

  it('leaves the status message to node and writes no Set-Cookie when there is none; no body: just the end', async () => {
    const { res, calls } = recordingStreamResponse();
    await writeStreamedResponse(res as never, new Response(null, { status: 204 }), 'GET', new AbortController().signal, quietLog);
    expect(res.statusCode).toBe(204);
    expect(res.statusMessage).toBe('untouched');
    expect(calls).toEqual([['end']]);
  });

  it("waits for 'drain' when write() says so, and leaves no listener behind", async () => {
    const { res, calls } = recordingStreamResponse([false]);
    const written = writeStreamedResponse(res as never, new Response(textStream('one', 'two')), 'GET', new AbortController().signal, quietLog);
    await vi.waitFor(() => expect(res.listenerCount('drain')).toBe(1));
    expect(calls.filter(([call]) => call === 'write')).toEqual([['write', 'one']]);
    res.emit('drain');
    await written;
    expect(calls.slice(-3)).toEqual([['write', 'one'], ['write', 'two'], ['end']]);
    expect([res.listenerCount('drain'), res.listenerCount('close')]).toEqual([0, 0]);
  });

  it("stops waiting for 'drain' when the connection closes instead", async () => {
    const { res, calls } = recordingStreamResponse([false]);
    const written = writeStreamedResponse(res as never, new Response(textStream('one', 'two')), 'GET', new AbortController().signal, quietLog);
    await vi.waitFor(() => expect(res.listenerCount('close')).toBe(1));
    res.emit('close');
    await written;
    expect(calls.slice(-3)).toEqual([['write', 'one'], ['write', 'two'], ['end']]);
    expect([res.listenerCount('drain'), res.listenerCount('close')]).toEqual([0, 0]);
  });

  it('does not end a response whose client went away mid-stream', async () => {
    const { res, calls } = recordingStreamResponse();
    const gone = new AbortController();
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (++pulls === 2) gone.abort(new Error('client went away'));
          controller.enqueue(new TextEncoder().encode(`chunk ${pulls}`));
        },
      },
      { highWaterMark: 0 },
    );
    await writeStreamedResponse(res as never, new Response(body), 'GET', gone.signal, quietLog);
    expect(calls).not.toContainEqual(['end']);
    expect(calls).not.toContainEqual(['destroy']);
  });

  it('logs a failing stream with its fixed message and cuts the connection', async () => {
    const { res, calls } = recordingStreamResponse();
    const errors: unknown[][] = [];
    const log = () => ({ ...quietLog(), error: (...args: unknown[]) => void errors.push(args) });
    const failure = new Error('source broke');
    const body = new ReadableStream<Uint8Array>({ pull: (controller) => controller.error(failure) });
    await writeStreamedResponse(res as never, new Response(body), 'GET', new AbortController().signal, log);
    expect(errors).toEqual([['faasport: the response stream failed after the response had started; the connection is cut', { error: failure }]]);
    expect(calls.at(-1)).toEqual(['destroy']);
  });
});

describe('clientGoneSignal', () => {
  it('aborts when the connection closes before the response finished, not after', () => {
    const open = recordingStreamResponse().res;
    const early = clientGoneSignal(open as never);
    open.emit('close');
    expect(early.aborted).toBe(true);

    const finished = recordingStreamResponse().res;
    finished.writableFinished = true;
    const late = clientGoneSignal(finished as never);
    finished.emit('close');
    expect(late.aborted).toBe(false);
  });
});
