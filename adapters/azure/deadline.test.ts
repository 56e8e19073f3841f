/**
 * ctx.deadline on Azure: the host does not tell the function its timeout, so `register`/`adapt` take it
 * (`timeoutMs`, which the generated registration passes) and each invocation's deadline is its start + timeout.
 * Fake timers: Date.now() and setTimeout are the test's clock.
 */
import azureFunctions from '@azure/functions';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ABORT_MARGIN_MS } from '../../core/context.js';
import { http, queue, storage } from '../../core/define.js';
import type { Context } from '../../core/types.js';
import { adapt } from './adapt.js';
import type { InvocationContext } from '@azure/functions';
import { timedRegistrations } from './register.js';
import { checkTimeoutMs, withDeadline } from './context.js';
import { invocationContext } from './events/test-helpers.js';

const { HttpRequest } = azureFunctions;
const START = Date.parse('2026-12-06T10:00:00Z');

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(START);
});
afterEach(() => vi.useRealTimers());

const request = () => new HttpRequest({ method: 'GET', url: 'https://app.azurewebsites.net/x' });

describe('faasport/azure deadlines (timeoutMs)', () => {
  it('an HTTP invocation gets deadline = start + timeoutMs, and remainingMs() counts down with the clock', async () => {
    const seen: { deadline: number | undefined; remaining: number; later: number }[] = [];
    const fn = http({ route: '/x' }, async (_req, ctx) => {
      const remaining = ctx.remainingMs();
      await vi.advanceTimersByTimeAsync(1_200);
      seen.push({ deadline: ctx.deadline, remaining, later: ctx.remainingMs() });
      return new Response('ok');
    });
    const { context } = invocationContext();
    await adapt(fn, { timeoutMs: 5_000 })(request(), context);
    expect(seen).toEqual([{ deadline: START + 5_000, remaining: 5_000, later: 3_800 }]);
  });

  it('ctx.signal aborts ABORT_MARGIN_MS before the deadline, not earlier', async () => {
    let aborted: number | undefined;
    const fn = queue({ queue: 'orders' }, async (_msg, ctx: Context) => {
      ctx.signal.addEventListener('abort', () => (aborted = Date.now()));
      await vi.advanceTimersByTimeAsync(2_000 - ABORT_MARGIN_MS - 1);
      expect(aborted).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
    });
    const { context } = invocationContext();
    await adapt(fn, { timeoutMs: 2_000 })(Buffer.from('hi') as never, context);
    expect(aborted).toBe(START + 2_000 - ABORT_MARGIN_MS);
  });

  it('each invocation counts from its own start', async () => {
    const deadlines: (number | undefined)[] = [];
    const handler = adapt(http({ route: '/x' }, (_req, ctx) => (deadlines.push(ctx.deadline), new Response('ok'))), { timeoutMs: 1_000 });
    await handler(request(), invocationContext().context);
    vi.setSystemTime(START + 60_000);
    await handler(request(), invocationContext().context);
    expect(deadlines).toEqual([START + 1_000, START + 61_000]);
  });

  it('without timeoutMs there is no deadline (Azure does not tell it): remainingMs() is Infinity', async () => {
    let seen: [number | undefined, number] | undefined;
    await adapt(http({ route: '/x' }, (_req, ctx) => ((seen = [ctx.deadline, ctx.remainingMs()]), new Response('ok'))))(request(), invocationContext().context);
    expect(seen).toEqual([undefined, Number.POSITIVE_INFINITY]);
  });

  it('register gives every Azure function a faasport function becomes its deadline (a storage function and its "-deleted" companion)', async () => {
    const deadlines: (number | undefined)[] = [];
    const fn = storage({ bucket: 'uploads', events: ['created', 'deleted'] }, (_event, ctx) => void deadlines.push(ctx.deadline));
    const registrations = timedRegistrations('onBlob', fn, { timeoutMs: 3_000 });
    expect(registrations.map((r) => r.name)).toEqual(['onBlob', 'onBlob-deleted']);
    const created = registrations[0]!.options.handler as (trigger: unknown, context: InvocationContext) => Promise<void>;
    await created(Buffer.from('x'), invocationContext({ uri: 'https://a.blob.core.windows.net/uploads/k', blobTrigger: 'uploads/k', properties: { length: 1 } }).context);
    expect(deadlines).toEqual([START + 3_000]);
    const untimed = timedRegistrations('onBlob', fn)[0]!.options.handler as (trigger: unknown, context: InvocationContext) => Promise<void>;
    await untimed(Buffer.from('x'), invocationContext({ uri: 'https://a.blob.core.windows.net/uploads/k', blobTrigger: 'uploads/k', properties: { length: 1 } }).context);
    expect(deadlines).toEqual([START + 3_000, undefined]);
  });

  it('refuses a timeout that is not a positive number of milliseconds', () => {
    expect(() => adapt(http({ route: '/x' }, () => new Response('ok')), { timeoutMs: 0 })).toThrow(/timeoutMs must be a positive number/);
    expect(() => adapt(http({ route: '/x' }, () => new Response('ok')), { timeoutMs: Number.NaN })).toThrow(/timeoutMs/);
  });
});

describe('withDeadline with a context that is no object', () => {
  it('passes a null or text context on to the handler without recording a deadline', () => {
    const seen: unknown[] = [];
    const handler = withDeadline((_trigger: unknown, context: InvocationContext) => void seen.push(context), 1_000);
    handler('t', null as never);
    handler('t', 'ctx' as never);
    expect(seen).toEqual([null, 'ctx']);
  });

  it('refuses a timeout that is no positive finite number, naming it', () => {
    const message = "faasport/azure: timeoutMs must be a positive number of milliseconds (the function's timeout); got ";
    for (const value of ['5', 0, Number.POSITIVE_INFINITY]) expect(() => checkTimeoutMs(value)).toThrow(new TypeError(`${message}${String(value)}`));
  });
});
