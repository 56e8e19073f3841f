import { STATUS_CODES } from 'node:http';
import { describe, expect, it } from 'vitest';
import { REASON_PHRASES, statusDescription } from './status.js';

describe('ALB status descriptions', () => {
  it('hold the same reason phrases as node:http', () => {
    expect(Object.fromEntries(Object.entries(REASON_PHRASES))).toEqual(STATUS_CODES);
  });
  it('read "<code> <phrase>", and "Unknown" for a code without one', () => {
    expect(statusDescription(404)).toBe('404 Not Found');
    expect(statusDescription(599)).toBe('599 Unknown');
  });
});
