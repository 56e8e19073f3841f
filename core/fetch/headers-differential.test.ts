/**
 * Every way of building light headers, value by value and name by name, against undici's Headers: the same
 * stored text, or the same kind of error. The hostile values sit at the edges of the checks (HTTP whitespace
 * at either end, NUL/CR/LF inside, U+00FF against U+0100, token characters against their neighbours).
 */
import { describe, expect, it } from 'vitest';
import { headersFromInitRecord, headersFromRecord, isToken, LightHeaders, normalizeName, normalizeValue } from './headers.js';
import { nativeFetch } from './natives.js';

const NativeHeaders = nativeFetch().Headers;

type Outcome = ['ok', [string, string][], string | null, boolean] | ['error', string, string];

function outcome(name: unknown, build: () => Pick<Headers, 'get' | 'has'> & Iterable<[string, string]>): Outcome {
  try {
    const h = build();
    const lookup = typeof name === 'string' ? name : String(name);
    return ['ok', [...h], h.get(lookup), h.has(lookup)];
  } catch (error) {
    return ['error', (error as Error).constructor.name, (error as Error).message];
  }
}

const VALUES: unknown[] = [
  '', ' ', '\t', '\n', '\r', ' \n ', 'a', ' a', 'a ', '\ta\t', '\na', 'a\n', '\ra', 'a\r', '\r\na\r\n',
  'a\0b', 'a\nb', 'a\rb', ' \u00ff ', ' \u0100 ', '\0', ' \0 ', 'a \0', 'a  b', 'a\u00ff', '\u00ff', 'a\u0100', '\u0100', 'é', '\x7f',
  '\x01a', 'a\x01', '\x0b', '\x0c', 1, null, true, { toString: () => ' x ' },
];
const NAMES: unknown[] = [
  'a', 'A', 'Content-Type', 'x-Z', 'x@', 'x[', 'x`', 'x{', 'x~', 'x|', 'x\x7f', 'xé', 'x y', 'x:', '', "!#$%&'*+-.^_`|~09",
  'Z', '@', 'z', 1, 'set-cookie', 'Set-Cookie', 'cookie', 'COOKIE',
];

function native(name: unknown, value: unknown, how: 'append' | 'set' | 'record') {
  if (how === 'record') return new NativeHeaders({ [String(name)]: value } as Record<string, string>);
  const h = new NativeHeaders();
  h[how](name as string, value as string);
  return h;
}

describe('light headers store each value as undici does, or refuse it the same way', () => {
  it.each(VALUES.map((v) => [JSON.stringify(String(v)), v]))('value %s', (_label, value) => {
    const expected = outcome('x-v', () => native('x-v', value, 'append'));
    expect(outcome('x-v', () => { const h = new LightHeaders(); h.append('x-v', value as string); return h; })).toEqual(expected);
    expect(outcome('x-v', () => { const h = new LightHeaders(); h.set('x-v', value as string); return h; })).toEqual(outcome('x-v', () => native('x-v', value, 'set')));
    expect(outcome('x-v', () => new LightHeaders({ 'x-v': value } as Record<string, string>))).toEqual(expected);
    expect(outcome('x-v', () => headersFromInitRecord({ 'x-v': value }))).toEqual(expected);
    if (value !== null && typeof value !== 'object') {
      // headersFromRecord takes event records (strings), twice: the second time through its repeat cache.
      expect(outcome('x-v', () => headersFromRecord({ 'x-v': String(value) }))).toEqual(outcome('x-v', () => native('x-v', String(value), 'append')));
      expect(outcome('x-v', () => headersFromRecord({ 'x-v': String(value) }))).toEqual(outcome('x-v', () => native('x-v', String(value), 'append')));
      expect(outcome('cookie', () => headersFromRecord({}, String(value)))).toEqual(outcome('cookie', () => native('cookie', String(value), 'set')));
    }
  });
});

describe('light headers accept and lower-case each name as undici does, or refuse it the same way', () => {
  it.each(NAMES.map((n) => [JSON.stringify(String(n)), n]))('name %s', (_label, name) => {
    const expected = outcome(name, () => native(name, 'v', 'append'));
    expect(outcome(name, () => { const h = new LightHeaders(); h.append(name as string, 'v'); return h; })).toEqual(expected);
    expect(outcome(name, () => { const h = new LightHeaders(); h.set(name as string, 'v'); return h; })).toEqual(outcome(name, () => native(name, 'v', 'set')));
    expect(outcome(name, () => new LightHeaders({ [String(name)]: 'v' }))).toEqual(outcome(name, () => native(name, 'v', 'record')));
    expect(outcome(name, () => headersFromInitRecord({ [String(name)]: 'v' }))).toEqual(outcome(name, () => native(name, 'v', 'record')));
    expect(outcome(name, () => headersFromRecord({ [String(name)]: 'v' }))).toEqual(outcome(name, () => native(name, 'v', 'record')));
    expect(outcome(name, () => headersFromRecord({ [String(name)]: 'v' }))).toEqual(outcome(name, () => native(name, 'v', 'record')));
  });
  it('refuses a name beyond Latin-1 with a TypeError (undici words it as a ByteString error, the light class as a bad name)', () => {
    expect(() => new NativeHeaders().append('x\u0100', 'v')).toThrow(TypeError);
    expect(() => new LightHeaders().append('x\u0100', 'v')).toThrow('Headers.append: "x\u0100" is an invalid header name.');
    expect(() => headersFromRecord({ 'x\u0100': 'v' })).toThrow(TypeError);
  });
  it('get, has and delete take a name in any case and refuse a name that is not a token', () => {
    const light = new LightHeaders([['X-Mixed', 'a']]);
    const real = new NativeHeaders([['X-Mixed', 'a']]);
    for (const name of ['x-mixed', 'X-MIXED', 'x-other']) {
      expect([light.get(name), light.has(name)]).toEqual([real.get(name), real.has(name)]);
    }
    expect(() => light.get('x y')).toThrow(TypeError);
    expect(() => light.has('x y')).toThrow(TypeError);
    expect(() => light.delete('x y')).toThrow(TypeError);
    light.delete('X-MIXED');
    expect([...light]).toEqual([]);
  });
});

describe('the exported checks', () => {
  it('isToken: RFC 9110 token characters only, at least one', () => {
    expect(['a', 'A-1', "!#$%&'*+-.^_`|~"].map(isToken)).toEqual([true, true, true]);
    expect(['', 'a b', 'a@', 'é', 'a\u0100', '\x7f', 'a\u0080'].map(isToken)).toEqual([false, false, false, false, false, false, false]);
  });
  it('normalizeName lower-cases and names the operation in its error; normalizeValue names the value', () => {
    expect(normalizeName('X-A', 'Headers.get')).toBe('x-a');
    expect(normalizeName(12, 'Headers.get')).toBe('12');
    expect(() => normalizeName('a b', 'Headers.get')).toThrow('Headers.get: "a b" is an invalid header name.');
    expect(() => normalizeValue('a\nb', 'Headers.set')).toThrow('Headers.set: "a\nb" is an invalid header value.');
    expect(() => normalizeValue('a\u0100', 'Headers.set')).toThrow('Cannot convert argument to a ByteString because the character at index 1 has a value of 256 which is greater than 255.');
    expect(normalizeValue(5, 'Headers.set')).toBe('5');
  });
  it('forEach refuses a callback that is not a function, and inspect shows the entries', () => {
    const h = new LightHeaders({ 'x-a': '1' });
    expect(() => h.forEach(undefined as never)).toThrow('Headers.forEach: Expected callback to be a function.');
    expect(String((h as unknown as Record<symbol, () => object>)[Symbol.for('nodejs.util.inspect.custom')]!().constructor.name)).toBe('Object');
    expect((h as unknown as Record<symbol, () => object>)[Symbol.for('nodejs.util.inspect.custom')]!()).toEqual({ 'x-a': '1' });
  });
});

describe('the Headers constructor reads each kind of init as undici does, or refuses it the same way', () => {
  const fn = Object.assign(() => {}, { 'x-f': '1' });
  const light = new LightHeaders({ 'x-a': '1' });
  const INITS: [string, () => unknown][] = [
    ['a pair given as a string', () => ['ab']],
    ['a pair that is null', () => [null]],
    ['a pair that is a number', () => [5]],
    ['a pair of one', () => [['a']]],
    ['a pair of three', () => [['a', 'b', 'c']]],
    ['a pair given as a Set', () => [new Set(['a', 'b'])]],
    ['repeated pairs with cookies', () => [['cookie', 'a=1'], ['Cookie', 'b=2'], ['set-cookie', 'c=3'], ['Set-Cookie', 'd=4'], ['x-a', '1'], ['X-A', '2']]],
    ['a number', () => 5],
    ['a string', () => 'x-a'],
    ['null', () => null],
    ['a record with an undefined value', () => ({ 'x-u': undefined })],
  ];
  it.each(INITS)('%s', (_what, init) => {
    const read = (h: Headers | LightHeaders) => [[...h], h.getSetCookie()];
    let expected: unknown;
    try {
      expected = read(new NativeHeaders(init() as never));
    } catch (error) {
      expected = (error as Error).constructor.name;
    }
    let actual: unknown;
    try {
      actual = read(new LightHeaders(init() as never));
    } catch (error) {
      actual = (error as Error).constructor.name;
    }
    expect(actual).toEqual(expected);
  });
  it('reads a function with a property as a record of its enumerable own keys, as WebIDL says', () => {
    // (undici 6 also reads the function's non-enumerable length and name: a peer deviation, not copied.)
    expect([...new LightHeaders(fn as never)]).toEqual([['x-f', '1']]);
  });
  it('copies light headers, Set-Cookie values apart, and no Set-Cookie when there is none', () => {
    expect([...new LightHeaders(light)]).toEqual([['x-a', '1']]);
    const withCookies = new LightHeaders([['set-cookie', 'a=1'], ['set-cookie', 'b=2']]);
    expect(new LightHeaders(withCookies).getSetCookie()).toEqual(['a=1', 'b=2']);
  });
  it('getSetCookie hands out a copy', () => {
    const h = new LightHeaders([['set-cookie', 'a=1']]);
    h.getSetCookie().push('b=2');
    expect(h.getSetCookie()).toEqual(['a=1']);
  });
  it('Set-Cookie reads like undici after the last one was deleted or none was set', () => {
    const h = new LightHeaders([['set-cookie', 'a=1']]);
    const r = new NativeHeaders([['set-cookie', 'a=1']]);
    h.delete('Set-Cookie');
    r.delete('Set-Cookie');
    expect([h.get('set-cookie'), h.has('set-cookie'), [...h]]).toEqual([r.get('set-cookie'), r.has('set-cookie'), [...r]]);
    const empty = new LightHeaders();
    expect([empty.get('Set-Cookie'), empty.has('Set-Cookie')]).toEqual([null, false]);
  });
});
