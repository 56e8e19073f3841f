import { describe, expect, it } from 'vitest';
import { bindingAuthLevel, generateKeys, isAuthorized, presentedKey } from './function-keys.js';

const keys = generateKeys();

describe('function keys', () => {
  it('lets anyone call an anonymous function', () => {
    expect(isAuthorized('anonymous', undefined, keys)).toBe(true);
  });

  it('opens a function-level function with the function key or the master key, nothing else', () => {
    expect(isAuthorized('function', keys.function, keys)).toBe(true);
    expect(isAuthorized('function', keys.master, keys)).toBe(true);
    expect(isAuthorized('function', undefined, keys)).toBe(false);
    expect(isAuthorized('function', 'wrong', keys)).toBe(false);
  });

  it('opens an admin-level function with the master key only', () => {
    expect(isAuthorized('admin', keys.master, keys)).toBe(true);
    expect(isAuthorized('admin', keys.function, keys)).toBe(false);
  });

  it('reads the key from x-functions-key first, then ?code=', () => {
    expect(presentedKey('h', new URLSearchParams('code=q'))).toBe('h');
    expect(presentedKey(undefined, new URLSearchParams('code=q'))).toBe('q');
    expect(presentedKey(undefined, new URLSearchParams())).toBeUndefined();
  });

  it('reads a binding authLevel case-insensitively, function when missing', () => {
    expect(bindingAuthLevel('Anonymous')).toBe('anonymous');
    expect(bindingAuthLevel('ADMIN')).toBe('admin');
    expect(bindingAuthLevel(undefined)).toBe('function');
  });

  it('makes different random keys per app', () => {
    expect(generateKeys().master).not.toBe(keys.master);
  });
});
