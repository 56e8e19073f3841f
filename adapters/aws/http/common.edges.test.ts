import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ResponseParts } from '../../../core/http.js';
import { installFastFetch } from '../../../core/fetch/install.js';
import {
  checkBody,
  checkCookies,
  encodeQuery,
  findHeader,
  findMultiHeader,
  headerPairs,
  joinRawQuery,
  newRequest,
  pickHost,
  readCookies,
  readMethod,
  readMultiMap,
  readPath,
  readStringMap,
  requestBody,
  responseBody,
  toWirePath,
} from './common.js';

const M = 'faasport/aws: malformed REST API event: ';

describe('readMethod and readPath', () => {
  it('upper-cases a method and names an empty or non-string one in full', () => {
    expect(readMethod('get', 'REST API', 'httpMethod')).toBe('GET');
    expect(() => readMethod('', 'REST API', 'httpMethod')).toThrow(`${M}httpMethod is an empty string; expected an HTTP method such as "GET"`);
    expect(() => readMethod(5, 'REST API', 'httpMethod')).toThrow(`${M}httpMethod is the number 5; expected an HTTP method such as "GET"`);
  });

  it('refuses a path that does not start with "/" and escapes one that does', () => {
    expect(readPath('/a b', 'REST API', 'path')).toBe('/a%20b');
    expect(() => readPath('items/1', 'REST API', 'path')).toThrow(
      `${M}path is the string "items/1"; expected a path starting with "/" such as "/items/42"`,
    );
    expect(() => readPath(7, 'REST API', 'path')).toThrow(`${M}path is the number 7; expected a path starting with "/" such as "/items/42"`);
  });
});

describe('checkBody and requestBody', () => {
  it('passes an absent or text body and decodes a base64 one', () => {
    expect(checkBody(undefined, true, 'REST API')).toBeUndefined();
    expect(checkBody(null, true, 'REST API')).toBeUndefined();
    expect(checkBody('QUJD', false, 'REST API')).toBeUndefined();
    expect([...checkBody('QUJD', true, 'REST API')!]).toEqual([65, 66, 67]);
  });

  it('names a non-string body even when it is not marked base64, and a body that is not base64', () => {
    expect(() => checkBody(5, false, 'REST API')).toThrow(`${M}body is the number 5; expected a string (base64 when isBase64Encoded is true) or null`);
    expect(() => checkBody('QUJ', true, 'REST API')).toThrow(
      `${M}isBase64Encoded is true but body is not valid base64; expected standard padded base64 (A-Z a-z 0-9 + / =)`,
    );
  });

  it('gives no body for GET, HEAD or an absent body, and decodes base64 when no bytes were decoded yet', () => {
    expect(requestBody('HEAD', 'x', false)).toBeUndefined();
    expect(requestBody('GET', 'x', false)).toBeUndefined();
    expect(requestBody('POST', undefined, true, Uint8Array.of(1))).toBeUndefined();
    expect(requestBody('POST', null, false)).toBeUndefined();
    expect([...(requestBody('POST', 'QUJD', true) as Uint8Array)]).toEqual([65, 66, 67]);
    const decoded = Uint8Array.of(9);
    expect(requestBody('POST', 'QUJD', true, decoded)).toBe(decoded);
    expect(requestBody('POST', 'QUJD', false)).toBe('QUJD');
  });
});

describe('newRequest with header pairs (fast fetch)', () => {
  installFastFetch();
  const pairs = (): [string, string][] => [['host', 'h.example'], ['cookie', 'old=1']];

  it('replaces the cookie header with a cookie string or the "; " join of a list, and keeps it otherwise', async () => {
    expect(newRequest('GET', 'h.example', '/', '', pairs(), undefined, ['a=1', 'b=2']).headers.get('cookie')).toBe('a=1; b=2');
    expect(newRequest('GET', 'h.example', '/', '', pairs(), undefined, 'c=3').headers.get('cookie')).toBe('c=3');
    expect(newRequest('GET', 'h.example', '/', '', pairs(), undefined).headers.get('cookie')).toBe('old=1');
    const req = newRequest('POST', 'h.example', '/p', 'q=1', pairs(), 'hi');
    expect(req.url).toBe('https://h.example/p?q=1');
    expect(await req.text()).toBe('hi');
  });
});

describe('newRequest with native fetch (FAASPORT_NATIVE_FETCH=1)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });
  const load = async () => {
    vi.stubEnv('FAASPORT_NATIVE_FETCH', '1');
    vi.resetModules();
    return import('./common.js');
  };

  it('builds a Node Request whose cookie header is the given string or the "; " join of a list', async () => {
    const common = await load();
    const list = common.newRequest('GET', 'h.example', '/', '', { host: 'h.example', cookie: 'old=1' }, undefined, ['a=1', 'b=2']);
    expect(list.constructor).toBe(Request);
    expect(list.headers.get('cookie')).toBe('a=1; b=2');
    expect(common.newRequest('GET', 'h.example', '/', '', { cookie: 'old=1' }, undefined, 'c=3').headers.get('cookie')).toBe('c=3');
    const kept = common.newRequest('GET', 'h.example', '/', '', { cookie: 'old=1', 'x-a': '1' }, undefined);
    expect([...kept.headers]).toEqual([['cookie', 'old=1'], ['x-a', '1']]);
    expect(kept.body).toBeNull();
  });

  it('sends a text body as its UTF-8 bytes without inventing a content-type, and bytes as they are', async () => {
    const common = await load();
    const text = common.newRequest('POST', 'h.example', '/', '', { 'x-a': '1' }, 'héllo', 'c=3');
    expect(text.headers.get('content-type')).toBeNull();
    expect(text.headers.get('x-a')).toBe('1');
    expect(text.headers.get('cookie')).toBe('c=3');
    expect(await text.text()).toBe('héllo');
    const bytes = common.newRequest('POST', 'h.example', '/', '', { 'x-a': '1' }, Uint8Array.of(1, 2));
    expect(bytes.headers.get('x-a')).toBe('1');
    expect([...new Uint8Array(await bytes.arrayBuffer())]).toEqual([1, 2]);
  });

  it('pickHost on a fresh module takes the gateway domain when there is no Host header', async () => {
    vi.resetModules();
    const common = await import('./common.js');
    expect(common.pickHost(undefined, 'd.example')).toBe('d.example');
  });
});

describe('pickHost host-name characters', () => {
  it('takes letters of both cases, digits, "_", and refuses an empty Host', () => {
    expect(pickHost('', 'd.example')).toBe('d.example');
    expect(pickHost('a.example', 'd.example')).toBe('a.example');
    expect(pickHost('Z.example', 'd.example')).toBe('Z.example');
    expect(pickHost('A.example', 'd.example')).toBe('A.example');
    expect(pickHost('z9_0.example', 'd.example')).toBe('z9_0.example');
  });

  it('passes over a Host with a character outside the host-name set', () => {
    for (const host of ['a b', 'a|b', 'a`b', 'a{b', 'a@b', 'a/b']) expect(pickHost(host, 'd.example')).toBe('d.example');
  });

  it('names a host-like Host the URL parser refuses, cut to 100 characters', () => {
    const host = `${'a'.repeat(120)}:99999`;
    expect(() => pickHost(host, 'd.example')).toThrow(
      `faasport/aws: malformed event: the Host header "${'a'.repeat(100)}" is not a host name with an optional port (1-65535); expected a Host such as "api.example.com" or "[::1]:8443"`,
    );
  });
});

describe('findHeader and findMultiHeader', () => {
  it('prefers the exact lower-case key over another casing', () => {
    expect(findHeader({ HOST: 'a', host: 'b' }, 'host')).toBe('b');
    expect(findHeader({ HOST: 'a' }, 'host')).toBe('a');
  });

  it('answers undefined when no name matches, even one of the same length', () => {
    expect(findHeader({ abcd: '1', hostx: '2' }, 'host')).toBeUndefined();
    expect(findHeader(undefined, 'host')).toBeUndefined();
    expect(findMultiHeader({ abcd: ['1'], hostx: ['2'] }, 'host')).toBeUndefined();
    expect(findMultiHeader(undefined, 'host')).toBeUndefined();
  });

  it('skips an empty or undefined list and takes the first value of the next match', () => {
    expect(findMultiHeader({ Host: [], HOST: undefined, host: ['a', 'b'] }, 'host')).toBe('a');
  });
});

describe('readStringMap, readMultiMap and the cookie list', () => {
  it('answers undefined for null and undefined', () => {
    expect(readStringMap(null, 'REST API', 'headers')).toBeUndefined();
    expect(readStringMap(undefined, 'REST API', 'headers')).toBeUndefined();
    expect(readMultiMap(null, 'REST API', 'multiValueHeaders')).toBeUndefined();
    expect(readMultiMap(undefined, 'REST API', 'multiValueHeaders')).toBeUndefined();
    expect(checkCookies(null, 'REST API')).toBeUndefined();
    expect(readCookies(null, 'REST API')).toBeUndefined();
  });

  it('keeps undefined entries and refuses an array or a non-string value with a full message', () => {
    const map = { a: 'x', b: undefined };
    expect(readStringMap(map, 'REST API', 'headers')).toBe(map);
    expect(() => readStringMap(['a'], 'REST API', 'headers')).toThrow(`${M}headers is an array; expected an object of string values`);
    expect(() => readStringMap('ab', 'REST API', 'headers')).toThrow(`${M}headers is the string "ab"; expected an object of string values`);
    expect(() => readStringMap({ a: 1 }, 'REST API', 'headers')).toThrow(`${M}headers["a"] is the number 1; expected a string`);
  });

  it('checks every item of a multi-value map and names the bad one', () => {
    const map = { a: ['x', 'y'], b: undefined };
    expect(readMultiMap(map, 'REST API', 'multiValueHeaders')).toBe(map);
    expect(() => readMultiMap(['a'], 'REST API', 'multiValueHeaders')).toThrow(`${M}multiValueHeaders is an array; expected an object of string arrays`);
    expect(() => readMultiMap('a', 'REST API', 'multiValueHeaders')).toThrow(
      `${M}multiValueHeaders is the string "a"; expected an object of string arrays`,
    );
    expect(() => readMultiMap({ a: 'x' }, 'REST API', 'multiValueHeaders')).toThrow(
      `${M}multiValueHeaders["a"] is the string "x"; expected an array of strings`,
    );
    expect(() => readMultiMap({ a: ['x', 2] }, 'REST API', 'multiValueHeaders')).toThrow(
      `${M}multiValueHeaders["a"][1] is the number 2; expected a string`,
    );
  });

  it('joins payload 2.0 cookies with "; " and names a non-array or a bad item', () => {
    expect(readCookies(['a=1', 'b=2'], 'REST API')).toBe('a=1; b=2');
    expect(() => checkCookies('a=1', 'REST API')).toThrow(`${M}cookies is the string "a=1"; expected an array of strings`);
    expect(() => checkCookies(['a=1', 2], 'REST API')).toThrow(`${M}cookies[1] is the number 2; expected a string`);
  });
});

describe('headerPairs and query joins skip undefined entries', () => {
  it('headerPairs', () => {
    expect(headerPairs({ a: ['1', '2'], b: undefined }, { a: 'x', c: undefined, d: '4' })).toEqual([['a', '1'], ['a', '2'], ['d', '4']]);
  });

  it('encodeQuery and joinRawQuery', () => {
    expect(encodeQuery(undefined, { a: undefined, b: '1' })).toBe('b=1');
    expect(joinRawQuery({ a: undefined, b: ['1'] }, { c: undefined, d: '2' })).toBe('b=1&d=2');
  });
});

describe('responseBody from a light Response text', () => {
  const parts = (contentType: string, text: string, body?: Uint8Array): ResponseParts =>
    ({ status: 200, headers: { 'content-type': contentType }, cookies: [], body, text }) as ResponseParts;

  it('sends an empty text as "" whatever the type', () => {
    expect(responseBody(parts('application/octet-stream', ''))).toEqual({ body: '', isBase64Encoded: false });
  });

  it('sends a text type as the string itself and any other type as base64 of its bytes', () => {
    expect(responseBody(parts('application/json', '{"a":1}'))).toEqual({ body: '{"a":1}', isBase64Encoded: false });
    expect(responseBody(parts('application/octet-stream', 'x', Uint8Array.of(120)))).toEqual({ body: 'eA==', isBase64Encoded: true });
  });
});

describe('toWirePath edges', () => {
  it('treats "%" as an escape only before two hex digits (0-9, A-F, a-f)', () => {
    expect(toWirePath('/%09%AF%af')).toBe('/%09%AF%af');
    for (const [x, enc] of [['/', '/'], [':', ':'], ['@', '@'], ['G', 'G'], ['g', 'g'], ['`', '%60']]) {
      expect(toWirePath(`/%${x}0`)).toBe(`/%25${enc}0`);
      expect(toWirePath(`/%0${x}`)).toBe(`/%250${enc}`);
      expect(toWirePath(`/é%${x}0`)).toBe(`/%C3%A9%25${enc}0`);
      expect(toWirePath(`/é%0${x}`)).toBe(`/%C3%A9%250${enc}`);
    }
    expect(toWirePath('/é%09%AF%af')).toBe('/%C3%A9%09%AF%af');
  });

  it('looks at the two characters after "%", not around it', () => {
    expect(toWirePath('/a%z4')).toBe('/a%25z4');
    expect(toWirePath('/ab%4z')).toBe('/ab%254z');
    expect(toWirePath('/x ab')).toBe('/x%20ab');
    expect(toWirePath(' a')).toBe('%20a');
  });

  it('pairs only a high surrogate (D800-DBFF) with a following low one', () => {
    expect(toWirePath('/\ud800\udc00')).toBe('/%F0%90%80%80');
    expect(toWirePath('/\udbff\udfff')).toBe('/%F4%8F%BF%BF');
    expect(toWirePath('/é\udc00')).toBe('/%C3%A9%EF%BF%BD');
    expect(toWirePath('/\udc00\udc00')).toBe('/%EF%BF%BD%EF%BF%BD');
  });
});
