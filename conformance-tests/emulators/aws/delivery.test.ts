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

describe('classifyStimulus: what a caller is told for a malformed stimulus', () => {
  const refusal = (stimulus: unknown): string => {
    try {
      classifyStimulus(stimulus);
    } catch (err) {
      expect(err).toBeInstanceOf(DeliveryError);
      expect((err as Error).name).toBe('DeliveryError');
      return (err as Error).message;
    }
    throw new Error('expected a DeliveryError');
  };
  const shapes =
    "{ messages: [{ body, attributes? }], maxAttempts?, duplicateRate? }, { object: { bucket, key, body? }, type: 'created' | 'deleted', maxAttempts?, duplicateRate? }, " +
    '{ scheduledTime, maxAttempts?, duplicateRate? }, { cloudEvent, maxAttempts?, duplicateRate? }';

  it('says what it got instead of an object', () => {
    expect(refusal(null)).toBe('deliver: the stimulus must be an object, got null');
    expect(refusal('messages')).toBe('deliver: the stimulus must be an object, got a string');
    expect(refusal(3)).toBe('deliver: the stimulus must be an object, got a number');
    expect(refusal([{ body: 'x' }])).toBe('deliver: the stimulus must be an object, got an array');
  });

  it('lists the keys of an unknown stimulus and every shape it could have', () => {
    expect(refusal({ message: 'x', when: 1 })).toBe(`deliver: unknown stimulus (an object with keys message, when); expected one of ${shapes}`);
    expect(refusal({})).toBe(`deliver: unknown stimulus (an object with keys (none)); expected one of ${shapes}`);
  });

  it('refuses messages that are not a non-empty array', () => {
    for (const messages of [[], 'x', { length: 1 }]) {
      expect(refusal({ messages })).toBe('deliver: "messages" must be a non-empty array of { body, attributes? }');
    }
  });

  it('takes string attributes on a message, and refuses attributes that are not a map of strings', () => {
    expect(classifyStimulus({ messages: [{ body: 'x', attributes: { a: '1', b: '' } }] }).kind).toBe('messages');
    expect(classifyStimulus({ messages: [{ body: new Uint8Array([1]), attributes: {} }] }).kind).toBe('messages');
    for (const attributes of ['a', ['a'], { a: '1', b: 2 }, null]) {
      expect(refusal({ messages: [{ body: 'x' }, { body: 'y', attributes }] })).toBe('deliver: messages[1].attributes must map names to strings');
    }
    expect(refusal({ messages: [{ body: 'x' }, 'y'] })).toBe('deliver: messages[1].body must be a string or a Uint8Array');
  });

  it('refuses a storage object without a non-empty bucket and key', () => {
    for (const object of ['b/k', null, { key: 'k' }, { bucket: 1, key: 'k' }, { bucket: '', key: 'k' }, { bucket: 'b' }, { bucket: 'b', key: 2 }, { bucket: 'b', key: '' }]) {
      expect(refusal({ object, type: 'created' })).toBe(
        'deliver: "object" must be { bucket, key, body? } with non-empty bucket and key strings',
      );
    }
  });

  it('takes a storage body as a string or bytes, and a deleted type', () => {
    expect(classifyStimulus({ object: { bucket: 'b', key: 'k', body: 'text' }, type: 'created' }).kind).toBe('storage');
    expect(classifyStimulus({ object: { bucket: 'b', key: 'k', body: new Uint8Array([1]) }, type: 'created' }).kind).toBe('storage');
    expect(classifyStimulus({ object: { bucket: 'b', key: 'k' }, type: 'deleted' }).kind).toBe('storage');
    for (const body of [1, null, { text: 'x' }]) {
      expect(refusal({ object: { bucket: 'b', key: 'k', body }, type: 'created' })).toBe('deliver: object.body must be a string or a Uint8Array');
    }
    expect(refusal({ object: { bucket: 'b', key: 'k' } })).toBe("deliver: a storage stimulus needs type 'created' or 'deleted', got undefined");
    expect(refusal({ object: { bucket: 'b', key: 'k' }, type: '' })).toBe(`deliver: a storage stimulus needs type 'created' or 'deleted', got ""`);
  });

  it('refuses a scheduled time that is neither a Date nor a date string', () => {
    expect(refusal({ scheduledTime: 1_700_000_000_000 })).toBe('deliver: scheduledTime must be a Date or a date string, got 1700000000000');
    expect(refusal({ scheduledTime: new Date(Number.NaN) })).toBe('deliver: scheduledTime must be a Date or a date string, got null');
  });

  it('refuses a cloud event missing any of id, source, type and specversion, or with one empty', () => {
    const ce = { specversion: '1.0', id: '1', source: 's', type: 't' };
    const message = 'deliver: cloudEvent must be a CloudEvents 1.0 object with id, source, type and specversion strings';
    expect(refusal({ cloudEvent: 'event' })).toBe(message);
    for (const field of ['id', 'source', 'type', 'specversion'] as const) {
      expect(refusal({ cloudEvent: { ...ce, [field]: undefined } })).toBe(message);
      expect(refusal({ cloudEvent: { ...ce, [field]: '' } })).toBe(message);
      expect(refusal({ cloudEvent: { ...ce, [field]: 1 } })).toBe(message);
    }
  });

  it('takes maxAttempts of 1 or more, and refuses 0 and non-numbers', () => {
    expect(classifyStimulus({ messages: [{ body: 'x' }], maxAttempts: 1 }).kind).toBe('messages');
    expect(classifyStimulus({ scheduledTime: new Date(), maxAttempts: 5 }).kind).toBe('schedule');
    expect(refusal({ messages: [{ body: 'x' }], maxAttempts: 0 })).toBe('deliver: maxAttempts must be a whole number of at least 1, got 0');
    expect(refusal({ messages: [{ body: 'x' }], maxAttempts: '2' })).toBe('deliver: maxAttempts must be a whole number of at least 1, got "2"');
  });

  it('names the stimulus a function got when it takes another', () => {
    expect(() => stimulusForKind('s', 'schedule', { messages: [{ body: 'x' }] })).toThrow(
      new DeliveryError('deliver: function "s" is a schedule function and takes { scheduledTime, maxAttempts?, duplicateRate? }, not a messages stimulus'),
    );
  });
});
