import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFastFetch } from './install.js';
import { nativeFetch } from './natives.js';
import { LightRequest, normalizeMethod, pathStart, serializeUrl } from './request.js';

const early = new Request('https://example.com/early', { method: 'POST', body: 'early body' });
installFastFetch();
const { Request: NativeRequest } = nativeFetch();

const post = (body: Uint8Array | string, headers: Record<string, string> = {}) =>
  new LightRequest('POST', 'https://example.com/items?x=1', headers, body) as unknown as Request;
const bytes = (text: string) => new TextEncoder().encode(text);

describe('LightRequest is a Request', () => {
  it('passes instanceof Request, with the global and with the built-in class', () => {
    const req = new LightRequest('GET', 'https://example.com/');
    expect(req instanceof Request).toBe(true);
    expect(req instanceof NativeRequest).toBe(true);
    expect(Object.prototype.toString.call(req)).toBe('[object Request]');
  });

  it('a Request made before install is real and still works', async () => {
    expect(early instanceof Request).toBe(true);
    expect(await early.text()).toBe('early body');
  });

  it('answers method, url and headers from what it was given', () => {
    const req = new LightRequest('GET', 'https://example.com/a/b?q=1', { Host: 'example.com', 'x-a': '1', skipped: undefined });
    expect(req.method).toBe('GET');
    expect(req.url).toBe('https://example.com/a/b?q=1');
    expect([...req.headers]).toEqual([
      ['host', 'example.com'],
      ['x-a', '1'],
    ]);
  });

  it('accepts header pairs (multi-value events) and joins repeated names like Headers', () => {
    const req = new LightRequest('GET', 'https://example.com/', [
      ['accept', 'a'],
      ['accept', 'b'],
      ['cookie', 'x=1'],
      ['cookie', 'y=2'],
    ]);
    expect(req.headers.get('accept')).toBe('a, b');
    expect(req.headers.get('cookie')).toBe('x=1; y=2');
  });
});

describe('method and URL, as new Request gives them', () => {
  it.each(['GET', 'get', 'head', 'post', 'put', 'delete', 'Options', 'patch', 'PATCH', 'PROPFIND'])('method %s', (method) => {
    expect(normalizeMethod(method)).toBe(new NativeRequest('https://x/', { method }).method);
  });

  it.each([
    ['an invalid method', 'GE T', /not a valid HTTP method/],
    ['CONNECT', 'CONNECT', /unsupported/],
    ['trace in lower case', 'trace', /unsupported/],
    ['TRACK in mixed case', 'Track', /unsupported/],
    ['connect in lower case', 'connect', /unsupported/],
  ])('refuses %s with TypeError', (_name, method, message) => {
    expect(() => new LightRequest(method, 'https://x/')).toThrow(message);
  });

  it('refuses a body on GET and HEAD', () => {
    expect(() => new LightRequest('GET', 'https://x/', {}, bytes('x'))).toThrow(new TypeError('Request with GET/HEAD method cannot have body.'));
    expect(() => new LightRequest('HEAD', 'https://x/', {}, bytes('x'))).toThrow(TypeError);
  });

  it.each([
    'https://example.com/items/42',
    'https://abc.execute-api.us-east-1.amazonaws.com/items/caf%C3%A9?a=1&a=2&b=%20',
    'https://Example.COM/x',
    'https://example.com:443/x',
    'https://example.com:8443/x',
    'https://127.0.0.1/x',
    'https://0x7f.1/x',
    'https://example.com/a/./b/../c',
    'https://example.com/a/%2e%2E/c',
    'https://example.com/.well-known/x',
    "https://example.com/x?q=it's \"quoted\" <b>",
    'https://example.com/x?',
    'https://example.com/x?q=caf\u00e9',
    'https://example.com/x?q=del\u007f',
    'https://example.com/x?q=tilde~',
    'https://example.com',
    'https://example.com./x',
    'https://xn--bcher-kva.example/x',
    'https://example.com/a|b^c[d]',
    'http://localhost/x',
    'http://localhost:7071/api/x?a=1',
    'http://localhost:80/x',
    'https://example.com:0443/x',
    'https://example.com:/x',
    'https://example.com:8080',
  ])('url of %s is its WHATWG serialisation', (url) => {
    expect(serializeUrl(url)).toBe(new NativeRequest(url).url);
  });

  it.each([
    ['https://example.com/items/42?x=1', 19],
    ['http://localhost:7071/api/x', 21],
    ['https://example.com:443/x', -1],
    ['https://example.com:99999/x', -1],
    ['https://Example.com/x', -1],
    ['ftp://example.com/x', -1],
  ])('pathStart(%s) is %i', (url, at) => {
    expect(pathStart(url)).toBe(at);
    if (at >= 0) expect(url.slice(at).split('?')[0]).toBe(new URL(url).pathname);
  });

  it('after a URL of the same origin passed, still checks the path and query, and any other host in full', () => {
    expect(pathStart('https://example.com/a')).toBe(19);
    expect(pathStart('https://example.com/a/./b')).toBe(-1);
    expect(pathStart('https://example.com/a?q=<x>')).toBe(-1);
    expect(pathStart('https://example.com.evil/a')).toBe(24);
    expect(pathStart('https://example.com:443/a')).toBe(-1);
    expect(pathStart('https://example.com/b%2e%2e/x')).toBe(-1);
    expect(pathStart('https://example.com/ok')).toBe(19);
  });

  it('the same URL twice answers the same, and a URL refused after it is still refused (the one-entry memo)', () => {
    const good = `https://example.com/items/42?q=${'w'}idget&page=2`;
    expect(pathStart(good)).toBe(19);
    expect(pathStart(`${good}`)).toBe(19);
    expect(pathStart(`${good} `)).toBe(-1);
    expect(pathStart('https://example.com/a/../b')).toBe(-1);
    expect(pathStart(good)).toBe(19);
    for (const url of [good, 'https://example.com/a/../b', good, 'https://EXAMPLE.com/x', good]) {
      const req = new LightRequest('GET', url);
      expect(req.url).toBe(new URL(url).href);
      expect(new URL(req.url).searchParams.get('q')).toBe(new URL(url).searchParams.get('q'));
    }
  });

  it('an unparseable URL throws when read, like new URL', () => {
    expect(() => new LightRequest('GET', 'https://[bad/').url).toThrow(TypeError);
  });
});

describe('body reads straight from the stored bytes', () => {
  it('text, json, arrayBuffer and bytes give the body', async () => {
    expect(await post(bytes('héllo')).text()).toBe('héllo');
    expect(await post(bytes('{"a":1}')).json()).toEqual({ a: 1 });
    expect([...new Uint8Array(await post(new Uint8Array([0, 255])).arrayBuffer())]).toEqual([0, 255]);
    expect([...(await post(new Uint8Array([7])).bytes())]).toEqual([7]);
  });

  it('a string body gets text/plain like new Request', () => {
    const req = new LightRequest('POST', 'https://x/', {}, 'hi');
    expect(req.headers.get('content-type')).toBe(new NativeRequest('https://x/', { method: 'POST', body: 'hi' }).headers.get('content-type'));
  });

  it('a text body "as sent" implies no content type, in the light and in the real request', async () => {
    const req = new LightRequest('POST', 'https://x/', { 'x-a': '1' }, '{"a":1}', { text: 'as-sent' }) as unknown as Request;
    expect(req.headers.has('content-type')).toBe(false);
    expect((await req.blob()).type).toBe('');
    const again = new LightRequest('POST', 'https://x/', {}, 'héllo', { text: 'as-sent' }) as unknown as Request;
    expect(new Uint8Array(await again.arrayBuffer())).toEqual(bytes('héllo'));
  });

  it('a second read rejects with TypeError and bodyUsed turns true', async () => {
    const req = post(bytes('x'));
    expect(req.bodyUsed).toBe(false);
    await req.text();
    expect(req.bodyUsed).toBe(true);
    await expect(req.text()).rejects.toThrow(new TypeError('Body is unusable: Body has already been read'));
    await expect(req.json()).rejects.toThrow(TypeError);
  });

  it('no body: body is null, reads give empty results and the body is never used', async () => {
    const req = new LightRequest('GET', 'https://x/');
    expect(req.body).toBeNull();
    expect(await req.text()).toBe('');
    expect((await req.arrayBuffer()).byteLength).toBe(0);
    expect(req.bodyUsed).toBe(false);
  });

  it('json() of invalid JSON rejects with SyntaxError', async () => {
    await expect(post(bytes('{')).json()).rejects.toThrow(SyntaxError);
  });

  it('a body taken from a pooled Buffer exposes only its own bytes', async () => {
    const pooled = Buffer.from('abc');
    expect((await post(pooled).arrayBuffer()).byteLength).toBe(3);
  });
});

describe('real Request fallback', () => {
  it('body is a ReadableStream with the bytes; reading it uses the body', async () => {
    const req = post(bytes('streamed'));
    const text = await new Response(req.body).text();
    expect(text).toBe('streamed');
    expect(req.bodyUsed).toBe(true);
    await expect(req.text()).rejects.toThrow(TypeError);
  });

  it('after the stream was touched, text() reads through it', async () => {
    const req = post(bytes('both'));
    expect(req.body).toBe(req.body);
    expect(await req.text()).toBe('both');
  });

  it('signal is an AbortSignal that has not fired; other members come from the real request', () => {
    const req = post(bytes('x'));
    expect(req.signal).toBeInstanceOf(AbortSignal);
    expect(req.signal.aborted).toBe(false);
    expect(req.cache).toBe('default');
    expect(req.mode).toBe('cors');
    expect(req.redirect).toBe('follow');
    expect((req as Request & { duplex: string }).duplex).toBe('half');
  });

  it('signal follows the signal it was given (the platform abort), in clones too', () => {
    const controller = new AbortController();
    const req = new LightRequest('POST', 'https://x/', {}, bytes('x'), { signal: controller.signal }) as unknown as Request;
    const copy = req.clone();
    expect(req.signal.aborted).toBe(false);
    controller.abort('timeout');
    expect(req.signal.aborted).toBe(true);
    expect(req.signal.reason).toBe('timeout');
    expect(copy.signal.aborted).toBe(true);
  });

  it('json() hands out a value the platform already parsed, once; other reads and clones read the bytes', async () => {
    const parsed = { a: 1 };
    const req = new LightRequest('POST', 'https://x/', {}, bytes('{"a":1}'), { parsed });
    const copy = req.clone();
    expect(await req.json()).toBe(parsed);
    await expect(req.json()).rejects.toThrow(TypeError);
    expect(await copy.json()).not.toBe(parsed);
    const text = new LightRequest('POST', 'https://x/', {}, bytes('{"a":1}'), { parsed });
    expect(await text.text()).toBe('{"a":1}');
  });

  it('formData() parses an urlencoded body; blob() keeps the content type', async () => {
    const form = await post(bytes('a=1&b=two'), { 'content-type': 'application/x-www-form-urlencoded' }).formData();
    expect(form.get('b')).toBe('two');
    const blob = await post(bytes('{}'), { 'content-type': 'application/json' }).blob();
    expect(blob.type).toBe('application/json');
  });

  it('a body already read through the light object stays used in the real one', async () => {
    const req = post(bytes('x'));
    await req.text();
    expect(req.bodyUsed).toBe(true);
    expect(req.signal.aborted).toBe(false); // builds the real request
    expect(req.bodyUsed).toBe(true);
  });
});

describe('clone', () => {
  it('gives two readable requests with the same method, url and headers', async () => {
    const req = post(bytes('twice'), { 'x-a': '1' });
    const copy = req.clone();
    expect(copy instanceof Request).toBe(true);
    expect([copy.method, copy.url, copy.headers.get('x-a')]).toEqual([req.method, req.url, '1']);
    const first = new Uint8Array(await req.arrayBuffer());
    first[0] = 0;
    expect(await copy.text()).toBe('twice');
  });

  it('refuses to clone a used body', async () => {
    const req = post(bytes('x'));
    await req.text();
    expect(() => req.clone()).toThrow(TypeError);
  });

  it('clones through the stream once the body stream was touched', async () => {
    const req = post(bytes('tee'));
    void req.body;
    const copy = req.clone();
    expect(await copy.text()).toBe('tee');
    expect(await req.text()).toBe('tee');
  });
});

describe('handing a light request to undici', () => {
  let server: Server;
  let origin: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ method: req.method, url: req.url, trace: req.headers['x-trace'], body: Buffer.concat(chunks).toString() }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fetch(lightRequest) sends its method, headers and body', async () => {
    const req = new LightRequest('PUT', `${origin}/echo?q=1`, { 'x-trace': 't1' }, bytes('payload'));
    const res = await fetch(req as unknown as Request);
    expect(await res.json()).toEqual({ method: 'PUT', url: '/echo?q=1', trace: 't1', body: 'payload' });
  });

  it('new Request(lightRequest) is a real copy carrying the body', async () => {
    const req = new LightRequest('POST', `${origin}/`, { 'x-trace': 't2' }, bytes('copied'));
    const copy = new Request(req as unknown as Request);
    expect(copy.headers.get('x-trace')).toBe('t2');
    expect(await copy.text()).toBe('copied');
    expect(req.bodyUsed).toBe(true);
  });

  it('new Request(url, lightRequest) reads the light request as init', async () => {
    const req = new LightRequest('POST', `${origin}/`, { 'x-trace': 't3' }, bytes('as init'));
    const copy = new Request(`${origin}/other`, req as unknown as RequestInit);
    expect(copy.method).toBe('POST');
    expect(copy.headers.get('x-trace')).toBe('t3');
    expect(await copy.text()).toBe('as init');
  });

  it('the wrapped global Request still builds real requests and recognises them', () => {
    const real = new Request('https://example.com/');
    expect(real instanceof Request).toBe(true);
    expect(real instanceof NativeRequest).toBe(true);
    class MyRequest extends Request {}
    expect(new MyRequest('https://x/') instanceof MyRequest).toBe(true);
    expect(real instanceof MyRequest).toBe(false);
  });
});
