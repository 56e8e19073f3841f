import { describe, expect, it } from 'vitest';
import { ABORT_MARGIN_MS, createContext, createHttpContext, releaseContext } from './context.js';

const base = { provider: 'aws' as const, functionName: 'f', invocationId: 'i', native: {} };

describe('context', () => {
  it('remainingMs counts down to the deadline', () => {
    const ctx = createContext({ ...base, deadline: Date.now() + 10_000 });
    expect(ctx.remainingMs()).toBeGreaterThan(9_000);
    expect(ctx.remainingMs()).toBeLessThanOrEqual(10_000);
  });
  it('without a deadline remainingMs is infinite and the signal never aborts', () => {
    const ctx = createContext(base);
    expect(ctx.remainingMs()).toBe(Number.POSITIVE_INFINITY);
    expect(ctx.signal.aborted).toBe(false);
  });
  it('the signal aborts before the deadline', async () => {
    const ctx = createContext({ ...base, deadline: Date.now() + ABORT_MARGIN_MS + 50 });
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
    expect(ctx.remainingMs()).toBeGreaterThan(0);
  });
  it('logs go to the given sink with fields', () => {
    const lines: unknown[] = [];
    const ctx = createContext({ ...base, logSink: (level, message, fields) => lines.push([level, message, fields]) });
    ctx.log.info('hello', { n: 1 });
    expect(lines).toEqual([['info', 'hello', { n: 1 }]]);
  });
  it('the default sink writes one JSON line with the invocation fields and the extra log fields', () => {
    const lines: string[] = [];
    const original = console.log;
    console.log = (line: string) => void lines.push(line);
    try {
      createContext({ ...base, logFields: { messageId: 'm-1' } }).log.info('hello', { n: 1 });
    } finally {
      console.log = original;
    }
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { level: 'info', message: 'hello', function: 'f', invocationId: 'i', provider: 'aws', messageId: 'm-1', n: 1 },
    ]);
  });
});

describe('context details', () => {
  it('keeps the provider, names and native value it was made with', () => {
    const native = { raw: true };
    const ctx = createContext({ ...base, native, provider: 'gcp' });
    expect([ctx.provider, ctx.functionName, ctx.invocationId, ctx.deadline, ctx.native]).toEqual(['gcp', 'f', 'i', undefined, native]);
    expect(ctx.native).toBe(native);
  });
  it('remainingMs is 0, never negative, once the deadline passed', () => {
    expect(createContext({ ...base, deadline: Date.now() - 5_000 }).remainingMs()).toBe(0);
  });
  it('the signal of a deadline already inside the margin aborts soon, with a reason that names the deadline', async () => {
    const ctx = createContext({ ...base, deadline: Date.now() + ABORT_MARGIN_MS - 400 });
    const signal = ctx.signal;
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
    expect((signal.reason as Error).message).toBe('faasport: the platform deadline is near');
  });
  it('the signal does not abort while the deadline is further away than the margin', async () => {
    const ctx = createContext({ ...base, deadline: Date.now() + 60_000 });
    const signal = ctx.signal; // (made lazily: its timer starts here)
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(signal.aborted).toBe(false);
    releaseContext(ctx);
  });
  it('without a deadline the signal stays unaborted, also after timers had a chance to run', async () => {
    const ctx = createContext(base);
    const signal = ctx.signal;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(signal.aborted).toBe(false);
  });
  it('the signal is made once', () => {
    const ctx = createContext(base);
    expect(ctx.signal).toBe(ctx.signal);
  });
  it('the signal follows the adapter signal, also one that aborts later', () => {
    const parent = new AbortController();
    const ctx = createContext({ ...base, signal: parent.signal });
    expect(ctx.signal.aborted).toBe(false);
    parent.abort('went away');
    expect(ctx.signal.aborted).toBe(true);
    expect(ctx.signal.reason).toBe('went away');
  });
  it('logSinkFor builds the sink from the context on the first log line only', () => {
    const made: unknown[] = [];
    const lines: unknown[] = [];
    const ctx = createContext({
      ...base,
      logSinkFor: (c) => {
        made.push(c.invocationId);
        return (level, message) => lines.push([level, message]);
      },
    });
    expect(made).toEqual([]);
    ctx.log.info('a');
    ctx.log.warn('b');
    expect(made).toEqual(['i']);
    expect(lines).toEqual([['info', 'a'], ['warn', 'b']]);
  });
  it('a given sink wins over logSinkFor', () => {
    const lines: unknown[] = [];
    const ctx = createContext({ ...base, logSink: (l, m) => lines.push(m), logSinkFor: () => () => lines.push('wrong sink') });
    ctx.log.debug('right sink');
    expect(lines).toEqual(['right sink']);
  });
  it('logFields may be a function of the native value, called on the first line only', () => {
    const out: string[] = [];
    const original = console.error;
    console.error = (line: string) => void out.push(line);
    let calls = 0;
    try {
      const ctx = createContext({ ...base, native: { id: 'm-2' }, logFields: (n: { id: string }) => (calls++, { messageId: n.id }) });
      ctx.log.error('one');
      ctx.log.warn('two');
    } finally {
      console.error = original;
    }
    expect(calls).toBe(1);
    expect(out.map((l) => JSON.parse(l))).toEqual([
      { level: 'error', message: 'one', function: 'f', invocationId: 'i', provider: 'aws', messageId: 'm-2' },
      { level: 'warn', message: 'two', function: 'f', invocationId: 'i', provider: 'aws', messageId: 'm-2' },
    ]);
  });
});

describe('releaseContext', () => {
  it('does nothing to an object that is not a context, or to a context without a deadline timer', () => {
    expect(() => releaseContext({} as never)).not.toThrow();
    expect(() => releaseContext(createContext(base))).not.toThrow();
  });
});

describe('createHttpContext', () => {
  it('carries the route params besides the context', () => {
    const ctx = createHttpContext(base, { id: '7' });
    expect(ctx.params).toEqual({ id: '7' });
    expect(ctx.functionName).toBe('f');
  });
});
