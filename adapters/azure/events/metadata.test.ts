import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BadEventError } from '../../../core/errors.js';
import { payloadBytes, readCount, readDate, readRecord, readText, stringifyValues } from './metadata.js';

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

describe('readText', () => {
  it('takes text as it is and numbers or booleans the library parsed back to their text', () => {
    expect(readText('x')).toBe('x');
    expect(readText(42)).toBe('42');
    expect(readText(false)).toBe('false');
  });

  it('gives undefined for anything else', () => {
    for (const value of [null, undefined, {}, [1]]) expect(readText(value)).toBeUndefined();
  });
});

describe('readCount, beyond numbers and text', () => {
  it('gives undefined for a boolean or an array, which Number() would turn into a count', () => {
    expect(readCount(true)).toBeUndefined();
    expect(readCount([2])).toBeUndefined();
  });
});

describe('readRecord', () => {
  it('takes a plain object and refuses arrays and null', () => {
    const record = { a: 1 };
    expect(readRecord(record)).toBe(record);
    expect(readRecord([1])).toBeUndefined();
    expect(readRecord(null)).toBeUndefined();
  });
});

describe('readDate', () => {
  // A zone away from UTC, so a date without zone read as local time would show.
  const saved = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'Asia/Kolkata';
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  it('takes a valid Date as it is and refuses an Invalid Date', () => {
    const date = new Date(0);
    expect(readDate(date)).toBe(date);
    expect(readDate(new Date(Number.NaN))).toBeUndefined();
  });

  it('reads a date without zone as UTC, with or without seconds and fraction', () => {
    expect(readDate('2024-05-01T03:00')?.toISOString()).toBe('2024-05-01T03:00:00.000Z');
    expect(readDate('2024-05-01T03:00:07')?.toISOString()).toBe('2024-05-01T03:00:07.000Z');
    expect(readDate('2024-05-01T03:00:07.125')?.toISOString()).toBe('2024-05-01T03:00:07.125Z');
  });

  it('parses a date without zone with "Z" appended, and one with a zone as it is', () => {
    const parse = vi.spyOn(Date, 'parse');
    try {
      for (const text of ['2024-05-01T03:00', '2024-05-01T03:00:07', '2024-05-01T03:00:07.125', '2024-05-01T03:00:00+02:00', '2024-05-01T03:00:00Z']) readDate(text);
      expect(parse.mock.calls).toEqual([['2024-05-01T03:00Z'], ['2024-05-01T03:00:07Z'], ['2024-05-01T03:00:07.125Z'], ['2024-05-01T03:00:00+02:00'], ['2024-05-01T03:00:00Z']]);
    } finally {
      parse.mockRestore();
    }
  });

  it('keeps the zone a date states', () => {
    expect(readDate('2024-05-01T03:00:00+02:00')?.toISOString()).toBe('2024-05-01T01:00:00.000Z');
    expect(readDate('2024-05-01T03:00:00Z')?.toISOString()).toBe('2024-05-01T03:00:00.000Z');
  });

  it('gives undefined for a number (even one Date.parse would take as a year), empty text and junk', () => {
    for (const value of [2024, '', 'soon', null]) expect(readDate(value)).toBeUndefined();
  });
});

describe('stringifyValues, absent values', () => {
  it('leaves out null and undefined properties and values JSON cannot write, with no key at all', () => {
    const out = stringifyValues({ a: null, b: undefined, fn: () => 1, ok: 'y' });
    expect(Object.keys(out)).toEqual(['ok']);
  });

  it('gives an empty map for no record', () => {
    expect(Object.keys(stringifyValues(undefined))).toEqual([]);
  });
});

describe('payloadBytes', () => {
  it('takes an ArrayBuffer as exact bytes', () => {
    const out = payloadBytes(new Uint8Array([1, 2, 3]).buffer, 'storage queue');
    expect([...out.bytes]).toEqual([1, 2, 3]);
    expect(out.exact).toBe(true);
  });

  it('a missing payload is a bad event naming the trigger', () => {
    expect(() => payloadBytes(undefined, 'storage queue')).toThrow(new BadEventError('faasport/azure: the storage queue trigger delivered no payload'));
  });

  it('a JSON value the library parsed is re-serialised, not exact', () => {
    const out = payloadBytes({ a: 1 }, 'Service Bus');
    expect(new TextDecoder().decode(out.bytes)).toBe('{"a":1}');
    expect(out.exact).toBe(false);
  });
});
