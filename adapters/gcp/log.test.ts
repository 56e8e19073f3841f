import { describe, expect, it } from 'vitest';
import { formatLogEntry } from './log.js';

const base = { function: 'getItem', invocationId: 'inv-1' };

describe('formatLogEntry (Cloud Logging structured logging)', () => {
  it('maps levels to Cloud Logging severities', () => {
    const severity = (level: 'debug' | 'info' | 'warn' | 'error') => JSON.parse(formatLogEntry(level, 'm', undefined, base)).severity;
    expect([severity('debug'), severity('info'), severity('warn'), severity('error')]).toEqual(['DEBUG', 'INFO', 'WARNING', 'ERROR']);
  });

  it('puts fields beside message and labels the execution', () => {
    expect(JSON.parse(formatLogEntry('info', 'saved', { itemId: 7, message: 'not mine' }, base))).toEqual({
      severity: 'INFO',
      message: 'saved',
      itemId: 7,
      function: 'getItem',
      invocationId: 'inv-1',
      'logging.googleapis.com/labels': { execution_id: 'inv-1' },
    });
  });

  it('serializes errors with their cause and adds stack_trace for Error Reporting', () => {
    const error = new Error('outer', { cause: new Error('inner') });
    const entry = JSON.parse(formatLogEntry('error', 'failed', { error }, base));
    expect(entry.error).toMatchObject({ name: 'Error', message: 'outer', cause: { message: 'inner' } });
    expect(entry.stack_trace).toBe(error.stack);
  });

  it('keeps fields plain JSON refuses: a BigInt as text, a cycle as "[Circular]"', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const entry = JSON.parse(formatLogEntry('warn', 'odd', { cyclic, big: 1n }, base));
    expect(entry).toMatchObject({ severity: 'WARNING', message: 'odd', invocationId: 'inv-1', big: '1', cyclic: { self: '[Circular]' } });
  });

  it('never throws, even on a field whose toJSON throws: the line notes what was lost', () => {
    const hostile = { toJSON: () => { throw new Error('no'); } };
    const entry = JSON.parse(formatLogEntry('warn', 'odd', { hostile }, base));
    expect(entry).toMatchObject({ severity: 'WARNING', message: 'odd', invocationId: 'inv-1' });
    expect(entry.logError).toMatch(/could not be serialized \(no\)/);
    expect(entry).toMatchObject({ function: 'getItem', 'logging.googleapis.com/labels': { execution_id: 'inv-1' } });
  });

  it('keeps its own severity and message over fields of those names', () => {
    const entry = JSON.parse(formatLogEntry('info', 'saved', { severity: 'EMERGENCY', message: 'not mine' }, base));
    expect(entry).toEqual({
      severity: 'INFO',
      message: 'saved',
      function: 'getItem',
      invocationId: 'inv-1',
      'logging.googleapis.com/labels': { execution_id: 'inv-1' },
    });
  });

  it('adds stack_trace only to ERROR entries (Error Reporting reads those), not to a warning carrying an error', () => {
    const entry = JSON.parse(formatLogEntry('warn', 'retrying', { error: new Error('flaky') }, base));
    expect(entry.error).toMatchObject({ name: 'Error', message: 'flaky' });
    expect('stack_trace' in entry).toBe(false);
  });
});
