/**
 * Pub/Sub push rules of delivery.ts against a plain HTTP server standing in for the function's process (no
 * functions-framework): what counts as a nack, the ack deadline, the function's timeout, and the at-least-once push.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { FunctionInstance, FunctionProcess } from './child.js';
import { deliverWithRetries, pushOnce } from './delivery.js';
import type { PushRequest } from './push-requests.js';

const servers: Server[] = [];
afterEach(async () => {
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
    expect(deadLettered).toEqual([]);
  });
});
