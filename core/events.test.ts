import { describe, expect, it } from 'vitest';
import { queue, storage } from './define.js';
import { callHandler, DeliveryFailedError, eventFailed, isThenable, runEvent as runEventOf, SETTLED_OK, type EventFunction, type Settled } from './events.js';
import type { LogSink } from './log.js';
import { createMessage } from './message.js';
import type { LogLevel } from './types.js';

type Line = [LogLevel, string, unknown];

function init(lines: Line[]) {
  const logSink: LogSink = (level, message, fields) => void lines.push([level, message, fields]);
  return { provider: 'local' as const, functionName: 'f', invocationId: 'i', native: { n: 1 }, logSink };
}
// Adapters hand runEvent the function of any event kind; a queue function stands in for all of them here.
const runEvent = (fn: unknown, ...rest: Parameters<typeof runEventOf> extends [unknown, ...infer R] ? R : never) => runEventOf(fn as EventFunction, ...rest);
const message = (id = 'm-1') => createMessage({ id, body: 'x', source: 'q' });

describe('runEvent', () => {
  it('settles ok at once, without a promise, when the handler returns none', () => {
    const lines: Line[] = [];
    const result = runEvent(queue({ queue: 'q' }, () => {}), message(), init(lines));
    expect(result).toBe(SETTLED_OK);
    expect(result).toEqual({ ok: true });
    expect(lines).toEqual([]);
  });

  it('passes the input and a context built from init to the handler', () => {
    let seen: unknown[] = [];
    const input = message();
    runEvent(queue({ queue: 'q' }, (msg, ctx) => void (seen = [msg, ctx.functionName, ctx.invocationId, ctx.native])), input, init([]));
    expect(seen).toEqual([input, 'f', 'i', { n: 1 }]);
  });

  it('settles ok after the handler promise resolves', async () => {
    let finished = false;
    const fn = queue({ queue: 'q' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      finished = true;
    });
    const result = runEvent(fn, message(), init([]));
    expect(result).toBeInstanceOf(Promise);
    expect(await result).toEqual({ ok: true });
    expect(finished).toBe(true);
  });

  it('returns a synchronous throw as a failure and logs it with the input id and the error', () => {
    const lines: Line[] = [];
    const error = new Error('boom');
    const result = runEvent(queue({ queue: 'q' }, () => { throw error; }), message('m-9'), init(lines)) as Settled;
    expect(result).toEqual({ ok: false, error });
    expect(lines).toEqual([['error', 'faasport: the queue handler failed on m-9; it will be retried', { error }]]);
  });

  it('returns a rejection as a failure and logs it', async () => {
    const lines: Line[] = [];
    const fn = queue({ queue: 'q' }, async () => Promise.reject(new Error('later')));
    const result = await runEvent(fn, message('m-2'), init(lines));
    expect(result.ok).toBe(false);
    expect((result as { error: Error }).error.message).toBe('later');
    expect(lines).toHaveLength(1);
    expect(lines[0]![1]).toBe('faasport: the queue handler failed on m-2; it will be retried');
  });

  it('names no id when the input has none that is a string', () => {
    const lines: Line[] = [];
    const fn = storage({ bucket: 'b' }, () => { throw new Error('x'); });
    runEvent(fn, { type: 'created', bucket: 'b', key: 'k', time: new Date() }, init(lines));
    expect(lines[0]![1]).toBe('faasport: the storage handler failed; it will be retried');
  });
});

describe('the parts of runEvent for batch loops', () => {
  it('isThenable accepts anything with a then method, and nothing else', () => {
    expect(isThenable(Promise.resolve())).toBe(true);
    expect(isThenable({ then: () => {} })).toBe(true);
    expect(isThenable({ then: 1 })).toBe(false);
    expect(isThenable(undefined)).toBe(false);
    expect(isThenable(null)).toBe(false);
    expect(isThenable(1)).toBe(false);
  });
  it('callHandler returns what the handler returns', () => {
    const fn = queue({ queue: 'q' }, (() => 42) as never);
    expect(callHandler(fn as unknown as EventFunction, message(), {} as never)).toBe(42);
  });
  it('eventFailed logs and returns the failure', () => {
    const lines: Line[] = [];
    const ctx = { log: { error: (m: string, f: unknown) => void lines.push(['error', m, f]) } };
    const error = new Error('e');
    expect(eventFailed(queue({ queue: 'q' }, () => {}) as unknown as EventFunction, message('m-3'), ctx as never, error)).toEqual({ ok: false, error });
    expect(lines).toEqual([['error', 'faasport: the queue handler failed on m-3; it will be retried', { error }]]);
  });
  it('DeliveryFailedError carries its name', () => {
    expect(new DeliveryFailedError('d').name).toBe('DeliveryFailedError');
  });
});
