/**
 * ctx.deadline on GCP: the functions framework does not tell the function its timeout, so `register`/`adapt`
 * take it (`timeoutMs`, the deployed `--timeout`, which the generated registration passes) and each
 * invocation's deadline is the time its request arrived + timeout. The test owns the clock (fake timers).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ABORT_MARGIN_MS } from '../../core/context.js';
import { http, queue, topic } from '../../core/define.js';
import type { Context } from '../../core/types.js';
import { adapt, register } from './index.js';
import type { GcpCloudEvent } from './types.js';

const START = Date.parse('2026-12-06T10:00:00Z');
afterEach(() => vi.useRealTimers());

const cloudEvent = (): GcpCloudEvent =>
  ({
    id: 'e1',
    source: '//pubsub.googleapis.com/projects/p/topics/signups',
    type: 'google.cloud.pubsub.topic.v1.messagePublished',
    specversion: '1.0',
    data: { message: { data: 'aGk=', messageId: 'm1', publishTime: '2026-12-06T10:00:00Z' }, subscription: 'projects/p/subscriptions/s' },
  }) as unknown as GcpCloudEvent;

async function serve(name: string): Promise<{ base: string; close: () => Promise<void> }> {
  const server: Server = getTestServer(name);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe('faasport/gcp deadlines (timeoutMs)', () => {
  it('a CloudEvent invocation gets deadline = start + timeoutMs; remainingMs() counts down; ctx.signal aborts ABORT_MARGIN_MS before it', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(START);
    const seen: Record<string, number | undefined> = {};
    const fn = topic({ topic: 'signups' }, async (_msg, ctx: Context) => {
      seen.deadline = ctx.deadline;
      seen.remaining = ctx.remainingMs();
      ctx.signal.addEventListener('abort', () => (seen.aborted = Date.now()));
      await vi.advanceTimersByTimeAsync(1_000);
      seen.later = ctx.remainingMs();
      await vi.advanceTimersByTimeAsync(4_000);
    });
    await adapt(fn, { timeoutMs: 5_000 })(cloudEvent());
    expect(seen).toEqual({ deadline: START + 5_000, remaining: 5_000, later: 4_000, aborted: START + 5_000 - ABORT_MARGIN_MS });
  });

  it('without timeoutMs there is no deadline: remainingMs() is Infinity', async () => {
    let seen: [number | undefined, number] | undefined;
    await adapt(topic({ topic: 'signups' }, (_msg, ctx) => void (seen = [ctx.deadline, ctx.remainingMs()])))(cloudEvent());
    expect(seen).toEqual([undefined, Number.POSITIVE_INFINITY]);
  });

  it('register passes timeoutMs to HTTP and queue (push) functions served by the framework', async () => {
    // Only Date is faked (the server's sockets need real timers): the clock stands still at START.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(START);
    const seen: Record<string, [number | undefined, number]> = {};
    register('deadlineHttp', http({ route: '/' }, (_req, ctx) => ((seen.http = [ctx.deadline, ctx.remainingMs()]), new Response('ok'))), { timeoutMs: 7_000 });
    register('deadlineQueue', queue({ queue: 'orders' }, (_msg, ctx) => void (seen.queue = [ctx.deadline, ctx.remainingMs()])), { timeoutMs: 9_000 });
    const httpServer = await serve('deadlineHttp');
    const queueServer = await serve('deadlineQueue');
    try {
      expect((await fetch(`${httpServer.base}/`)).status).toBe(200);
      const envelope = { message: { data: 'aGk=', messageId: 'm1', publishTime: '2026-12-06T10:00:00Z' }, subscription: 'projects/p/subscriptions/orders-push' };
      const res = await fetch(`${queueServer.base}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(envelope) });
      expect(res.status).toBe(204);
    } finally {
      await httpServer.close();
      await queueServer.close();
    }
    expect(seen).toEqual({ http: [START + 7_000, 7_000], queue: [START + 9_000, 9_000] });
  });

  it('refuses a timeout that is not a positive number of milliseconds', () => {
    expect(() => adapt(http({ route: '/' }, () => new Response('ok')), { timeoutMs: -1 })).toThrow(/timeoutMs must be a positive number/);
  });
});
