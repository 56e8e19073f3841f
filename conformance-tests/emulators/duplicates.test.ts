import { describe, expect, it } from 'vitest';
import { DuplicatePolicy, seededRandom } from './duplicates.js';

describe('duplicate deliveries on demand', () => {
  it('duplicates nothing when neither the emulator nor the stimulus asks', () => {
    const policy = new DuplicatePolicy(undefined);
    expect(Array.from({ length: 50 }, () => policy.duplicate({}))).not.toContain(true);
  });

  it('duplicates every message at rate 1, the default of the at-least-once mode', () => {
    const policy = new DuplicatePolicy({});
    expect(Array.from({ length: 50 }, () => policy.duplicate(undefined))).not.toContain(false);
  });

  it("lets a stimulus's own rate win over the emulator's", () => {
    expect(new DuplicatePolicy({ duplicateRate: 1 }).duplicate({ duplicateRate: 0 })).toBe(false);
    expect(new DuplicatePolicy(undefined).duplicate({ duplicateRate: 1 })).toBe(true);
  });

  it('draws the same duplicates for the same seed, and about the rate asked for', () => {
    const draws = (seed: number) => {
      const policy = new DuplicatePolicy({ duplicateRate: 0.3, seed });
      return Array.from({ length: 2000 }, () => policy.duplicate(undefined));
    };
    expect(draws(7)).toEqual(draws(7));
    expect(draws(7)).not.toEqual(draws(8));
    const share = draws(7).filter(Boolean).length / 2000;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.35);
  });

  it('refuses a rate outside 0 to 1 in our own words', () => {
    expect(() => new DuplicatePolicy({ duplicateRate: 2 })).toThrow(/between 0 and 1/);
    expect(() => new DuplicatePolicy(undefined).duplicate({ duplicateRate: Number.NaN })).toThrow(/between 0 and 1/);
  });

  it('gives values in [0, 1)', () => {
    const random = seededRandom(123);
    for (let i = 0; i < 1000; i++) {
      const v = random();
      expect(v >= 0 && v < 1).toBe(true);
    }
  });
});
