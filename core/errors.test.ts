import { describe, expect, it } from 'vitest';
import { BadEventError, describeValue, PayloadError } from './errors.js';

describe('describeValue names a value the way an error message should', () => {
  it.each<[unknown, string]>([
    [undefined, 'missing'],
    [null, 'null'],
    ['', 'an empty string'],
    ['abc', 'the string "abc"'],
    ['say "hi"', 'the string "say \\"hi\\""'],
    [0, 'the number 0'],
    [Number.NaN, 'the number NaN'],
    [false, 'the boolean false'],
    [10n, 'the bigint 10'],
    [[1, 2], 'an array'],
    [{ a: 1 }, 'an object'],
    [() => 1, 'a function'],
    [Symbol('s'), 'a symbol'],
  ])('%s is %j', (value, described) => {
    expect(describeValue(value)).toBe(described);
  });
  it('quotes at most the first 60 characters of a string', () => {
    expect(describeValue('x'.repeat(100))).toBe(`the string "${'x'.repeat(60)}"`);
  });
});

describe('error classes', () => {
  it('carry their own names, so logs and handlers can tell them apart', () => {
    expect(new BadEventError('b').name).toBe('BadEventError');
    expect(new PayloadError('p').name).toBe('PayloadError');
    expect(new PayloadError('p')).toBeInstanceOf(Error);
  });
});
