import { describe, expect, it } from 'vitest';
import { BadEventError } from '../../core/errors.js';
import { invocationIdFrom, requestHeaders, requestTarget } from './http-request.js';

const target = (url: string, headers: Record<string, string> = { host: 'fn.example' }, method = 'GET') =>
  requestTarget({ method, originalUrl: url, headers } as never);

describe('requestTarget', () => {
  it('keeps the wire path and splits off the query', () => {
    expect(target('/a%20b/%7Euser?x=1&x=2')).toEqual({
      method: 'GET',
      path: '/a%20b/%7Euser',
      url: 'http://fn.example/a%20b/%7Euser?x=1&x=2',
    });
  });

  it('treats "//host" at the start of the path as a path, never as another authority', () => {
    const t = target('//evil.example/x');
    expect(t.path).toBe('//evil.example/x');
    expect(new URL(t.url).host).toBe('fn.example');
  });

  it('accepts the absolute form a proxy sends', () => {
    expect(target('http://other.example:8080/p/q?z=1')).toMatchObject({ path: '/p/q', url: 'http://other.example:8080/p/q?z=1' });
    expect(target('http://other.example?z=1').path).toBe('/');
  });

  it('uses the first X-Forwarded-Proto value', () => {
    expect(target('/', { host: 'h', 'x-forwarded-proto': 'https, http' }).url).toBe('https://h/');
    expect(target('/', { host: 'h', 'x-forwarded-proto': 'gopher' }).url).toBe('http://h/');
  });

  it('accepts IPv6 hosts with ports and falls back to localhost without Host (HTTP/1.0)', () => {
    expect(target('/x', { host: '[::1]:8080' }).url).toBe('http://[::1]:8080/x');
    expect(target('/x', {}).url).toBe('http://localhost/x');
  });

  it('leaves the URL text for the Request to serialise when the handler reads it', () => {
    const t = target('/a/../b?q=\u00e9', { host: 'Fn.Example:80' });
    expect(t).toMatchObject({ path: '/a/../b', url: 'http://Fn.Example:80/a/../b?q=\u00e9' });
    expect(new URL(t.url).href).toBe('http://fn.example/b?q=%C3%A9');
  });

  it('rejects a Host that would change the URL, and a target that is not a path', () => {
    expect(() => target('/x', { host: 'a@b' })).toThrow(BadEventError);
    expect(() => target('/x', { host: 'a/b' })).toThrow(/Host header "a\/b"/);
    expect(() => target('/x', { host: 'h:99999' })).toThrow(/Host header "h:99999"/);
    expect(() => target('/x', { host: '%zz' })).toThrow(/Host header "%zz"/);
    expect(() => target('*', { host: 'h' }, 'OPTIONS')).toThrow(/request target "\*" is not a path/);
  });
});

describe('requestHeaders', () => {
  it('keeps repeated headers and joins Cookie lines with "; "', () => {
    const headers = requestHeaders(['X-Tag', 'a', 'Cookie', 'a=1', 'x-tag', 'b', 'COOKIE', 'b=2']);
    expect(headers.get('x-tag')).toBe('a, b');
    expect(headers.get('cookie')).toBe('a=1; b=2');
  });

  // node's req.headers backs the headers only when it says exactly what the raw lines say.
  const fromNode = (raw: string[], parsed: Record<string, string | string[]>) => [...requestHeaders(raw, parsed as never)];

  it("reads node's header record as it is when every line made one entry", () => {
    // (a value only the record holds shows which one was read)
    expect(fromNode(['Host', 'h', 'X-A', '1'], { host: 'h', 'x-a': 'from-record' })).toEqual([
      ['host', 'h'],
      ['x-a', 'from-record'],
    ]);
  });

  it('falls back to the raw lines when node dropped or joined a repeat, kept an array, or kept whitespace', () => {
    // node keeps the first of two User-Agent lines; Fetch keeps both
    expect(fromNode(['User-Agent', 'a', 'User-Agent', 'b'], { 'user-agent': 'a' })).toEqual([['user-agent', 'a, b']]);
    // node joins two Cookie lines with "; " (one entry for two lines)
    expect(fromNode(['Cookie', 'a=1', 'Cookie', 'b=2'], { cookie: 'a=1; b=2' })).toEqual([['cookie', 'a=1; b=2']]);
    // a Set-Cookie request header comes as an array
    expect(fromNode(['Set-Cookie', 'a=1'], { 'set-cookie': ['a=1'] })).toEqual([['set-cookie', 'a=1']]);
    // whitespace around a value is trimmed, as by Fetch
    expect(fromNode(['X-A', ' 1 '], { 'x-a': ' 1 ' })).toEqual([['x-a', '1']]);
  });
});

describe('invocationIdFrom', () => {
  it("prefers Function-Execution-Id, then the trace header, then the framework's executionId, then a UUID", () => {
    const executionId = 'lq3x9k8f2a7b';
    expect(invocationIdFrom({ headers: { 'function-execution-id': 'e1', 'x-cloud-trace-context': 'abc/1;o=1' }, executionId })).toBe('e1');
    expect(invocationIdFrom({ headers: { 'x-cloud-trace-context': 'abc123/42;o=1' }, executionId })).toBe('abc123/42');
    expect(invocationIdFrom({ headers: { 'x-cloud-trace-context': 'garbage' }, executionId })).toBe(executionId);
    expect(invocationIdFrom({ headers: { 'x-cloud-trace-context': 'garbage' } })).toMatch(/^[0-9a-f-]{36}$/);
  });
});
