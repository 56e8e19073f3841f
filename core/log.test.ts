import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, jsonLineSink, serializeError } from './log.js';

afterEach(() => vi.restoreAllMocks());

function lines(run: () => void): Record<string, unknown>[] {
  const out: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line) => void out.push(String(line)));
  vi.spyOn(console, 'error').mockImplementation((line) => void out.push(String(line)));
  run();
  return out.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('jsonLineSink never throws (one bad log line must not fail an SQS batch)', () => {
  const log = () => createLogger(jsonLineSink({ function: 'f', invocationId: 'i' }));

  it('writes an error whose cause is a BigInt, with the BigInt as text', () => {
    const [line] = lines(() => log().error('failed', { error: new Error('x', { cause: 10n }) }));
    expect(line).toMatchObject({ level: 'error', message: 'failed', function: 'f', error: { message: 'x', cause: '10' } });
  });

  it('writes an error whose cause is a circular object', () => {
    const cause: Record<string, unknown> = { why: 'loop' };
    cause.self = cause;
    const [line] = lines(() => log().error('failed', { error: new Error('x', { cause }) }));
    expect(line).toMatchObject({ error: { cause: { why: 'loop', self: '[Circular]' } } });
  });

  it('writes an error whose cause chain is circular, stopping at depth 5', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    const [line] = lines(() => log().error('failed', { error: a }));
    expect(line).toMatchObject({ error: { message: 'a', cause: { message: 'b' } } });
  });

  it('writes the level, message and a note when a field cannot be serialized at all', () => {
    const [line] = lines(() => log().warn('odd', { bad: { toJSON: () => { throw new Error('nope'); } } }));
    expect(line).toMatchObject({ level: 'warn', message: 'odd', function: 'f', invocationId: 'i' });
    expect(line!.logError).toMatch(/could not be serialized \(nope\)/);
  });

  it('survives an error whose getters throw', () => {
    const error = new Error('x');
    Object.defineProperty(error, 'message', { get: () => { throw new Error('getter'); } });
    expect(serializeError(error)).toMatchObject({ message: expect.stringMatching(/could not be read \(getter\)/) });
    expect(() => lines(() => log().error('failed', { error }))).not.toThrow();
  });

  it('a sink that throws loses its line, never the caller', () => {
    const logger = createLogger(() => { throw new Error('sink down'); });
    expect(() => logger.error('x')).not.toThrow();
  });
});
