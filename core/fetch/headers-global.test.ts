/**
 * installFastFetch makes the light Headers the global `Headers`: checked in fresh Node processes (the test
 * runner's own process has loaded undici long ago), like install.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { freshProcessRunner, undiciLoaded } from './fresh-process.testing.js';

const { runFresh, cleanup } = freshProcessRunner('faasport-headers-');
afterAll(cleanup);

describe('the global Headers after installFastFetch', () => {
  it('is the light class: new Headers() and a response built with it leave undici unloaded', async () => {
    const result = await runFresh(`
      fetch.installFastFetch();
      const headers = new Headers({ 'X-A': ' 1 ' });
      headers.append('set-cookie', 's=1');
      const res = Response.json({ ok: true }, { headers });
      const plain = new Response('x', { headers: new Headers([['x-b', '2']]) });
      const parts = await http.readResponse(res, 'GET');
      const plainParts = await http.readResponse(plain, 'GET');
      console.log(JSON.stringify({ light: Headers === fetch.LightHeaders, loaded: ${undiciLoaded},
        headers: parts.headers, cookies: parts.cookies, plain: plainParts.headers }));
    `);
    expect(result).toEqual({
      light: true,
      loaded: false,
      headers: { 'content-type': 'application/json', 'x-a': '1' },
      cookies: ['s=1'],
      plain: { 'content-type': 'text/plain;charset=UTF-8', 'x-b': '2' },
    });
  });

  it('answers instanceof for undici headers too, and undici reads light headers', async () => {
    const result = await runFresh(`
      fetch.installFastFetch();
      const native = new (fetch.nativeFetch().Headers)({ a: '1' });
      const light = new Headers({ b: '2' });
      const real = new Request('https://example.com/', { headers: light });
      console.log(JSON.stringify({ nativeIsHeaders: native instanceof Headers, lightIsHeaders: light instanceof Headers,
        lightIsNative: light instanceof fetch.nativeFetch().Headers, plainIsHeaders: ({}) instanceof Headers,
        realHeaders: [...real.headers], copied: [...new Headers(native)] }));
    `);
    expect(result).toEqual({
      nativeIsHeaders: true,
      lightIsHeaders: true,
      lightIsNative: true,
      plainIsHeaders: false,
      realHeaders: [['b', '2']],
      copied: [['a', '1']],
    });
  });

  it('stays undici with FAASPORT_NATIVE_FETCH=1', async () => {
    const result = await runFresh(
      `
      fetch.installFastFetch();
      console.log(JSON.stringify({ native: Headers === fetch.nativeFetch().Headers }));
    `,
      { FAASPORT_NATIVE_FETCH: '1' },
    );
    expect(result).toEqual({ native: true });
  });
});
