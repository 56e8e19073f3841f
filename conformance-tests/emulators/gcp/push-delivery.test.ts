/**
 * Pub/Sub push rules of delivery.ts against a plain HTTP server standing in for the function's process (no
 * functions-framework): what counts as a nack, the ack deadline, the function's timeout, the crash answer, the backoff
 * between deliveries, dead-lettering after maxAttempts, and the at-least-once push.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FunctionInstance, FunctionProcess } from './child.js';
import { deliverWithRetries, pushOnce } from './delivery.js';
import type { PushRequest } from './push-requests.js';

/**
 * The backoff between deliveries goes through `setTimeout` of node:timers/promises; here it only notes the wait in
 * `events` and lets a turn of the event loop pass, so a test sees the waits in order with the pushes, without the time.
 * (child.ts's exitWithin bounds its wait through it too; the processes here have always exited already.)
 */
const events = vi.hoisted(() => [] as string[]);
vi.mock('node:timers/promises', async (importOriginal) => ({
  ...(await importOriginal<typeof import('node:timers/promises')>()),
  setTimeout: async <T>(ms: number, value?: T): Promise<T | undefined> => {
    events.push(`wait ${ms}`);
    await new Promise((resolve) => setImmediate(resolve));
    return value;
  },
}));

const servers: Server[] = [];
afterEach(async () => {
  vi.useRealTimers();
  events.length = 0;
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A function process on `port` that never exits; `exitAwaited` counts the times delivery waited for its exit. */
function processOn(port: number) {
  const state = { exitAwaited: 0 };
  const instance: FunctionInstance = {
    port,
    get exited() {
      state.exitAwaited++;
      return Promise.resolve({ code: 1, signal: null });
    },
  };
  const fn = { instance: async () => instance } as unknown as FunctionProcess;
  return { fn, state };
}

const request = (attempt = 1): PushRequest => ({ headers: { 'content-type': 'application/json', 'x-attempt': String(attempt) }, body: new TextEncoder().encode('{}') });

describe('pushOnce', () => {
  it("POSTs the message to / on 127.0.0.1 at the process's port, with its headers and length; 204 is an ack", async () => {
    const seen: unknown[] = [];
    const port = await serve((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const { method, url, headers } = req;
        seen.push({ method, url, host: headers.host, type: headers['content-type'], length: headers['content-length'], attempt: headers['x-attempt'], body: Buffer.concat(chunks).toString() });
        res.writeHead(204).end();
      });
    });
    const { fn, state } = processOn(port);
    expect(await pushOnce(fn, request(2))).toEqual({ acked: true, detail: 'HTTP 204' });
    expect(seen).toEqual([{ method: 'POST', url: '/', host: `127.0.0.1:${port}`, type: 'application/json', length: '2', attempt: '2', body: '{}' }]);
    expect(state.exitAwaited).toBe(0);
  });

  it('counts a 500 as a nack named by its status, and does not wait for the process to exit', async () => {
    const port = await serve((_req, res) => res.writeHead(500).end('boom'));
    const { fn, state } = processOn(port);
    expect(await pushOnce(fn, request())).toEqual({ acked: false, detail: 'HTTP 500' });
    expect(state.exitAwaited).toBe(0);
  });

  // The functions framework answers a crash with 500 and `X-Google-Status: crash` just before its process exits
  // (https://github.com/GoogleCloudPlatform/functions-framework-nodejs/blob/main/src/logger.ts, sendCrashResponse;
  // the header name is FUNCTION_STATUS_HEADER_FIELD in src/types.ts). The value is matched case-insensitively.
  it.each(['crash', 'Crash'])('takes a 500 with X-Google-Status: %s for a crash, a nack, and waits for the process to exit', async (status) => {
    const port = await serve((_req, res) => res.writeHead(500, { 'X-Google-Status': status }).end('boom'));
    const { fn, state } = processOn(port);
    expect(await pushOnce(fn, request())).toEqual({ acked: false, detail: 'HTTP 500' });
    expect(state.exitAwaited).toBe(1);
  });

  it('leaves neither the ack deadline nor the function timeout pending once the call has ended', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const port = await serve((_req, res) => res.writeHead(204).end());
    const { fn } = processOn(port);
    expect(await pushOnce(fn, request())).toEqual({ acked: true, detail: 'HTTP 204' });
    // The function timeout is cleared when the request closes, which may come a turn or two after the answer.
    await vi.waitFor(() => expect(vi.getTimerCount()).toBe(0));
  });

  it('counts a function process that cannot be started as a nack, with its reason', async () => {
    const fn = {
      instance: async () => {
        throw new Error('the function failed to load');
      },
    } as unknown as FunctionProcess;
    expect(await pushOnce(fn, request())).toEqual({ acked: false, detail: 'the function failed to load' });
  });

  it('stops waiting at the ack deadline: a nack, while the call runs on', async () => {
    let closed = false;
    const port = await serve((req) => req.on('close', () => (closed = true)));
    const { fn, state } = processOn(port);
    expect(await pushOnce(fn, request(), { ackDeadlineMs: 30, requestTimeoutMs: 60_000 })).toEqual({
      acked: false,
      detail: 'no answer within the ack deadline (30 ms); the call runs on and the message is delivered again',
    });
    expect(closed).toBe(false);
    expect(state.exitAwaited).toBe(0);
  });

  it('cuts the call off at the function\'s timeout with a 504, a nack', async () => {
    const port = await serve(() => {});
    const { fn, state } = processOn(port);
    expect(await pushOnce(fn, request(), { ackDeadlineMs: 60_000, requestTimeoutMs: 30 })).toEqual({
      acked: false,
      detail: "HTTP 504 (the function's timeout, 30 ms, ran out)",
    });
    expect(state.exitAwaited).toBe(0);
  });

  it('takes a response whose body is cut off for a crash, and waits for the process to exit', async () => {
    const port = await serve((_req, res) => {
      res.writeHead(500, { 'content-length': '100' });
      res.write('partial');
      setTimeout(() => res.socket?.destroy(), 10);
    });
    const { fn, state } = processOn(port);
    expect(await pushOnce(fn, request())).toEqual({ acked: false, detail: 'HTTP 500 (body cut off)' });
    expect(state.exitAwaited).toBe(1);
  });

  it('names a connection failure by its code and waits for the process to exit', async () => {
    const port = await serve(() => {});
    servers.pop()!.close(); // nothing listens on the port any more
    const { fn, state } = processOn(port);
    expect(await pushOnce(fn, request())).toEqual({ acked: false, detail: 'ECONNREFUSED' });
    expect(state.exitAwaited).toBe(1);
  });
});

describe('deliverWithRetries', () => {
  /** A push endpoint that notes each delivery attempt in `events` and answers with `status(attempt)`. */
  const endpoint = (status: (attempt: number) => number) =>
    serve((req, res) => {
      const attempt = Number(req.headers['x-attempt']);
      events.push(`push ${attempt}`);
      res.writeHead(status(attempt)).end();
    });
  const job = { request, deadLetter: (attempts: number, detail: string) => events.push(`dead-letter ${attempts}: ${detail}`) };

  // 5 is Pub/Sub's default and smallest maximum of delivery attempts (https://cloud.google.com/pubsub/docs/handling-failures).
  it('pushes a nacked message again after 50, 100, 200, 200 ms as the next delivery attempt, and dead-letters it after maxAttempts with the last answer', async () => {
    const { fn } = processOn(await endpoint((attempt) => (attempt < 5 ? 500 : 503)));
    expect(await deliverWithRetries(fn, job, { maxAttempts: 5 })).toEqual({ attempts: 5, outcome: 'dead-lettered' });
    expect(events).toEqual(['push 1', 'wait 50', 'push 2', 'wait 100', 'push 3', 'wait 200', 'push 4', 'wait 200', 'push 5', 'dead-letter 5: HTTP 503']);
  });

  it('stops at the first acknowledgement: a message acked on its third delivery is not pushed again', async () => {
    const { fn } = processOn(await endpoint((attempt) => (attempt < 3 ? 500 : 204)));
    expect(await deliverWithRetries(fn, job, { maxAttempts: 5 })).toStrictEqual({ attempts: 3, outcome: 'acked' });
    expect(events).toEqual(['push 1', 'wait 50', 'push 2', 'wait 100', 'push 3']);
  });

  it('in at-least-once mode pushes an acknowledged message once more, as the next delivery attempt, whatever it answers', async () => {
    const attempts: string[] = [];
    const port = await serve((req, res) => {
      attempts.push(String(req.headers['x-attempt']));
      res.writeHead(attempts.length === 1 ? 204 : 500).end();
    });
    const { fn } = processOn(port);
    const deadLettered: unknown[] = [];
    const outcome = await deliverWithRetries(fn, { request, deadLetter: (...args) => deadLettered.push(args) }, { maxAttempts: 3, duplicate: () => true });
    expect(outcome).toEqual({ attempts: 1, outcome: 'acked', duplicates: 1 });
    expect(attempts).toEqual(['1', '2']);
    expect(events).toEqual(['wait 50']);
    expect(deadLettered).toEqual([]);
  });
});
