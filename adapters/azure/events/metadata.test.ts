import { describe, expect, it } from 'vitest';
import { readCount, stringifyValues } from './metadata.js';

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
