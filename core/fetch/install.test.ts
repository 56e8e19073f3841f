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

describe('the global hooks in a fresh process', () => {
  const nativesPath = JSON.stringify(fileURLToPath(new URL('./natives.ts', import.meta.url)));

  it('hooks the globals with Node’s enumerable flag, loads undici on the first read, then leaves plain globals', async () => {
    const result = await runFresh(`
      const before = fetch.nativesLoaded();
      // As if Node made Request enumerable: the hook and the plain global keep the flag.
      Object.defineProperty(globalThis, 'Request', { ...Object.getOwnPropertyDescriptor(globalThis, 'Request'), enumerable: true });
      const lightKeys = new Set(Reflect.ownKeys(fetch.LightRequest.prototype));
      new fetch.LightHeaders();
      const shape = (kind) => { const d = Object.getOwnPropertyDescriptor(globalThis, kind); return { get: typeof d.get, value: 'value' in d, enumerable: d.enumerable, configurable: d.configurable }; };
      const hooked = { Request: shape('Request'), Response: shape('Response'), Headers: shape('Headers') };
      const hookedLoaded = [fetch.nativesLoaded(), ${undiciLoaded}];
      const R = globalThis.Request;
      const natives = fetch.nativeFetch();
      const NR = natives.Request;
      const added = Reflect.ownKeys(fetch.LightRequest.prototype).filter((k) => !lightKeys.has(k));
      const addedData = added.filter((k) => { const d = Object.getOwnPropertyDescriptor(NR.prototype, k); return typeof d.value !== 'function' && !d.get; }).map(String);
      console.log(JSON.stringify({ before, hooked, hookedLoaded, after: [fetch.nativesLoaded(), ${undiciLoaded}],
        plain: { Request: shape('Request'), Response: shape('Response'), Headers: shape('Headers') },
        same: R === NR && Response === natives.Response && Headers === natives.Headers && R.name === 'Request',
        linked: Object.getPrototypeOf(fetch.LightHeaders.prototype) === natives.Headers.prototype && Object.getPrototypeOf(fetch.LightRequest.prototype) === NR.prototype,
        delegates: added.length > 0, addedData }));
    `);
    const hook = (enumerable: boolean) => ({ get: 'function', value: false, enumerable, configurable: true });
    const plain = (enumerable: boolean) => ({ get: 'undefined', value: true, enumerable, configurable: true });
    expect(result).toEqual({
      before: false,
      hooked: { Request: hook(true), Response: hook(false), Headers: hook(false) },
      hookedLoaded: [false, false],
      after: [true, true],
      plain: { Request: plain(true), Response: plain(false), Headers: plain(false) },
      same: true,
      linked: true,
      delegates: true,
      addedData: [],
    });
  });

  it('a global assigned after the hooks goes through the setter, without loading undici', async () => {
    const result = await runFresh(`
      new fetch.LightHeaders();
      class Custom {}
      globalThis.Response = Custom;
      const d = Object.getOwnPropertyDescriptor(globalThis, 'Response');
      const assigned = { value: d.value === Custom, writable: d.writable, read: globalThis.Response === Custom, loaded: fetch.nativesLoaded() };
      const R = globalThis.Request;
      console.log(JSON.stringify({ assigned, loaded: fetch.nativesLoaded(),
        native: fetch.nativeFetch().Response !== Custom && fetch.nativeFetch().Response.name === 'Response' && R.name === 'Request' }));
    `);
    expect(result).toEqual({ assigned: { value: true, writable: true, read: true, loaded: false }, loaded: true, native: true });
  });

  it('takes a global already replaced by a plain value (a polyfill) as loaded at once, and uses it as the native class', async () => {
    const result = await runFresh(`
      class Poly {}
      Object.defineProperty(globalThis, 'Response', { value: Poly, writable: true, enumerable: true, configurable: true });
      const before = fetch.nativesLoaded();
      fetch.installFastFetch();
      const atOnce = fetch.nativesLoaded();
      const d = Object.getOwnPropertyDescriptor(globalThis, 'Response');
      console.log(JSON.stringify({ before, atOnce, native: fetch.nativeFetch().Response === Poly,
        linked: Object.getPrototypeOf(fetch.LightResponse.prototype) === Poly.prototype,
        global: { light: d.value === fetch.LightResponse, enumerable: d.enumerable },
        request: typeof Object.getOwnPropertyDescriptor(globalThis, 'Request').value, headers: Headers === fetch.LightHeaders }));
    `);
    expect(result).toEqual({ before: false, atOnce: true, native: true, linked: true, global: { light: true, enumerable: true }, request: 'function', headers: true });
  });

  it('reads a global that another library made an accessor once, then makes it a plain value', async () => {
    const result = await runFresh(`
      class Poly {}
      let reads = 0;
      Object.defineProperty(globalThis, 'Response', { get: () => { reads++; return Poly; }, enumerable: false, configurable: true });
      new fetch.LightHeaders();
      const R = globalThis.Request;
      const d = Object.getOwnPropertyDescriptor(globalThis, 'Response');
      console.log(JSON.stringify({ plain: d.value === Poly && d.writable === true && d.get === undefined, read: globalThis.Response === Poly,
        reads, native: fetch.nativeFetch().Response === Poly, linked: Object.getPrototypeOf(fetch.LightResponse.prototype) === Poly.prototype, request: typeof R }));
    `);
    expect(result).toEqual({ plain: true, read: true, reads: 1, native: true, linked: true, request: 'function' });
  });

  it('copes with a global Node did not define: no native class, nothing linked, the light class installed', async () => {
    const result = await runFresh(`
      delete globalThis.Headers;
      fetch.installFastFetch();
      const R = globalThis.Request;
      console.log(JSON.stringify({ loaded: fetch.nativesLoaded(), native: typeof fetch.nativeFetch().Headers, request: typeof R,
        headers: Headers === fetch.LightHeaders, enumerable: Object.getOwnPropertyDescriptor(globalThis, 'Headers').enumerable,
        unlinked: Object.getPrototypeOf(fetch.LightHeaders.prototype) === Object.prototype,
        responseLinked: Object.getPrototypeOf(fetch.LightResponse.prototype) === fetch.nativeFetch().Response.prototype }));
    `);
    expect(result).toEqual({ loaded: true, native: 'undefined', request: 'function', headers: true, enumerable: false, unlinked: true, responseLinked: true });
    // Without install, the missing global stays missing once undici loads.
    const bare = await runFresh(`
      delete globalThis.Headers;
      new fetch.LightResponse('x');
      const R = globalThis.Request;
      console.log(JSON.stringify({ loaded: fetch.nativesLoaded(), request: typeof R, headers: Object.hasOwn(globalThis, 'Headers') }));
    `);
    expect(bare).toEqual({ loaded: true, request: 'function', headers: false });
  });

  it('puts the light classes back when undici loads, and loads only once', async () => {
    const result = await runFresh(`
      fetch.installFastFetch();
      const hook = Object.getOwnPropertyDescriptor(globalThis, 'Request').get;
      const R = globalThis.Request;
      const reset = Headers === fetch.LightHeaders && Response === fetch.LightResponse;
      class Custom {}
      globalThis.Response = Custom;
      const again = hook.call(globalThis);
      console.log(JSON.stringify({ reset, again: again === R, kept: Response === Custom, emptyKey: Object.hasOwn(globalThis, '') }));
    `);
    expect(result).toEqual({ reset: true, again: true, kept: true, emptyKey: false });
  });

  it('overrides without Headers leave the Headers global to Node', async () => {
    const result = await runFresh(`
      import * as natives from ${nativesPath};
      natives.setGlobalOverrides({ Response: fetch.LightResponse, makeRequest: (N) => N });
      const hooked = typeof Object.getOwnPropertyDescriptor(globalThis, 'Headers').get;
      const R = globalThis.Request;
      console.log(JSON.stringify({ hooked, headers: Headers === fetch.nativeFetch().Headers && typeof Headers === 'function',
        response: Response === fetch.LightResponse, request: R === fetch.nativeFetch().Request }));
    `);
    expect(result).toEqual({ hooked: 'function', headers: true, response: true, request: true });
  });
});
