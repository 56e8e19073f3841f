import { describe, expect, it } from 'vitest';
import { DeliveryError, attemptLimit, classifyStimulus, messageOutcome, stimulusForKind } from './delivery.js';

describe('classifyStimulus', () => {
  it.each([
    [{ messages: [{ body: 'x' }] }, 'messages'],
    [{ object: { bucket: 'b', key: 'k' }, type: 'created' }, 'storage'],
    [{ scheduledTime: '2024-01-01T00:00:00Z' }, 'schedule'],
    [{ scheduledTime: new Date() }, 'schedule'],
    [{ cloudEvent: { specversion: '1.0', id: '1', source: 's', type: 't' } }, 'cloudEvent'],
  ])('tells %j is a %s stimulus', (stimulus, kind) => {
    expect(classifyStimulus(stimulus).kind).toBe(kind);
  });

  it.each([
    [null, /must be an object/],
    [{ messages: [{ body: 1 }] }, /messages\[0\]\.body/],
    [{ messages: [{ body: 'x', attributes: { a: 1 } }] }, /attributes must map names to strings/],
    [{ object: { bucket: 'b', key: '' }, type: 'created' }, /non-empty bucket and key/],
    [{ object: { bucket: 'b', key: 'k' }, type: 'updated' }, /'created' or 'deleted'/],
    [{ scheduledTime: 'soon' }, /scheduledTime/],
    [{ cloudEvent: { id: '1', source: 's', type: 't' } }, /specversion/],
    [{ messages: [{ body: 'x' }], maxAttempts: 1.5 }, /maxAttempts/],
  ])('refuses %j', (stimulus, message) => {
    expect(() => classifyStimulus(stimulus)).toThrow(DeliveryError);
    expect(() => classifyStimulus(stimulus)).toThrow(message);
  });
});

describe('stimulusForKind', () => {
  it('takes messages for queue and topic functions', () => {
    expect(stimulusForKind('q', 'queue', { messages: [{ body: 'x' }] }).kind).toBe('messages');
    expect(stimulusForKind('t', 'topic', { messages: [{ body: 'x' }] }).kind).toBe('messages');
  });

  it('refuses http functions and stimuli of another kind', () => {
    expect(() => stimulusForKind('h', 'http', { messages: [] })).toThrow(/http function/);
    expect(() => stimulusForKind('s', 'schedule', { messages: [{ body: 'x' }] })).toThrow(/schedule function and takes \{ scheduledTime/);
  });
});

describe('attemptLimit', () => {
  it("prefers the stimulus's limit, else the deployed one (never the source's options)", () => {
    expect(attemptLimit({ maxAttempts: 2 }, 5)).toBe(2);
    expect(attemptLimit({}, 5)).toBe(5);
  });
});

describe('duplicateRate and outcomes', () => {
  it('takes a duplicate rate from 0 to 1 on any stimulus, and refuses others', () => {
    expect(classifyStimulus({ messages: [{ body: 'x' }], duplicateRate: 1 }).kind).toBe('messages');
    expect(classifyStimulus({ scheduledTime: new Date(), duplicateRate: 0 }).kind).toBe('schedule');
    for (const rate of [1.5, -0.1, '1', Number.NaN]) {
      expect(() => classifyStimulus({ messages: [{ body: 'x' }], duplicateRate: rate })).toThrow(/duplicateRate must be a number from 0 to 1/);
    }
  });

  it('reports duplicates only when there were some', () => {
    expect(messageOutcome('acked', 1)).toEqual({ attempts: 1, outcome: 'acked' });
    expect(messageOutcome('acked', 1, 0)).toEqual({ attempts: 1, outcome: 'acked' });
    expect(messageOutcome('acked', 1, 1)).toEqual({ attempts: 1, outcome: 'acked', duplicates: 1 });
  });
});
