import { describe, expect, it } from 'vitest';
import { BadEventError } from '../../../core/errors.js';
import { payloadBytes, readCount, stringifyValues } from './metadata.js';

describe('Service Bus application properties (issue 10)', () => {
  it('are typed on Service Bus, so non-string values are stringified (numbers, booleans, dates as ISO text)', () => {
    expect({ ...stringifyValues({ n: 7, b: true, d: new Date(0), s: 'x' }) }).toEqual({ n: '7', b: 'true', d: '1970-01-01T00:00:00.000Z', s: 'x' });
  });

  it('a property named __proto__ is kept as a key; the map has no prototype', () => {
    const out = stringifyValues(JSON.parse('{"__proto__":"x","constructor":"y"}'));
    expect(Object.getPrototypeOf(out)).toBeNull();
    expect(Object.keys(out)).toEqual(['__proto__', 'constructor']);
  });
});

describe('readCount', () => {
  it('takes a whole number from 1, as a number or text', () => {
    expect(readCount(3)).toBe(3);
    expect(readCount('2')).toBe(2);
  });

  it('gives undefined (then deliveryCount 1) for 0, fractions and junk', () => {
    for (const value of [0, '0', 1.5, '1.5', -1, 'x', null, {}]) expect(readCount(value)).toBeUndefined();
  });
});

describe('values JSON cannot write (issue 10, found by events.fuzz.test.ts)', () => {
  const cyclic = (): Record<string, unknown> => {
    const c: Record<string, unknown> = {};
    c.self = c;
    return c;
  };

  it('a payload that is a BigInt or a cycle is a bad event naming the payload, not "Do not know how to serialize a BigInt"', () => {
    expect(() => payloadBytes(10n, 'storage queue')).toThrow(new BadEventError('faasport/azure: the storage queue trigger payload is the bigint 10 that has no JSON form'));
    expect(() => payloadBytes(cyclic(), 'Service Bus')).toThrow(/^faasport\/azure: the Service Bus trigger payload is an object that has no JSON form$/);
  });

  it('an application property JSON cannot write (BigInt, cycle, function, Invalid Date) is left out, never thrown on', () => {
    const out = stringifyValues({ big: 10n, loop: cyclic(), fn: () => 1, bad: new Date(Number.NaN), ok: 1 });
    expect({ ...out }).toEqual({ ok: '1' });
  });
});
