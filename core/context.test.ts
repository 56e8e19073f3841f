import { describe, expect, it } from 'vitest';
import { ABORT_MARGIN_MS, createContext } from './context.js';

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
