import { describe, expect, it } from 'vitest';
import { headersFromRecord, headersOver, LightHeaders } from './headers.js';
import { nativeFetch } from './natives.js';

const { Headers: NativeHeaders } = nativeFetch();

/** Applies the same operations to a light and a real Headers and returns both. */
function both(init: HeadersInit | undefined, ops: (h: Headers) => void = () => {}): [LightHeaders, Headers] {
  const light = new LightHeaders(init as never);
  const real = new NativeHeaders(init);
  ops(light as unknown as Headers);
  ops(real);
  return [light, real];
}

describe('LightHeaders behaves like undici Headers', () => {
  it('iterates sorted lower-case names, combined values, and each Set-Cookie apart', () => {
    const [light, real] = both(
      [
        ['X-B', '1'],
        ['a', '2'],
        ['Set-Cookie', 'z=1'],
        ['set-cookie', 'y=2'],
        ['Cookie', 'c=1'],
        ['cookie', 'd=2'],
        ['x-b', '3'],
      ],
      (h) => h.append('x-pad', ' \tpadded\t '),
    );
    expect([...light]).toEqual([...real]);
    expect([...light.keys()]).toEqual([...real.keys()]);
    expect([...light.values()]).toEqual([...real.values()]);
    expect(light.get('cookie')).toBe('c=1; d=2');
    expect(light.get('X-B')).toBe('1, 3');
    expect(light.get('x-pad')).toBe('padded');
  });

  it('keeps several Set-Cookie added with append, joins them only in get()', () => {
    const [light, real] = both(undefined, (h) => {
      h.append('set-cookie', 'a=1; Path=/');
      h.append('Set-Cookie', 'b=2; HttpOnly');
    });
    expect(light.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(light.get('set-cookie')).toBe(real.get('set-cookie'));
    expect(light.has('Set-Cookie')).toBe(true);
    light.set('set-cookie', 'c=3');
    expect(light.getSetCookie()).toEqual(['c=3']);
    light.delete('SET-COOKIE');
    expect(light.has('set-cookie')).toBe(false);
    expect(light.get('set-cookie')).toBeNull();
  });

  it('set replaces, delete removes, get of an absent name is null', () => {
    const [light, real] = both({ a: '1' }, (h) => {
      h.set('A', '2');
      h.set('b', '3');
      h.delete('b');
    });
    expect([...light]).toEqual([...real]);
    expect(light.get('b')).toBeNull();
    expect(light.has('a')).toBe(true);
  });

  it('reads a record, a sequence of pairs, a real Headers and a light one', () => {
    const real = new NativeHeaders([['a', '1'], ['set-cookie', 'x=1'], ['set-cookie', 'y=2']]);
    expect([...new LightHeaders(real)]).toEqual([...real]);
    expect([...new LightHeaders(new LightHeaders(real))]).toEqual([...real]);
    expect([...new LightHeaders({ B: '2', a: '1' })]).toEqual([['a', '1'], ['b', '2']]);
    expect(new LightHeaders({ x: undefined } as never).get('x')).toBe(new NativeHeaders({ x: undefined } as never).get('x'));
  });

  it('a real Headers and a real Response accept a light Headers as init', async () => {
    const light = new LightHeaders({ a: '1' });
    light.append('set-cookie', 'x=1');
    light.append('set-cookie', 'y=2');
    expect(new NativeHeaders(light as unknown as Headers).getSetCookie()).toEqual(['x=1', 'y=2']);
    const res = new (nativeFetch().Response)('hi', { headers: light as unknown as Headers });
    expect(res.headers.get('a')).toBe('1');
  });

  it.each([
    ['an invalid name', () => new LightHeaders({ 'bad name': 'x' }), TypeError, /invalid header name/],
    ['a value with a newline', () => new LightHeaders({ x: 'a\nb' }), TypeError, /invalid header value/],
    ['a value with NUL', () => new LightHeaders([['x', 'a\0b']]), TypeError, /invalid header value/],
    ['a value above U+00FF', () => new LightHeaders({ x: 'λ' }), TypeError, /ByteString/],
    ['get with an invalid name', () => new LightHeaders().get('bad name'), TypeError, /invalid header name/],
    ['a pair of three', () => new LightHeaders([['a', 'b', 'c']] as never), TypeError, /length 2/],
    ['null', () => new LightHeaders(null), TypeError, /could not be converted/],
    ['a number', () => new LightHeaders(5 as never), TypeError, /could not be converted/],
  ])('refuses %s with the error undici gives', (_name, make, type, message) => {
    expect(make).toThrow(type);
    expect(make).toThrow(message);
  });

  it('is an instance of the built-in Headers and prints as one', () => {
    const light = new LightHeaders();
    expect(light instanceof Headers).toBe(true);
    expect(Object.prototype.toString.call(light)).toBe('[object Headers]');
  });

  it('forEach passes value, name and the headers object', () => {
    const light = new LightHeaders({ b: '2', a: '1' });
    const seen: unknown[] = [];
    light.forEach(function (this: unknown, value, name, h) {
      seen.push([value, name, h === light, this]);
    }, 'ctx');
    expect(seen).toEqual([
      ['1', 'a', true, 'ctx'],
      ['2', 'b', true, 'ctx'],
    ]);
  });

  it('frozen headers refuse every change with "immutable"', () => {
    const h = LightHeaders.freeze(new LightHeaders({ a: '1' }));
    expect(() => h.set('a', '2')).toThrow('immutable');
    expect(() => h.append('b', '2')).toThrow('immutable');
    expect(() => h.delete('a')).toThrow('immutable');
    expect(h.get('a')).toBe('1');
  });
});

describe('headersFromRecord (the adapters fast path)', () => {
  it('gives what new Headers(record) gives, lower-casing mixed-case names and joining collisions', () => {
    const record = { Host: 'a.example', host: 'b.example', 'X-Trace': ' t ', Cookie: 'a=1', cookie: 'b=2', 'Set-Cookie': 's=1' };
    expect([...headersFromRecord(record)]).toEqual([...new NativeHeaders(record)]);
  });

  it('skips undefined values (absent headers in typed event records)', () => {
    expect([...headersFromRecord({ a: '1', b: undefined })]).toEqual([['a', '1']]);
  });

  it('refuses what the Headers constructor refuses', () => {
    expect(() => headersFromRecord({ 'x-name': 'λ' })).toThrow(TypeError);
    expect(() => headersFromRecord({ 'bad name': 'x' })).toThrow(TypeError);
    expect(() => headersFromRecord({ x: 'a\r\nb' })).toThrow(TypeError);
  });

  it('with a cookie argument, replaces the record cookie header (payload 2.0 cookies[])', () => {
    const h = headersFromRecord({ cookie: 'old=1', host: 'h' }, 'a=1; b=2');
    expect(h.get('cookie')).toBe('a=1; b=2');
    expect([...h]).toEqual([
      ['cookie', 'a=1; b=2'],
      ['host', 'h'],
    ]);
  });

  it('answers names the record does not hold, including Object.prototype members, with null', () => {
    const h = headersFromRecord({ host: 'h' });
    expect(h.get('constructor')).toBeNull();
    expect(h.get('__proto__')).toBeNull();
    expect(h.has('toString')).toBe(false);
    expect(h.get('HOST')).toBe('h');
  });

  it('never writes to the event record, and later changes are seen', () => {
    const record = { host: 'h', accept: '*/*' };
    const h = headersFromRecord(record);
    h.set('x-added', '1');
    h.delete('accept');
    expect(record).toEqual({ host: 'h', accept: '*/*' });
    expect([...h]).toEqual([
      ['host', 'h'],
      ['x-added', '1'],
    ]);
  });

  it('normalises values with surrounding whitespace and mixed-case names like the slow path', () => {
    const record = { 'x-pad': ' v ', 'X-Up': 'w', cookie: 'c=1' };
    expect([...headersFromRecord(record, 'd=2')]).toEqual([
      ['cookie', 'd=2'],
      ['x-pad', 'v'],
      ['x-up', 'w'],
    ]);
  });

  it('still refuses a bad value for a name whose previous value was good (the repeat cache)', () => {
    expect(headersFromRecord({ 'x-name': 'ok' }).get('x-name')).toBe('ok');
    expect(headersFromRecord({ 'x-name': 'ok' }).get('x-name')).toBe('ok');
    expect(() => headersFromRecord({ 'x-name': 'λ' })).toThrow(TypeError);
    expect(headersFromRecord({ 'x-name': ' ok ' }).get('x-name')).toBe('ok');
  });

  it('refuses a bad cookie argument', () => {
    expect(() => headersFromRecord({}, 'a\nb')).toThrow(TypeError);
  });
});

describe('headersOver (light headers over a built-in Headers)', () => {
  const source = () =>
    new NativeHeaders([
      ['Accept', 'text/html'],
      ['x-b', '1'],
      ['x-b', '2'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
      ['cookie', 'c=3'],
    ]);

  it('reads, iterates and copies like the source', () => {
    const real = source();
    const light = headersOver(real);
    expect(light.get('ACCEPT')).toBe('text/html');
    expect(light.get('x-b')).toBe('1, 2');
    expect(light.get('set-cookie')).toBe('a=1, b=2');
    expect(light.has('Cookie')).toBe(true);
    expect(light.get('absent')).toBeNull();
    expect(light.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect([...light]).toEqual([...real]);
    expect([...new NativeHeaders(light as unknown as Headers)]).toEqual([...real]);
  });

  it('refuses an invalid name like the Headers it reads', () => {
    expect(() => headersOver(source()).get('bad name')).toThrow(TypeError);
  });

  it('never writes to the source: changes, Set-Cookie ones included, stay on the light object', () => {
    const real = source();
    const light = headersOver(real);
    light.append('set-cookie', 'd=4');
    light.set('accept', 'application/json');
    light.delete('x-b');
    expect(light.getSetCookie()).toEqual(['a=1', 'b=2', 'd=4']);
    expect(light.get('accept')).toBe('application/json');
    expect(light.has('x-b')).toBe(false);
    expect([...real]).toEqual([...source()]);

    const replaced = headersOver(source());
    replaced.set('set-cookie', 'only=1');
    expect(replaced.getSetCookie()).toEqual(['only=1']);
    const cleared = headersOver(source());
    cleared.delete('set-cookie');
    expect(cleared.getSetCookie()).toEqual([]);
    expect(cleared.get('cookie')).toBe('c=3');
  });
});
