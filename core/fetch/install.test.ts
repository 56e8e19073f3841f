/**
 * What installFastFetch does to a whole process, checked in fresh Node processes (the test runner's own
 * process has loaded undici long ago): undici stays unloaded on the fast path, and the opt-out works.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { freshProcessRunner, undiciLoaded } from './fresh-process.testing.js';

const { runFresh, cleanup, dir } = freshProcessRunner('faasport-fetch-');
afterAll(cleanup);

describe('installFastFetch in a fresh process', () => {
  it('serves a request and response without loading undici, until user code looks at the built-in classes', async () => {
    const result = await runFresh(`
      fetch.installFastFetch();
      const req = new fetch.LightRequest('POST', 'https://example.com/items?x=1', { cookie: 'a=1', 'content-type': 'application/json' }, new TextEncoder().encode('{"id":7}'));
      const body = await req.json();
      const res = Response.json({ id: body.id, cookie: req.headers.get('cookie'), url: req.url }, { headers: { 'x-a': '1' } });
      res.headers.append('set-cookie', 's=1');
      const parts = await http.readResponse(res, 'POST');
      const beforeInstanceof = ${undiciLoaded};
      const isRequest = req instanceof Request;
      const isResponse = res instanceof Response;
      const isHeaders = req.headers instanceof Headers;
      console.log(JSON.stringify({ beforeInstanceof, after: ${undiciLoaded}, isRequest, isResponse, isHeaders,
        text: new TextDecoder().decode(parts.body), cookies: parts.cookies, light: Response === fetch.LightResponse }));
    `);
    expect(result).toEqual({
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
