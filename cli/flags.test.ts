import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { atLeastOnceFlag } from './flags.js';

describe('--at-least-once [rate]', () => {
  it('is off without the flag and means every message twice when given bare', () => {
    expect(atLeastOnceFlag(undefined)).toBeUndefined();
    expect(atLeastOnceFlag(true)).toEqual({ duplicateRate: 1 });
  });

  it('takes a rate from 0 to 1, as cac gives it (a number) or as text', () => {
    expect(atLeastOnceFlag(0.25)).toEqual({ duplicateRate: 0.25 });
    expect(atLeastOnceFlag('0.5')).toEqual({ duplicateRate: 0.5 });
    expect(atLeastOnceFlag(0)).toEqual({ duplicateRate: 0 });
  });

  it('refuses anything else as a usage error that says how to write it', () => {
    for (const value of [2, -1, 'src', 'often']) {
      expect(() => atLeastOnceFlag(value)).toThrow(UsageError);
      expect(() => atLeastOnceFlag(value)).toThrow(/from 0 to 1 .*--at-least-once=0\.5/);
    }
  });
});
