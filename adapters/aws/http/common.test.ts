import { describe, expect, it } from 'vitest';
import type { ResponseParts } from '../../../core/http.js';
import { installFastFetch } from '../../../core/fetch/install.js';
import { checkCookies, encodeQuery, joinRawQuery, newRequest, pickHost, responseBody, strictBase64, toWirePath } from './common.js';

describe('toWirePath', () => {
  it('returns an already-encoded path unchanged (the same string, no copy)', () => {
    const path = "/items/caf%C3%A9/a%2Fb/~user/x;y=1/@:!$&'()*+,=";
    expect(toWirePath(path)).toBe(path);
  });

  it('escapes what an HTTP API decoded: space, non-ASCII, "?" and "#"', () => {
    expect(toWirePath('/items/café au lait')).toBe('/items/caf%C3%A9%20au%20lait');
    expect(toWirePath('/q/what?#x')).toBe('/q/what%3F%23x');
    expect(toWirePath('/unicode-λ-世界')).toBe('/unicode-%CE%BB-%E4%B8%96%E7%95%8C');
  });

  it('escapes a "%" that does not start an escape, and keeps one that does', () => {
    expect(toWirePath('/100%')).toBe('/100%25');
    expect(toWirePath('/100%zz/%41')).toBe('/100%25zz/%41');
  });

  it('escapes a backslash, which URL parsers would turn into "/"', () => {
    expect(toWirePath('/a\\b')).toBe('/a%5Cb');
  });

  it('encodes a surrogate pair as one code point and a lone surrogate as U+FFFD', () => {
    expect(toWirePath('/emoji-😀')).toBe('/emoji-%F0%9F%98%80');
    expect(toWirePath('/bad-\ud800x')).toBe('/bad-%EF%BF%BDx');
  });

  it('gives paths whose segments decode back to the original text', () => {
    for (const text of ['café au lait', 'a?b#c', '50%', 'λ😀']) {
      const wire = toWirePath(`/${text}`);
      expect(decodeURIComponent(wire.slice(1))).toBe(text);
    }
  });
});

describe('query strings', () => {
  it('encodeQuery percent-encodes decoded REST parameters and keeps repeated keys in order', () => {
    expect(encodeQuery({ tag: ['a', 'b'], 'a b': ['x&y=z'], plus: ['a+b'] }, { tag: 'b' })).toBe(
      'tag=a&tag=b&a%20b=x%26y%3Dz&plus=a%2Bb',
    );
    expect(encodeQuery(null, { q: 'a b' })).toBe('q=a%20b');
    expect(encodeQuery(null, null)).toBe('');
  });

  it('a key only in the single-value map is kept (the union of both maps)', () => {
    expect(encodeQuery({ tag: ['a', 'b'] }, { tag: 'b', only: '1' })).toBe('tag=a&tag=b&only=1');
    expect(encodeQuery({}, { q: 'x' })).toBe('q=x');
    expect(joinRawQuery({ tag: ['a'] }, { tag: 'a', only: 'x%20y' })).toBe('tag=a&only=x%20y');
  });

  it('a lone surrogate in a decoded parameter is encoded as U+FFFD, not a thrown URIError', () => {
    expect(encodeQuery({ q: ['\ud800'] }, undefined)).toBe('q=%EF%BF%BD');
  });

  it('joinRawQuery keeps ALB parameters exactly as sent (no double encoding)', () => {
    expect(joinRawQuery({ tag: ['a', 'b'], redirect: ['https%3A%2F%2Fx'] }, undefined)).toBe('tag=a&tag=b&redirect=https%3A%2F%2Fx');
    expect(joinRawQuery(undefined, { q: 'a%20b' })).toBe('q=a%20b');
  });
});

describe('pickHost', () => {
  it('prefers the Host header, then the gateway domain, then localhost', () => {
    expect(pickHost('api.example.com:8443', 'x.execute-api.aws')).toBe('api.example.com:8443');
    expect(pickHost(undefined, 'x.execute-api.aws')).toBe('x.execute-api.aws');
    expect(pickHost('<url-id>.lambda-url.on.aws', '<url-id>.lambda-url.on.aws')).toBe('localhost');
    expect(pickHost('evil.com/path', undefined)).toBe('localhost');
  });
});

describe('responseBody', () => {
  const parts = (contentType: string | undefined, body: Uint8Array | undefined): ResponseParts => ({
    status: 200,
    headers: contentType ? { 'content-type': contentType } : ({} as Record<string, string>),
    cookies: [],
    body,
  });

  it('sends text types as UTF-8 and everything else as base64', () => {
    expect(responseBody(parts('application/json', new TextEncoder().encode('{"a":"λ"}')))).toEqual({ body: '{"a":"λ"}', isBase64Encoded: false });
    expect(responseBody(parts('application/octet-stream', Uint8Array.of(0, 255)))).toEqual({ body: 'AP8=', isBase64Encoded: true });
    expect(responseBody(parts(undefined, Uint8Array.of(1)))).toEqual({ body: 'AQ==', isBase64Encoded: true });
  });

  it('sends no body and an empty body as ""', () => {
    expect(responseBody(parts('image/png', undefined))).toEqual({ body: '', isBase64Encoded: false });
    expect(responseBody(parts('image/png', new Uint8Array(0)))).toEqual({ body: '', isBase64Encoded: false });
  });
});

describe('strictBase64 (the isBase64Encoded check)', () => {
  it('decodes standard padded base64 with 0, 1 or 2 padding characters, and the empty string', () => {
    for (const bytes of [[], [1], [1, 2], [1, 2, 3], [251, 255, 191, 0]]) {
      const text = Buffer.from(bytes).toString('base64');
      expect([...strictBase64(text)!]).toEqual(bytes);
    }
  });

  it('takes the url-safe alphabet as the bytes it stands for', () => {
    expect([...strictBase64('-_-_')!]).toEqual([...Buffer.from('+/+/', 'base64')]);
  });

  it.each([
    ['a length that is not a multiple of 4', 'QUJDR'],
    ['a character outside the alphabet', 'QU!D'],
    ['whitespace inside', 'QU D'],
    ['padding in the middle', 'QQ==QUJD'],
    ['three padding characters', 'Q==='],
  ])('refuses %s', (_name, text) => {
    expect(strictBase64(text)).toBeUndefined();
  });
});

describe('payload 2.0 cookies kept as a list until read', () => {
  installFastFetch();
  const request = (cookies: readonly string[], headers: Record<string, string> = { host: 'h.example' }) =>
    newRequest('GET', 'h.example', '/', '', headers, undefined, checkCookies(cookies, 'test'));

  it('reads the cookie header as the "; " join of the list, in place of a cookie header the record carries', () => {
    const req = request(['a=1', 'b=2'], { host: 'h.example', cookie: 'old=1' });
    expect(req.headers.get('cookie')).toBe('a=1; b=2');
    expect(req.headers.has('cookie')).toBe(true);
    const seen: [string, string][] = [];
    req.headers.forEach((value, name) => seen.push([name, value]));
    expect(seen).toEqual([['cookie', 'a=1; b=2'], ['host', 'h.example']]);
  });

  it('iterates and copies the joined header like any other', () => {
    const req = request(['a=1', 'b=2']);
    expect([...req.headers]).toEqual([['cookie', 'a=1; b=2'], ['host', 'h.example']]);
    expect(new Headers(req.headers as unknown as Headers).get('cookie')).toBe('a=1; b=2');
  });

  it('normalises a join that would start or end with whitespace, as new Headers() does', () => {
    expect(request([' a=1', 'b=2 ']).headers.get('cookie')).toBe('a=1; b=2');
    expect(request(['a=1', '']).headers.get('cookie')).toBe('a=1;');
  });

  it('refuses a list item a header value cannot hold while the request is built, not when it is read', () => {
    expect(() => request(['a=1', 'b=\u0100'])).toThrow(TypeError);
    expect(() => request(['a=1\nx'])).toThrow(TypeError);
  });

  it('answers undefined for an absent or empty list and names a non-string item', () => {
    expect(checkCookies(undefined, 'test')).toBeUndefined();
    expect(checkCookies([], 'test')).toBeUndefined();
    expect(() => checkCookies(['a=1', 2], 'test')).toThrow(/cookies\[1\] is/);
  });
});
