import { describe, expect, it } from 'vitest';
import {
  addDefaultHeader,
  headerParts,
  headersFromInitRecord,
  headersFromRecord,
  headersFromStoredRecord,
  headersOver,
  LightHeaders,
  putHeader,
} from './headers.js';
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

/**
 * Whether `h` still reads `record` in place (headersFromRecord's fast path, documented there: the record backs the
 * headers until something changes them): a name added to the record afterwards shows through.
 */
function readsRecordInPlace(h: LightHeaders, record: Record<string, string | undefined>): boolean {
  record['x-in-place-probe'] = 'yes';
  try {
    return h.has('x-in-place-probe');
  } finally {
    delete record['x-in-place-probe'];
  }
}

describe('headersFromRecord keeps a record already in stored form as it is (the fast path)', () => {
  it('reads a record of lower-case names and stored-form values in place, on first sight and on repeat', () => {
    const make = () => ({ 'x-fast-a': 'v', 'x-fast-empty': '', 'x-fast-absent': undefined, 'x-fast-9': 'A b' });
    for (let round = 0; round < 2; round++) {
      const record = make();
      const h = headersFromRecord(record);
      expect(readsRecordInPlace(h, record)).toBe(true);
      expect([...h]).toEqual([
        ['x-fast-9', 'A b'],
        ['x-fast-a', 'v'],
        ['x-fast-empty', ''],
      ]);
      expect(readsRecordInPlace(h, record)).toBe(true); // iterating does not copy
    }
  });

  it('reads in place a record where a name seen before with a value is now absent (undefined)', () => {
    expect(headersFromRecord({ 'x-fast-then-absent': 'v' }).get('x-fast-then-absent')).toBe('v');
    const record = { 'x-fast-then-absent': undefined, 'x-fast-other': 'w' };
    const h = headersFromRecord(record);
    expect(readsRecordInPlace(h, record)).toBe(true);
    expect([...h]).toEqual([['x-fast-other', 'w']]);
  });

  it('reads in place a name seen before only with a value that needed trimming', () => {
    expect(headersFromRecord({ 'x-fast-seen': ' v ' }).get('x-fast-seen')).toBe('v');
    const record = { 'x-fast-seen': 'w' };
    const h = headersFromRecord(record);
    expect(readsRecordInPlace(h, record)).toBe(true);
    expect(h.get('x-fast-seen')).toBe('w');
  });

  it('reads in place with a cookie argument in stored form: a string, a list of pairs, an empty list', () => {
    for (const cookie of ['a=1', ['a=1', 'b=2'], []] as const) {
      const record = { 'x-fast-host': 'h' };
      const h = headersFromRecord(record, cookie);
      expect(readsRecordInPlace(h, record)).toBe(true);
      expect(h.get('cookie')).toBe(typeof cookie === 'string' ? cookie : cookie.join('; '));
    }
  });

  it('copies into a Map a record or cookie list that needs normalising or checking', () => {
    const cases: [Record<string, string | undefined>, (string | readonly string[])?][] = [
      [{ 'X-Slow-Upper': 'v' }],
      [{ 'x-slow-pad': ' v ' }],
      [{ 'x-slow-lf': 'v\n' }],
      [{ 'set-cookie': 'a=1' }],
      [{ 'x-slow-host': 'h' }, ' a=1'],
      [{ 'x-slow-host': 'h' }, [' a=1']],
      [{ 'x-slow-host': 'h' }, ['a=1', '']],
      [{ 'x-slow-host': 'h' }, ['', 'a=1']],
    ];
    for (const [record, cookie] of cases) expect(readsRecordInPlace(headersFromRecord(record, cookie), record)).toBe(false);
  });

  it('copies the record into a Map on the first change, skipping undefined values and keeping the cookie argument', () => {
    for (const cookie of ['a=1; b=2', ['a=1', 'b=2']] as const) {
      const record = { host: 'h', 'x-gone': undefined, cookie: 'old=1' };
      const h = headersFromRecord(record, cookie);
      h.append('x-new', '1');
      expect(readsRecordInPlace(h, record)).toBe(false);
      const real = new NativeHeaders({ host: 'h', cookie: 'old=1' });
      real.set('cookie', 'a=1; b=2');
      real.append('x-new', '1');
      expect([...h]).toEqual([...real]);
      expect(h.get('cookie')).toBe('a=1; b=2');
      expect(h.has('x-gone')).toBe(false);
    }
  });

  it('with a cookie argument, still answers the other names from the record', () => {
    const h = headersFromRecord({ host: 'h', cookie: 'old=1' }, ['a=1']);
    expect([h.get('host'), h.has('host'), h.get('x-other'), h.has('x-other')]).toEqual(['h', true, null, false]);
    expect(h.get('Cookie')).toBe('a=1');
  });

  it('reads a value that is not a string (a number) as its text, like new Headers(record)', () => {
    const record = { 'x-num': 5 } as unknown as Record<string, string>;
    expect([...headersFromRecord(record)]).toEqual([...new NativeHeaders(record)]);
    expect(headersFromRecord(record).get('x-num')).toBe('5');
  });
});

describe('headersFromRecord with a list of cookie pairs (API Gateway cookies[]) gives what set("cookie", list.join("; ")) gives', () => {
  const LISTS: string[][] = [
    ['a=1', 'b=2'],
    [],
    ['a=1'],
    [' a=1', 'b=2'],
    ['a=1', 'b=2 '],
    ['a=1', ''],
    ['', 'a=1'],
    ['', ''],
    ['a=1 ', ' b=2'],
    ['\ta=1', 'b=2\t'],
    ['\x01a', 'b\x01'],
    ['a=1', 'b\n2', 'c=3'],
    ['a=1', 'b\u01002', 'c=3'],
    ['a\r1'],
    [5 as unknown as string, 'b=2'],
    ['a=1', 5 as unknown as string],
  ];
  const read = (build: () => Headers | LightHeaders) => {
    try {
      const h = build();
      return [h.get('cookie'), [...h]];
    } catch (error) {
      return (error as Error).constructor.name;
    }
  };
  it.each(LISTS.map((list) => [JSON.stringify(list), list]))('%s', (_label, list) => {
    for (const record of [{ 'x-list-host': 'h' }, { 'X-List-Host': 'h' }] as Record<string, string>[]) {
      const expected = read(() => {
        const real = new NativeHeaders(record);
        real.set('cookie', list.join('; '));
        return real;
      });
      expect(read(() => headersFromRecord(record, list))).toEqual(expected);
      // and once the headers are copied into a Map
      expect(
        read(() => {
          const h = headersFromRecord(record, list);
          h.set('x-after', '1');
          h.delete('x-after');
          return h;
        }),
      ).toEqual(expected);
    }
  });
});

describe('headerParts (the record readResponse hands on)', () => {
  it('gives every header but Set-Cookie of record-backed headers, the cookie argument replacing the record cookie', () => {
    const record = { host: 'h', 'x-gone': undefined, cookie: 'old=1', accept: '*/*' };
    const h = headersFromRecord(record, ['a=1', 'b=2']);
    expect(headerParts(h)).toEqual({ headers: { host: 'h', cookie: 'a=1; b=2', accept: '*/*' }, cookies: [] });
    expect(Object.keys(headerParts(h).headers)).toEqual(['host', 'cookie', 'accept']);
    expect(readsRecordInPlace(h, record)).toBe(true); // reading the parts does not copy
    expect(headerParts(headersFromRecord({ host: 'h' }))).toEqual({ headers: { host: 'h' }, cookies: [] });
  });

  it('gives the headers of an init record and of a Map, with a copy of the Set-Cookie list', () => {
    const init = headersFromInitRecord({ 'Content-Type': 'text/plain', 'set-cookie': 'a=1' });
    const parts = headerParts(init);
    expect(parts).toEqual({ headers: { 'content-type': 'text/plain' }, cookies: ['a=1'] });
    parts.cookies.push('b=2');
    expect(headerParts(init).cookies).toEqual(['a=1']);
    const map = new LightHeaders([['x-a', '1'], ['set-cookie', 's=1']]);
    expect(headerParts(map)).toEqual({ headers: { 'x-a': '1' }, cookies: ['s=1'] });
    expect(headerParts(headersOver(new NativeHeaders([['x-b', '2'], ['set-cookie', 's=2']])))).toEqual({ headers: { 'x-b': '2' }, cookies: ['s=2'] });
  });

  it('keeps a header named __proto__ as an own, writable, enumerable, configurable entry', () => {
    const parts = headerParts(new LightHeaders([['__proto__', 'p'], ['x-a', '1']]));
    expect(Object.getOwnPropertyDescriptor(parts.headers, '__proto__')).toEqual({ value: 'p', writable: true, enumerable: true, configurable: true });
    expect(Object.getPrototypeOf(parts.headers)).toBe(Object.prototype);
    const record: Record<string, string> = {};
    putHeader(record, '__proto__', 'q');
    putHeader(record, 'x-b', '2');
    expect(Object.getOwnPropertyDescriptor(record, '__proto__')).toEqual(Object.getOwnPropertyDescriptor(Object.fromEntries([['__proto__', 'q']]), '__proto__'));
    expect(record).toEqual(Object.fromEntries([['__proto__', 'q'], ['x-b', '2']]));
  });
});

describe('addDefaultHeader (the content type a Response body implies)', () => {
  it('adds the header to headers over an event record without writing to the record, and keeps one already there', () => {
    const record = { host: 'h' };
    const h = headersFromStoredRecord(record);
    addDefaultHeader(h, 'content-type', 'text/plain');
    addDefaultHeader(h, 'host', 'other');
    expect(record).toEqual({ host: 'h' });
    expect([...h]).toEqual([
      ['content-type', 'text/plain'],
      ['host', 'h'],
    ]);
    const fromRecord = { accept: '*/*' };
    addDefaultHeader(headersFromRecord(fromRecord), 'content-type', 'text/plain');
    expect(fromRecord).toEqual({ accept: '*/*' });
  });

  it('adds to the headers of an init record unless present, and to Map-backed headers', () => {
    const init = headersFromInitRecord({ 'Content-Type': 'text/html' });
    addDefaultHeader(init, 'content-type', 'text/plain');
    addDefaultHeader(init, 'x-default', '1');
    expect([...init]).toEqual([
      ['content-type', 'text/html'],
      ['x-default', '1'],
    ]);
    const map = new LightHeaders([['a', '1']]);
    addDefaultHeader(map, 'content-type', 'text/plain');
    addDefaultHeader(map, 'a', '2');
    expect([...map]).toEqual([
      ['a', '1'],
      ['content-type', 'text/plain'],
    ]);
  });
});

describe('LightHeaders in the details undici shows', () => {
  it('joins repeated names of a record init like undici: cookie with "; ", others with ", "', () => {
    const init = { 'X-A': '1', 'x-a': '2', Cookie: 'a=1', cookie: 'b=2' };
    const light = new LightHeaders(init);
    expect([...light]).toEqual([...new NativeHeaders(init)]);
    expect([light.get('x-a'), light.get('cookie')]).toEqual(['1, 2', 'a=1; b=2']);
  });

  it('names the operation in the error for an invalid name, word for word as undici', () => {
    for (const op of ['get', 'has', 'delete', 'set', 'append'] as const) {
      const message = (h: Headers | LightHeaders) => {
        try {
          (h[op] as (name: string, value: string) => unknown)('bad name', 'v');
          return 'no error';
        } catch (error) {
          return (error as Error).message;
        }
      };
      expect(message(new LightHeaders({ a: '1' }))).toBe(message(new NativeHeaders({ a: '1' })));
    }
  });

  it('refuses a pair that is null, a number or a string with its own length-2 error', () => {
    for (const pair of [null, 5, 'ab']) {
      expect(() => new LightHeaders([pair] as never)).toThrow(new TypeError('Headers constructor: expected name/value pair to be length 2, found 0.'));
    }
  });

  it('answers instanceof LightHeaders for light and undici headers only, and leaves subclasses to the prototype chain', () => {
    class Sub extends LightHeaders {}
    const light = new LightHeaders();
    expect([light instanceof LightHeaders, new NativeHeaders() instanceof LightHeaders]).toEqual([true, true]);
    expect([{} instanceof LightHeaders, (null as unknown) instanceof LightHeaders, ('x' as unknown) instanceof LightHeaders, (() => {}) instanceof LightHeaders]).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect([new Sub() instanceof Sub, light instanceof Sub, new NativeHeaders() instanceof Sub, new Sub() instanceof LightHeaders]).toEqual([true, false, false, true]);
  });
});
