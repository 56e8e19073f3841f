import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { BadEventError } from '../../core/errors.js';
import { nativeFetch } from '../../core/fetch/natives.js';
import { isLightRequest } from '../../core/fetch/request.js';
import { invocationIdFrom, requestBody, requestHeaders, requestTarget, toFetchRequest } from './http-request.js';

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

  it('defaults a missing method to GET and a missing URL to "/"', () => {
    expect(requestTarget({ headers: { host: 'h' } } as never)).toEqual({ method: 'GET', path: '/', url: 'http://h/' });
  });

  it('ends the path at a "#" as at a "?"', () => {
    expect(target('/a#frag').path).toBe('/a');
  });

  it('gives "/" as the path of an absolute-form target with no path or query', () => {
    expect(target('http://other.example')).toEqual({ method: 'GET', path: '/', url: 'http://other.example/' });
  });

  it('reads the first X-Forwarded-Proto value case-insensitively and without the spaces around it', () => {
    expect(target('/', { host: 'h', 'x-forwarded-proto': 'HTTPS' }).url).toBe('https://h/');
    expect(target('/', { host: 'h', 'x-forwarded-proto': 'https ,http' }).url).toBe('https://h/');
  });

  it('rejects an absolute-form target whose authority cannot form a URL, and "http://" not at the start', () => {
    expect(() => target('http://a b/x')).toThrow(new BadEventError('faasport: the request target "http://a b/x" does not form a valid URL'));
    expect(() => target('xhttp://h/p')).toThrow(
      new BadEventError('faasport: the request target "xhttp://h/p" is not a path (expected "/..." or "http://host/...")'),
    );
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
    expect(fromNode(['X-A', ' 1'], { 'x-a': ' 1' })).toEqual([['x-a', '1']]);
    expect(fromNode(['X-A', '1 '], { 'x-a': '1 ' })).toEqual([['x-a', '1']]);
    expect(fromNode(['X-A', ' '], { 'x-a': ' ' })).toEqual([['x-a', '']]);
  });

  it('ignores a trailing name that has no value', () => {
    expect([...requestHeaders(['X-A', '1', 'X-B'])]).toEqual([['x-a', '1']]);
  });
});

// A fresh copy of the module graph that reads FAASPORT_NATIVE_FETCH=1: Node's own Headers and Request.
async function nativeFetchModule(): Promise<typeof import('./http-request.js')> {
  const saved = process.env.FAASPORT_NATIVE_FETCH;
  process.env.FAASPORT_NATIVE_FETCH = '1';
  try {
    vi.resetModules();
    const install = await import('../../core/fetch/install.js');
    expect(install.fastFetchEnabled()).toBe(false); // read (and kept) while the variable is set
    return await import('./http-request.js');
  } finally {
    if (saved === undefined) delete process.env.FAASPORT_NATIVE_FETCH;
    else process.env.FAASPORT_NATIVE_FETCH = saved;
  }
}

/**
 * Runs `body` with Node's own Headers as the global, as it always is under FAASPORT_NATIVE_FETCH=1 (nothing is
 * installed then); another test file in the same worker may have installed the light classes.
 */
function withNodeHeaders<T>(body: (NodeHeaders: typeof Headers) => T): T {
  const NodeHeaders = nativeFetch().Headers;
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'Headers')!;
  Object.defineProperty(globalThis, 'Headers', { value: NodeHeaders, configurable: true, writable: true });
  try {
    return body(NodeHeaders);
  } finally {
    Object.defineProperty(globalThis, 'Headers', saved);
  }
}

describe('requestHeaders with FAASPORT_NATIVE_FETCH=1', () => {
  it('keeps repeated headers in order and joins Cookie lines with "; " (RFC 6265 section 5.4)', async () => {
    const { requestHeaders: nativeHeaders } = await nativeFetchModule();
    const [headers, NodeHeaders] = withNodeHeaders((NodeHeaders) => [
      nativeHeaders(['X-Tag', 'a', 'Cookie', 'a=1', 'Accept', 'text/html', 'x-tag', 'b', 'COOKIE', 'b=2', 'Trailing']),
      NodeHeaders,
    ] as const);
    expect(Object.getPrototypeOf(headers)).toBe(NodeHeaders.prototype);
    expect([...headers]).toEqual([
      ['accept', 'text/html'],
      ['cookie', 'a=1; b=2'],
      ['x-tag', 'a, b'],
    ]);
  });

  it('keeps a single Cookie line as sent and adds none when there is none', async () => {
    const { requestHeaders: nativeHeaders } = await nativeFetchModule();
    withNodeHeaders(() => {
      expect([...nativeHeaders(['Cookie', 'a=1', 'Host', 'h'])]).toEqual([
        ['cookie', 'a=1'],
        ['host', 'h'],
      ]);
      expect([...nativeHeaders(['Host', 'h'])]).toEqual([['host', 'h']]);
    });
  });
});

type FakeRequest = Record<string, unknown>;
const rawHeadersOf = (headers: Record<string, string>) => Object.entries(headers).flat();
const fakeRequest = (fields: { method: string; headers: Record<string, string>; rawBody?: Buffer; body?: unknown }): FakeRequest => ({
  ...fields,
  rawHeaders: rawHeadersOf(fields.headers),
});
const fetchRequest = (fields: Parameters<typeof fakeRequest>[0]) =>
  toFetchRequest(fakeRequest(fields) as never, { method: fields.method, path: '/', url: 'http://h/' });

describe('requestBody', () => {
  // A request whose body stream nobody read (no Content-Type the framework's parsers match).
  const unread = (headers: Record<string, string>) =>
    Object.assign(Readable.from([Buffer.from('hello')]), { method: 'POST', headers, rawHeaders: rawHeadersOf(headers) });

  it('is null when node saw no body on the wire: no Content-Length, "0" or not a number', () => {
    expect(requestBody(unread({}) as never)).toBeNull();
    expect(requestBody(unread({ 'content-length': '0' }) as never)).toBeNull();
    expect(requestBody(unread({ 'content-length': 'abc' }) as never)).toBeNull();
  });

  it('is null when the stream has already ended', async () => {
    const req = unread({ 'content-length': '5' });
    for await (const chunk of req) expect(chunk).toEqual(Buffer.from('hello'));
    expect(req.readableEnded).toBe(true);
    expect(requestBody(req as never)).toBeNull();
  });

  it('passes an unread body through as a stream (Content-Length or Transfer-Encoding)', async () => {
    const body = requestBody(unread({ 'content-length': '5' }) as never);
    expect(body).toBeInstanceOf(ReadableStream);
    expect(await new Response(body as ReadableStream).text()).toBe('hello');
    expect(requestBody(unread({ 'transfer-encoding': 'chunked' }) as never)).toBeInstanceOf(ReadableStream);
  });
});

describe('toFetchRequest', () => {
  it('builds a light request for a bodiless request and keeps its Content-Encoding when there is no rawBody', () => {
    const request = fetchRequest({ method: 'GET', headers: { host: 'h', 'content-encoding': 'gzip' } });
    expect(isLightRequest(request)).toBe(true);
    expect(request.headers.get('content-encoding')).toBe('gzip');
  });

  it('keeps Content-Encoding and Content-Length for an identity encoding (in any case)', () => {
    const rawBody = Buffer.from('abc');
    const request = fetchRequest({ method: 'POST', headers: { 'content-encoding': 'IDENTITY', 'content-length': '3' }, rawBody });
    expect(request.headers.get('content-encoding')).toBe('IDENTITY');
    expect(request.headers.get('content-length')).toBe('3');
  });

  it('treats an identity encoding with whitespace around it as identity', () => {
    const request = fetchRequest({ method: 'POST', headers: { 'content-encoding': ' identity ' }, rawBody: Buffer.from('abc') });
    expect(request.headers.get('content-encoding')).toBe('identity');
  });

  it('drops Content-Encoding of an inflated body and adds no Content-Length to a chunked one', () => {
    const rawBody = Buffer.from('inflated');
    const request = fetchRequest({ method: 'POST', headers: { 'content-encoding': 'gzip', 'transfer-encoding': 'chunked' }, rawBody });
    expect(request.headers.get('content-encoding')).toBeNull();
    expect(request.headers.get('content-length')).toBeNull();
  });

  it('passes the abort signal to the Request made for an unread stream body', () => {
    const abortController = new AbortController();
    const headers = { 'content-length': '5' };
    const req = Object.assign(Readable.from([Buffer.from('hello')]), { method: 'POST', headers, rawHeaders: rawHeadersOf(headers), abortController });
    const request = toFetchRequest(req as never, { method: 'POST', path: '/', url: 'http://h/' });
    expect(isLightRequest(request)).toBe(false);
    expect(request.signal.aborted).toBe(false);
    abortController.abort();
    expect(request.signal.aborted).toBe(true);
  });

  // json() hands out the object the framework's JSON parser made (req.body) only when the bytes would give it.
  const reused = async (contentType: string | undefined, body: unknown = { from: 'body' }) => {
    const headers: Record<string, string> = contentType === undefined ? {} : { 'content-type': contentType };
    const value: unknown = await fetchRequest({ method: 'POST', headers, rawBody: Buffer.from('{"from":"bytes"}'), body }).json();
    return value === body;
  };

  it('reuses the parsed JSON body for JSON media types in UTF-8, however spaced and cased', async () => {
    expect(await reused('application/json')).toBe(true);
    expect(await reused('application/json;charset=utf-8')).toBe(true);
    expect(await reused(' Application/CloudEvents+JSON ; charset = "UTF-8" ')).toBe(true);
  });

  it('parses the bytes for other media types and charsets, without one, and when req.body is not an object', async () => {
    expect(await reused(undefined)).toBe(false);
    expect(await reused('text/plain; x=application/json')).toBe(false);
    expect(await reused('xapplication/json')).toBe(false);
    expect(await reused('application/json-seq')).toBe(false);
    expect(await reused('application/json; charset=utf-16le')).toBe(false);
    expect(await reused('application/json', null)).toBe(false);
    expect(await reused('application/json', 'text')).toBe(false);
    expect(await reused('application/json', Buffer.from('{"from":"raw parser"}'))).toBe(false);
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

  it('trims both headers and reads the trace id only from the start of X-Cloud-Trace-Context', () => {
    const executionId = 'lq3x9k8f2a7b';
    expect(invocationIdFrom({ headers: { 'function-execution-id': ' e1 ' }, executionId })).toBe('e1');
    expect(invocationIdFrom({ headers: { 'x-cloud-trace-context': ' abc123/42;o=1' }, executionId })).toBe('abc123/42');
    expect(invocationIdFrom({ headers: { 'x-cloud-trace-context': 'zz-abc/1' }, executionId })).toBe(executionId);
  });
});
