import assert from 'node:assert/strict';
import { describe, expect, it } from 'vitest';
import { describeFailure, formatFailure } from './failure.js';
import { normaliseSetCookie, bodyValue } from './observations.js';

const thrown = (f: () => void) => {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
};

describe('describeFailure', () => {
  it('keeps expected and actual of a custom-message assertion', () => {
    const d = describeFailure(thrown(() => assert.equal('a', 'b', 'the handler saw different text')));
    expect(d).toEqual({ message: 'the handler saw different text', expected: '"b"', actual: '"a"' });
  });

  it('gives objects a diff', () => {
    const d = describeFailure(thrown(() => assert.deepEqual({ a: 1, b: [1, 2] }, { a: 1, b: [1, 3] })));
    expect(d.diff).toMatch(/\+ +2/);
    expect(d.diff).toMatch(/- +3/);
    expect(formatFailure(d)).toContain('diff (+ actual, - expected):');
    expect(formatFailure(d)).not.toContain('+ actual - expected');
  });

  it('shows bytes as length and hash', () => {
    const d = describeFailure(thrown(() => assert.deepEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]), 'bytes differ')));
    expect(d.actual).toMatch(/^2 bytes, sha256 [0-9a-f]{64}$/);
    expect(d.expected).toMatch(/^2 bytes, sha256 [0-9a-f]{64}$/);
    expect(d.actual).not.toBe(d.expected);
  });

  it('keeps a plain error whole, with its cause', () => {
    expect(describeFailure(new Error('emulator gone', { cause: new Error('ECONNRESET') }))).toEqual({ message: 'emulator gone (cause: ECONNRESET)' });
  });
});

describe('observations', () => {
  it('compares Set-Cookie by meaning: attribute names and SameSite in any case, any order', () => {
    expect(normaliseSetCookie('s=1; Path=/; HttpOnly; SameSite=Lax')).toBe(normaliseSetCookie('s=1; samesite=lax; httponly; path=/'));
    expect(normaliseSetCookie('s=1; Path=/A')).not.toBe(normaliseSetCookie('s=1; path=/a'));
    expect(normaliseSetCookie('s=A')).not.toBe(normaliseSetCookie('s=a'));
  });

  it('reads the provider\'s own name in a JSON body as one token, and binary bodies by hash', () => {
    expect(bodyValue(Buffer.from('{"provider":"aws"}'), 'application/json', 'aws')).toBe(bodyValue(Buffer.from('{"provider":"gcp"}'), 'application/json', 'gcp'));
    expect(bodyValue(Buffer.from('{"provider":"aws"}'), 'application/json', 'gcp')).not.toBe(bodyValue(Buffer.from('{"provider":"gcp"}'), 'application/json', 'gcp'));
    expect(bodyValue(new Uint8Array([0, 1]), 'application/octet-stream', 'aws')).toMatch(/^2 bytes, sha256 /);
  });
});
