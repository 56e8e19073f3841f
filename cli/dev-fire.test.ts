import { describe, expect, it } from 'vitest';
import type { DiscoveredFunction } from '../codegen/discover.js';
import { parseFireLine, stimulusFor } from './dev-fire.js';
import { UsageError } from './errors.js';

const fn = (kind: string, options: Record<string, unknown>) => ({ name: 'f', kind, options, file: 'src/a.ts', line: 1 }) as unknown as DiscoveredFunction;

describe('firing a non-HTTP function from faasport dev', () => {
  it('sends a given payload as the message body, a sample when none is given, with one attempt', () => {
    expect(stimulusFor(fn('queue', { queue: 'orders' }), 'hello')).toEqual({ messages: [{ body: 'hello' }], maxAttempts: 1 });
    expect(stimulusFor(fn('topic', { topic: 't' }), '')).toEqual({ messages: [{ body: '{"sample":true,"function":"f"}' }], maxAttempts: 1 });
  });
  it('builds storage, schedule and CloudEvent stimuli from the function options', () => {
    expect(stimulusFor(fn('storage', { bucket: 'uploads', events: ['deleted'] }), 'a/b.txt')).toMatchObject({ object: { bucket: 'uploads', key: 'a/b.txt' }, type: 'deleted' });
    expect(stimulusFor(fn('schedule', { cron: '0 3 * * *' }), '2026-12-02T03:00:00Z')).toEqual({ scheduledTime: '2026-12-02T03:00:00Z', maxAttempts: 1 });
    const ce = stimulusFor(fn('event', { type: ['a.b', 'c.d'] }), '{"n":1}') as { cloudEvent: Record<string, unknown> };
    expect(ce.cloudEvent).toMatchObject({ specversion: '1.0', type: 'a.b', source: 'faasport.dev', data: { n: 1 } });
  });
  it('refuses CloudEvent data that is not JSON and HTTP functions, in words that say what to do', () => {
    expect(() => stimulusFor(fn('event', { type: 'a.b' }), 'nope')).toThrow(UsageError);
    expect(() => stimulusFor(fn('http', { route: '/x' }), undefined)).toThrow(/send it a request at its route/);
  });
  it('reads "fire <function> [payload]" typed in the terminal', () => {
    expect(parseFireLine('fire onOrder {"id": 1}')).toEqual({ name: 'onOrder', payload: '{"id": 1}' });
    expect(parseFireLine('  fire nightly')).toEqual({ name: 'nightly', payload: undefined });
    expect(parseFireLine('help')).toBeUndefined();
  });
});
