import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createContext, releaseContext } from './context.js';
import { http, queue } from './define.js';
import { runEvent, type EventFunction } from './events.js';
import { dispatchHttp, streamedResponseEnded } from './http.js';
import { createMessage } from './message.js';

const base = { provider: 'aws' as const, functionName: 'f', invocationId: 'i', native: {} };

beforeEach(() => vi.useFakeTimers({ now: 0 }));
afterEach(() => vi.useRealTimers());

describe('an invocation that is over keeps no deadline timer', () => {
  it('releaseContext stops the timer: the signal no longer fires at the deadline', () => {
    const ctx = createContext({ ...base, deadline: 10_000 });
    const signal = ctx.signal;
    expect(vi.getTimerCount()).toBe(1);
    releaseContext(ctx);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(20_000);
    expect(signal.aborted).toBe(false);
  });

  it('an unreleased signal still aborts before the deadline', () => {
    const ctx = createContext({ ...base, deadline: 10_000 });
    const signal = ctx.signal;
    vi.advanceTimersByTime(10_000);
    expect(signal.aborted).toBe(true);
  });

  it('dispatchHttp releases the context of a buffered function once the handler answered', async () => {
    let seen: AbortSignal | undefined;
    const fn = http({ route: '/x' }, async (_req, ctx) => {
      seen = ctx.signal;
      return new Response('ok');
    });
    const response = await dispatchHttp(fn, { method: 'GET', path: '/x', request: () => new Request('http://h/x'), context: { ...base, deadline: 10_000 } });
    expect(response.status).toBe(200);
    expect(vi.getTimerCount()).toBe(0);
    expect(seen?.aborted).toBe(false);
  });

  it('dispatchHttp releases it also when the handler throws', async () => {
    const fn = http({ route: '/x' }, async (_req, ctx) => {
      void ctx.signal;
      throw new Error('boom');
    });
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = await dispatchHttp(fn, { method: 'GET', path: '/x', request: () => new Request('http://h/x'), context: { ...base, deadline: 10_000 } });
    expect(response.status).toBe(500);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("keeps a streaming function's timer while its body is sent, and streamedResponseEnded stops it", async () => {
    let seen: AbortSignal | undefined;
    const fn = http({ route: '/x', stream: true }, async (_req, ctx) => {
      seen = ctx.signal;
      return new Response('ok');
    });
    const response = await dispatchHttp(fn, { method: 'GET', path: '/x', request: () => new Request('http://h/x'), context: { ...base, deadline: 10_000 } });
    expect(vi.getTimerCount()).toBe(1);
    streamedResponseEnded(response);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(20_000);
    expect(seen?.aborted).toBe(false);
    streamedResponseEnded(response); // a second call (the body ended, then was cancelled) changes nothing
    expect(vi.getTimerCount()).toBe(0);
  });

  it('releases at once a streaming function that answered no Response, or threw', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const notAResponse = http({ route: '/x', stream: true }, (async (_req: Request, ctx: { signal: AbortSignal }) => {
      void ctx.signal;
      return 'text';
    }) as never);
    const throwing = http({ route: '/x', stream: true }, async (_req, ctx) => {
      void ctx.signal;
      throw new Error('boom');
    });
    for (const fn of [notAResponse, throwing]) {
      const response = await dispatchHttp(fn, { method: 'GET', path: '/x', request: () => new Request('http://h/x'), context: { ...base, deadline: 10_000 } });
      expect(response.status).toBe(500);
      expect(vi.getTimerCount()).toBe(0);
    }
  });

  it('runEvent releases the context whether the handler settles at once, later, or fails', async () => {
    const message = createMessage({ id: 'm', body: new Uint8Array(), attributes: {}, deliveryCount: 1, source: 'q' });
    const sync = queue({ queue: 'q' }, (_m, ctx) => void ctx.signal) as unknown as EventFunction;
    const later = queue({ queue: 'q' }, async (_m, ctx) => void ctx.signal) as unknown as EventFunction;
    const failing = queue({ queue: 'q' }, async (_m, ctx) => {
      void ctx.signal;
      throw new Error('no');
    }) as unknown as EventFunction;
    vi.spyOn(console, 'error').mockImplementation(() => {});
    runEvent(sync, message, { ...base, deadline: 10_000 });
    expect(vi.getTimerCount()).toBe(0);
    await runEvent(later, message, { ...base, deadline: 10_000 });
    expect(vi.getTimerCount()).toBe(0);
    expect(await runEvent(failing, message, { ...base, deadline: 10_000 })).toMatchObject({ ok: false });
    expect(vi.getTimerCount()).toBe(0);
  });
});
