/** Edges of LightRequest and of the URL fast path that the main suite does not reach. */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { installFastFetch } from './install.js';
import { LightHeaders } from './headers.js';
import { nativeFetch } from './natives.js';
import { isLightRequest, isSerializedUrl, LightRequest, pathStart, serializeUrl } from './request.js';

installFastFetch();

describe('serializeUrl gives what new URL gives, where a loose fast path would not', () => {
  it.each([
    'https://a.1/x',
    'https://a.0/x',
    'https://a.9/x',
    'https://xn--a.example/x',
    'https://port-letter.example:8a/x',
    'https://port-dash.example:8-/x',
  ])('%s throws like new URL', (url) => {
    expect(() => new URL(url)).toThrow(TypeError);
    expect(() => serializeUrl(url)).toThrow(TypeError);
  });
  it.each([
    ['https://leading-zero.example:08080/x', 'https://leading-zero.example:8080/x'],
    ['https://space.example/a b', 'https://space.example/a%20b'],
    ['https://dots.example/a/..', 'https://dots.example/'],
  ])('%s is %s', (url, href) => {
    expect(new URL(url).href).toBe(href);
    expect(serializeUrl(url)).toBe(href);
  });
});

describe('pathStart takes the common serialised URLs without a parser', () => {
  it.each([
    ['https://abc.execute-api.us-east-1.amazonaws.com/items', 47],
    ['http://port-9.example:9090/x', 26],
    ['http://port-5.example:10000/x', 27],
    ['http://port-max.example:65535/x', 29],
    ['https://dot-file.example/a.txt', 24],
    ['https://version.example/v2/x', 23],
    ['https://escapes.example/%3Ex%2fy', 23],
    ["https://quote.example/it's?q=1", 21],
    ["https://quote-end.example/it's", 25],
    ["https://quote-last.example/it'", 26],
    ["https://quote-query.example/it'?q=1", 27],
    ['https://two-e.example/v2e/x2E', 21],
    ['https://a.-b/x', 12],
  ])('%s at %i', (url, at) => {
    expect(pathStart(url)).toBe(at);
    expect(new URL(url).href).toBe(url);
    expect(url.slice(at).split('?')[0]).toBe(new URL(url).pathname);
    expect(isSerializedUrl(url)).toBe(true);
  });
  it('refuses what is not http(s) or uses punycode, which only the parser checks', () => {
    expect(pathStart('ab:1/x')).toBe(-1);
    expect(pathStart('https://xn--bcher-kva.example/x')).toBe(-1);
    expect(isSerializedUrl('https://UPPER.example/x')).toBe(false);
  });
  it('a URL refused for its path leaves nothing remembered that would pass a later URL it prefixes', () => {
    expect(serializeUrl('https://refused-path.example/a b')).toBe('https://refused-path.example/a%20b');
    expect(pathStart('https://refused-path.example/a /c')).toBe(-1);
    expect(serializeUrl('https://refused-path.example/a /c')).toBe(new URL('https://refused-path.example/a /c').href);
  });
  it('a longer URL after one of the same origin and path still finds the path after the origin', () => {
    expect(pathStart('https://memo-origin.example/a')).toBe(27);
    expect(pathStart('https://memo-origin.example/a/b')).toBe(27);
  });
});

describe('LightRequest edges', () => {
  it('takes null headers and a null body as none, also on GET', () => {
    const req = new LightRequest('GET', 'https://x.example/', null, null);
    expect([...req.headers]).toEqual([]);
    expect(req.body).toBeNull();
  });
  it('a request without a body clones, and builds its real request', async () => {
    const req = new LightRequest('GET', 'https://x.example/');
    expect(req.clone().method).toBe('GET');
    expect(req.signal.aborted).toBe(false);
    expect(await req.text()).toBe('');
  });
  it('keeps the light headers it is given as its own (no copy), and copies any other init', () => {
    const light = new LightHeaders({ 'x-a': '1' });
    const req = new LightRequest('GET', 'https://x.example/', light);
    expect(req.headers).toBe(light);
    const record = { 'x-b': '2' };
    const fromRecord = new LightRequest('GET', 'https://x.example/', record);
    expect([...fromRecord.headers]).toEqual([['x-b', '2']]);
    expect(fromRecord.headers).not.toBe(record);
  });
  it('refuses to clone a request whose body was read, with TypeError "unusable"', async () => {
    const req = new LightRequest('POST', 'https://x.example/', {}, 'body');
    await req.text();
    expect(() => req.clone()).toThrow(new TypeError('unusable'));
  });
  it('refuses to clone a request whose body stream is locked, with the TypeError undici gives', () => {
    const message = (req: { body: ReadableStream | null; clone(): unknown }) => {
      req.body!.getReader();
      try {
        req.clone();
        return 'no error';
      } catch (error) {
        return `${(error as Error).constructor.name}: ${(error as Error).message}`;
      }
    };
    const NativeRequest = nativeFetch().Request;
    expect(message(new LightRequest('POST', 'https://x.example/', {}, 'body'))).toBe(message(new NativeRequest('https://x.example/', { method: 'POST', body: 'body' })));
    expect(message(new LightRequest('POST', 'https://x.example/', {}, 'body'))).toBe('TypeError: unusable');
  });
  it('isLightRequest is false for null, primitives and real requests', () => {
    expect(isLightRequest(null)).toBe(false);
    expect(isLightRequest('x')).toBe(false);
    expect(isLightRequest(new LightRequest('GET', 'https://x.example/'))).toBe(true);
  });
  it('inspect shows method, url, headers and whether the body was used', () => {
    const text = inspect(new LightRequest('POST', 'https://x.example/a', { 'x-a': '1' }, 'b'));
    expect(text).toContain("method: 'POST'");
    expect(text).toContain("url: 'https://x.example/a'");
    expect(text).toContain("'x-a': '1'");
    expect(text).toContain('bodyUsed: false');
  });
});

describe('a request whose body stream was read', () => {
  const read = async (req: LightRequest) => {
    const reader = req.body!.getReader();
    while (!(await reader.read()).done);
    reader.releaseLock();
  };
  it('json() then rejects, as the stored bytes were used through the stream', async () => {
    const req = new LightRequest('POST', 'https://x.example/', {}, '{"a":1}');
    await read(req);
    await expect(req.json()).rejects.toThrow(TypeError);
  });
  it('clone() then refuses', async () => {
    const req = new LightRequest('POST', 'https://x.example/', {}, 'b');
    await read(req);
    expect(() => req.clone()).toThrow(TypeError);
  });
});
