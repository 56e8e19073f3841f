import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, jsonLineSink, serializeError, stringifyLogEntry } from './log.js';

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

describe('jsonLineSink routing and fields', () => {
  it('writes warn and error to stderr, debug and info to stdout', () => {
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line) => void out.push(String(line)));
    vi.spyOn(console, 'error').mockImplementation((line) => void err.push(String(line)));
    const logger = createLogger(jsonLineSink({}));
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(out.map((l) => JSON.parse(l).message)).toEqual(['d', 'i']);
    expect(err.map((l) => JSON.parse(l).message)).toEqual(['w', 'e']);
    expect(out.map((l) => JSON.parse(l).level)).toEqual(['debug', 'info']);
    expect(err.map((l) => JSON.parse(l).level)).toEqual(['warn', 'error']);
  });
  it('serializes an Error field (name, message, stack, cause) and leaves the fields object as it was', () => {
    const error = new TypeError('bad', { cause: new Error('root') });
    const fields = { error, n: 1 };
    const [line] = lines(() => createLogger(jsonLineSink({ function: 'f' })).error('failed', fields));
    expect(line).toMatchObject({ n: 1, error: { name: 'TypeError', message: 'bad', stack: expect.stringContaining('TypeError: bad'), cause: { name: 'Error', message: 'root' } } });
    expect(fields.error).toBe(error);
  });
  it('writes a line without fields', () => {
    const [line] = lines(() => createLogger(jsonLineSink({ function: 'f' })).info('plain'));
    expect(line).toEqual({ level: 'info', message: 'plain', function: 'f' });
  });
  it('a field of the line wins over a same-named base field', () => {
    const [line] = lines(() => createLogger(jsonLineSink({ function: 'f' })).info('m', { function: 'other', extra: 1 }));
    expect(line).toEqual({ level: 'info', message: 'm', function: 'other', extra: 1 });
  });
});

describe('stringifyLogEntry', () => {
  it('is plain JSON when JSON can hold the entry', () => {
    expect(stringifyLogEntry({ a: 1, b: [2] }, {})).toBe('{"a":1,"b":[2]}');
  });
  it('keeps null values on the tolerant path', () => {
    expect(JSON.parse(stringifyLogEntry({ big: 2n, none: null, list: [null] }, {}))).toEqual({ big: '2', none: null, list: [null] });
  });
  it('keeps an object that appears twice without a cycle in full the first time only', () => {
    const shared = { x: 1 };
    const text = stringifyLogEntry({ big: 1n, a: shared, b: shared }, {});
    expect(JSON.parse(text)).toEqual({ big: '1', a: { x: 1 }, b: '[Circular]' });
  });
  it('falls back to the minimal entry with a note naming a non-Error that was thrown', () => {
    const text = stringifyLogEntry({ bad: { toJSON: () => { throw 'plain text'; } } }, { level: 'info', message: 'm' });
    expect(JSON.parse(text)).toEqual({ level: 'info', message: 'm', logError: 'faasport: the log fields could not be serialized (plain text)' });
  });
  it('says "unprintable error" when even the thrown value cannot be printed', () => {
    const unprintable = { toString: () => { throw new Error('no'); } };
    const text = stringifyLogEntry({ bad: { toJSON: () => { throw unprintable; } } }, {});
    expect(JSON.parse(text)).toEqual({ logError: 'faasport: the log fields could not be serialized (unprintable error)' });
  });
});

describe('serializeError', () => {
  it('passes a value that is not an Error through unchanged', () => {
    const value = { message: 'not an error' };
    expect(serializeError(value)).toBe(value);
    expect(serializeError('text')).toBe('text');
  });
  it('follows the cause chain five levels deep and no further', () => {
    let error = new Error('e0');
    for (let i = 1; i <= 7; i++) error = new Error(`e${i}`, { cause: error });
    let level = serializeError(error) as { message: string; cause?: unknown };
    const messages: string[] = [];
    while (level) {
      messages.push(level.message);
      level = level.cause as typeof level;
    }
    expect(messages).toEqual(['e7', 'e6', 'e5', 'e4', 'e3', 'e2']);
  });
  it('leaves out a cause that is undefined', () => {
    expect(Object.keys(serializeError(new Error('x')) as object)).toEqual(['name', 'message', 'stack']);
  });
  it('names the error class whose getters throw as a plain Error with the reading failure', () => {
    const error = new Error('x');
    Object.defineProperty(error, 'name', { get: () => { throw new Error('getter'); } });
    expect(serializeError(error)).toEqual({ name: 'Error', message: 'faasport: the error could not be read (getter)' });
  });
});
