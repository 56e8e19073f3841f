import { describe, expect, it } from 'vitest';
import { DeliveryError, attemptLimit, classifyStimulus, stimulusForKind } from './delivery.js';

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
  it('prefers the stimulus, then options.maxAttempts, then the default', () => {
    expect(attemptLimit({ maxAttempts: 2 }, { maxAttempts: 4 }, 5)).toBe(2);
    expect(attemptLimit({}, { maxAttempts: 4 }, 5)).toBe(4);
    expect(attemptLimit({}, {}, 5)).toBe(5);
    expect(attemptLimit({}, { maxAttempts: 'many' }, 3)).toBe(3);
  });
});
