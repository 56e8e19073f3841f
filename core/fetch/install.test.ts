/**
 * What installFastFetch does to a whole process, checked in fresh Node processes (the test runner's own
 * process has loaded undici long ago): undici stays unloaded on the fast path, and the opt-out works.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { freshProcessRunner, undiciLoaded } from './fresh-process.testing.js';
import { installFastFetch } from './install.js';
import { LightHeaders } from './headers.js';
import { nativeFetch, nativesLoaded, REAL } from './natives.js';
import { LightRequest } from './request.js';
import { LightResponse } from './response.js';

const { runFresh, cleanup, dir } = freshProcessRunner('faasport-fetch-');
afterAll(cleanup);

describe('installFastFetch in a fresh process', () => {
  it('serves a request and response without loading undici, until user code looks at the built-in classes', async () => {
    const result = await runFresh(`
      const installed = fetch.installFastFetch();
      const req = new fetch.LightRequest('POST', 'https://example.com/items?x=1', { cookie: 'a=1', 'content-type': 'application/json' }, new TextEncoder().encode('{"id":7}'));
      const body = await req.json();
      const res = Response.json({ id: body.id, cookie: req.headers.get('cookie'), url: req.url }, { headers: { 'x-a': '1' } });
      res.headers.append('set-cookie', 's=1');
      const parts = await http.readResponse(res, 'POST');
      const beforeInstanceof = ${undiciLoaded};
      const isRequest = req instanceof Request;
      const isResponse = res instanceof Response;
      const isHeaders = req.headers instanceof Headers;
      console.log(JSON.stringify({ installed, beforeInstanceof, after: ${undiciLoaded}, isRequest, isResponse, isHeaders,
        text: new TextDecoder().decode(parts.body), cookies: parts.cookies, light: Response === fetch.LightResponse }));
    `);
    expect(result).toEqual({
      installed: true,
      beforeInstanceof: false,
      after: true,
      isRequest: true,
      isResponse: true,
      isHeaders: true,
      text: '{"id":7,"cookie":"a=1","url":"https://example.com/items?x=1"}',
      cookies: ['s=1'],
      light: true,
    });
  });

  it('links the prototypes at once when undici was loaded before any light object', async () => {
    const result = await runFresh(`
      const Early = globalThis.Request;
      fetch.installFastFetch();
      const req = new fetch.LightRequest('GET', 'https://example.com/');
      console.log(JSON.stringify({ early: req instanceof Early, global: req instanceof Request, res: Response.json(1) instanceof Response }));
    `);
    expect(result).toEqual({ early: true, global: true, res: true });
  });

  it('FAASPORT_NATIVE_FETCH=1 keeps the built-in classes', async () => {
    const result = await runFresh(
      `
      const installed = fetch.installFastFetch();
      const res = new Response('x');
      console.log(JSON.stringify({ installed, enabled: fetch.fastFetchEnabled(), native: Response === fetch.nativeFetch().Response,
        light: res instanceof fetch.LightResponse && Object.getPrototypeOf(res) === fetch.LightResponse.prototype }));
    `,
      { FAASPORT_NATIVE_FETCH: '1' },
    );
    expect(result).toEqual({ installed: false, enabled: false, native: true, light: false });
  });

  it('two copies of the light classes in one process share the real classes', async () => {
    // A second copy, as a second bundle would carry: it must not take the first copy's classes for Node's.
    const copy = join(dir, 'copy.mjs');
    await build({ entryPoints: [fileURLToPath(new URL('./index.ts', import.meta.url))], outfile: copy, bundle: true, format: 'esm', platform: 'node', logLevel: 'silent' });
    const result = await runFresh(
      `
      fetch.installFastFetch();
      const second = await import(process.env.COPY_BUNDLE!);
      second.installFastFetch();
      const real = second.nativeFetch().Response;
      console.log(JSON.stringify({ distinct: second.LightResponse !== fetch.LightResponse,
        realIsNative: real !== fetch.LightResponse && real !== second.LightResponse && real === fetch.nativeFetch().Response,
        crossInstance: new fetch.LightResponse('a') instanceof second.LightResponse && new second.LightResponse('b') instanceof fetch.LightResponse,
        readable: new TextDecoder().decode((await http.readResponse(new second.LightResponse('c'), 'GET')).body) }));
    `,
      { COPY_BUNDLE: copy },
    );
    expect(result).toEqual({ distinct: true, realIsNative: true, crossInstance: true, readable: 'c' });
  });
});

describe('installFastFetch in this process', () => {
  it.each([
    [undefined, true],
    ['', true],
    ['0', true],
    ['false', true],
    ['FALSE', true],
    ['1', false],
    ['true', false],
    ['no', false],
  ])('FAASPORT_NATIVE_FETCH=%j: light classes enabled %s (read by a fresh copy of install.ts)', async (value, enabled) => {
    const saved = process.env.FAASPORT_NATIVE_FETCH;
    if (value === undefined) delete process.env.FAASPORT_NATIVE_FETCH;
    else process.env.FAASPORT_NATIVE_FETCH = value;
    try {
      // A query makes a module instance of its own: install.ts alone runs again, sharing the other modules.
      const fresh = (await import(/* @vite-ignore */ `./install.js?env=${String(value)}`)) as typeof import('./install.js');
      expect(fresh.fastFetchEnabled()).toBe(enabled);
      if (!enabled) {
        const response = globalThis.Response;
        // Opted out: nothing installed, no global touched.
        expect(fresh.installFastFetch()).toBe(false);
        expect(globalThis.Response).toBe(response);
      }
    } finally {
      if (saved === undefined) delete process.env.FAASPORT_NATIVE_FETCH;
      else process.env.FAASPORT_NATIVE_FETCH = saved;
    }
  });

  it('makes Response and Headers plain globals (writable, configurable, as unenumerable as Node made them), and Request too once read', () => {
    installFastFetch();
    expect(Object.getOwnPropertyDescriptor(globalThis, 'Response')).toEqual({ value: LightResponse, writable: true, enumerable: false, configurable: true });
    expect(Object.getOwnPropertyDescriptor(globalThis, 'Headers')).toEqual({ value: LightHeaders, writable: true, enumerable: false, configurable: true });
    // Request stays Node's lazy global until something reads it (reading it loads undici); then it is the wrapped class.
    const request = globalThis.Request;
    expect(Object.getOwnPropertyDescriptor(globalThis, 'Request')).toEqual({ value: request, writable: true, enumerable: false, configurable: true });
  });

  it('links light classes under the built-in ones, giving them every member they lack as a delegate to the real object', async () => {
    const natives = nativeFetch();
    // A module instance of its own (a second copy of faasport in the process): registry shared, classes its own.
    const path = './natives.js?link';
    const fresh = (await import(/* @vite-ignore */ path)) as typeof import('./natives.js');
    const real = new natives.Request('https://x.example/a', { method: 'POST', body: 'body' });
    class FakeRequest {
      [REAL](): Request {
        return real;
      }
    }
    class FakeResponse {}
    class FakeHeaders {}
    fresh.linkLight('Request', FakeRequest);
    fresh.linkLight('Response', FakeResponse);
    fresh.linkLight('Headers', FakeHeaders);
    expect(Object.getPrototypeOf(FakeRequest.prototype)).toBe(Object.prototype); // linked on first use only
    const globalSymbols = Object.getOwnPropertySymbols(globalThis).length;
    fresh.ensureHooks();
    expect(Object.getOwnPropertySymbols(globalThis).length).toBe(globalSymbols); // the one registry is shared
    expect(Object.getPrototypeOf(FakeRequest.prototype)).toBe(natives.Request.prototype);
    expect(Object.getPrototypeOf(FakeResponse.prototype)).toBe(natives.Response.prototype);
    expect(Object.getPrototypeOf(FakeHeaders.prototype)).toBe(natives.Headers.prototype);
    expect(Object.getOwnPropertyNames(FakeHeaders.prototype)).toEqual(['constructor']);
    const fake = new FakeRequest() as unknown as Request;
    expect([fake.method, fake.url, fake.cache]).toEqual(['POST', 'https://x.example/a', 'default']);
    expect(await fake.text()).toBe('body');
    expect(Object.getOwnPropertyDescriptor(FakeRequest.prototype, 'url')).toEqual({ get: expect.any(Function), set: undefined, enumerable: false, configurable: true });
    expect(Object.getOwnPropertyDescriptor(FakeRequest.prototype, 'text')).toEqual({ value: expect.any(Function), writable: true, enumerable: false, configurable: true });
    expect(Object.getOwnPropertyDescriptor(FakeRequest.prototype, 'constructor')!.value).toBe(FakeRequest);
    // Linking again (a later load) changes nothing; a class registered after the hooks is linked at once.
    fresh.linkLight('Request', FakeRequest);
    expect(Object.getPrototypeOf(FakeRequest.prototype)).toBe(natives.Request.prototype);
    class LateResponse {}
    fresh.linkLight('Response', LateResponse);
    expect(Object.getPrototypeOf(LateResponse.prototype)).toBe(natives.Response.prototype);
  });

  it('leaves a global that user code set after install alone when light objects are made', () => {
    installFastFetch();
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'Response')!;
    class Custom {}
    try {
      (globalThis as Record<string, unknown>).Response = Custom;
      new LightHeaders();
      new LightResponse('x');
      new LightRequest('GET', 'https://x.example/');
      expect(globalThis.Response).toBe(Custom);
    } finally {
      Object.defineProperty(globalThis, 'Response', saved);
    }
  });

  it('nativesLoaded is true once the built-in classes were read', () => {
    nativeFetch();
    expect(nativesLoaded()).toBe(true);
  });

  it('is idempotent: a second call changes nothing', () => {
    expect(installFastFetch()).toBe(true);
    const globals = [globalThis.fetch, globalThis.Request, globalThis.Response, globalThis.Headers];
    expect(installFastFetch()).toBe(true);
    expect([globalThis.fetch, globalThis.Request, globalThis.Response, globalThis.Headers]).toEqual(globals);
  });

  it('the global Request takes a light request as input, and answers instanceof for undici requests only', async () => {
    installFastFetch();
    const light = new LightRequest('POST', 'https://x.example/items', { 'x-a': '1' }, 'body');
    const real = new Request(light as unknown as Request);
    expect([real.method, real.url, real.headers.get('x-a'), await real.text()]).toEqual(['POST', 'https://x.example/items', '1', 'body']);
    expect(real instanceof Request).toBe(true);
    expect(new (nativeFetch().Request)('https://x.example/') instanceof Request).toBe(true);
    expect(({}) instanceof Request).toBe(false);
    class Sub extends Request {}
    expect([new Sub('https://x.example/') instanceof Sub, real instanceof Sub]).toEqual([true, false]);
  });
});
