/**
 * Property-based tests of the Azure HTTP adapter (issue 10), through the library's own HttpRequest (built from an
 * HttpRequestInit, as handler.test.ts does) and InvocationContext: hostile requests never throw and get 200, 404,
 * 405 or a 400 in faasport's words naming the field; a handler error is a 500 that says nothing; headers, repeated
 * query keys, cookies and any body bytes survive the round trip (the response read back through the library's
 * HttpResponse, as its worker reads it). Inputs per property: FUZZ_RUNS.
 */
import azureFunctions from '@azure/functions';
import type { HttpRequestInit, HttpResponseInit } from '@azure/functions';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { http } from '../../../core/define.js';
import { assertNoPollution, ENGINE_WORDS, fuzzParams, hostileText, hostileValue, namesField, PROTO_KEYS, toWellFormed } from '../../../core/fuzz.testing.js';
import { adapt } from '../adapt.js';

const { HttpRequest, InvocationContext } = azureFunctions;

const context = () => new InvocationContext({ invocationId: 'inv-1', functionName: 'fuzz', logHandler: () => {} });

const echo = adapt(
  http({ route: '/*' }, async (req) => {
    void req.url;
    void [...req.headers];
    await req.arrayBuffer();
    return new Response('ran', { headers: { 'content-type': 'text/plain' } });
  }),
  { name: 'echo' },
);

/** The library's HttpRequest for an init, or undefined when the library itself refuses it (before any adapter runs). */
function libraryRequest(init: HttpRequestInit): InstanceType<typeof HttpRequest> | undefined {
  try {
    return new HttpRequest(init);
  } catch {
    return undefined;
  }
}

const bodyText = async (init: HttpResponseInit) => new TextDecoder().decode(await new azureFunctions.HttpResponse(init).arrayBuffer());

/** A request whatever the sender put in method, path, query and headers (proto keys, CR/LF/NUL, non-Latin-1). */
const hostileInit = fc.record({
  method: fc.oneof(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'get', 'TRACE'), fc.string({ maxLength: 6 })),
  path: fc.oneof(fc.constantFrom('/', '/a%20b', '/%zz', '//x', '/..', '/__proto__', '/constructor'), fc.string({ maxLength: 12 }).map((p) => `/${p}`)),
  query: fc.array(fc.tuple(hostileText, hostileText), { maxLength: 4 }),
  headers: fc.dictionary(fc.oneof(fc.constantFrom(...PROTO_KEYS, 'host', 'cookie', 'content-type'), hostileText), hostileText, { maxKeys: 5 }),
  body: fc.oneof(fc.constant(undefined), fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ bytes })), hostileText.map((string) => ({ string }))),
});

describe('Azure HTTP: hostile requests', () => {
  it('never throw; 200 (ran), 404/405, or a 400 in faasport\'s words', async () => {
    await fc.assert(
      fc.asyncProperty(hostileInit, async (spec) => {
        let url: string;
        try {
          url = `https://app.azurewebsites.net${spec.path}?${new URLSearchParams(spec.query.map(([k, v]) => [toWellFormed(k), toWellFormed(v)]))}`;
        } catch {
          return;
        }
        const request = libraryRequest({ method: spec.method, url, headers: spec.headers as Record<string, string>, body: spec.body });
        fc.pre(request !== undefined);
        const init = await echo(request!, context());
        expect([200, 204, 400, 404, 405]).toContain(init.status);
        if (init.status === 400) {
          const text = await bodyText(init);
          expect(text).toMatch(/^faasport\/azure: /);
          expect(text).not.toMatch(ENGINE_WORDS);
        }
        if (init.status === 200 && spec.method.toUpperCase() !== 'HEAD') expect(await bodyText(init)).toBe('ran');
        assertNoPollution();
      }),
      fuzzParams,
    );
  });

  it('a hand-made request object with a broken method, url or headers gets a 400 naming the field', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('method', 'url', 'headers'), hostileValue, async (field, value) => {
        const request: Record<string, unknown> = {
          method: 'POST',
          url: 'https://app.azurewebsites.net/x',
          headers: new Headers({ 'content-type': 'text/plain' }),
          arrayBuffer: async () => new ArrayBuffer(0),
        };
        request[field] = value;
        const init = await echo(request as never, context());
        if (init.status === 400) {
          const text = await bodyText(init);
          expect(text).toMatch(/^faasport\/azure: /);
          if (!namesField(text, field)) throw new Error(`"${text}" does not name ${field}`);
        } else expect([200, 405]).toContain(init.status);
      }),
      fuzzParams,
    );
  });

  it('a handler error is a 500 "Internal Server Error" with nothing of the error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1 }), fc.constantFrom('throw', 'reject', 'non-error'), async (secret, how) => {
        const failing = adapt(
          http({ route: '/x' }, async () => {
            if (how === 'throw') throw new Error(`SECRET ${secret}`);
            if (how === 'reject') return Promise.reject(new TypeError(`SECRET ${secret}`));
            throw { secret };
          }),
          { name: 'failing' },
        );
        const init = await failing(new HttpRequest({ method: 'GET', url: 'https://app.azurewebsites.net/x' }), context());
        expect(init.status).toBe(500);
        expect(await bodyText(init)).toBe('Internal Server Error');
      }),
      fuzzParams,
    );
  });
});

// ---- round trip -------------------------------------------------------------------------------------------

const TOKEN = 'abcdefghijklmnopqrstuvwxyz0123456789-_';
const headerName = fc.string({ unit: fc.constantFrom(...TOKEN), minLength: 1, maxLength: 12 }).map((n) => `x-${n}`);
/** Latin-1 without controls, trimmed (what a Fetch header keeps as is). */
const headerValue = fc
  .string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 20 })
  .map((v) => v.trim());
const headerSet = fc.uniqueArray(fc.tuple(headerName, headerValue), { selector: ([n]) => n, maxLength: 6 });
const queryPairs = fc.array(fc.tuple(fc.constantFrom('a', 'b', 'tag', 'q x', 'ü', '__proto__'), fc.string({ maxLength: 8 }).map((v) => toWellFormed(v))), { maxLength: 5 });
/** Cookie values the host writes back unchanged (cookies.ts: A-Z a-z 0-9 - . _ ~). */
const cookieList = fc.uniqueArray(fc.string({ unit: fc.constantFrom(...'abcdefgh'), minLength: 1, maxLength: 6 }), { maxLength: 4 }).map((names) => names.map((n, i) => `${n}=v${i}`));

const mirror = adapt(
  http({ route: '/*' }, async (req) => {
    const headers = new Headers({ 'content-type': 'application/octet-stream' });
    for (const [name, value] of req.headers) if (name.startsWith('x-')) headers.set(`x-seen-${name.slice(2)}`, value);
    headers.set('x-query', encodeURIComponent(JSON.stringify([...new URL(req.url).searchParams])));
    for (const cookie of (req.headers.get('cookie') ?? '').split('; ').filter(Boolean)) headers.append('set-cookie', cookie);
    return new Response(new Uint8Array(await req.arrayBuffer()), { headers });
  }),
  { name: 'mirror' },
);

describe('Azure HTTP: round trips lose nothing', () => {
  it('any header set, repeated query keys, cookies and body bytes survive request and response', async () => {
    await fc.assert(
      fc.asyncProperty(headerSet, queryPairs, cookieList, fc.uint8Array({ maxLength: 300 }), async (headers, query, cookies, body) => {
        const sent: Record<string, string> = Object.fromEntries(headers);
        if (cookies.length > 0) sent.cookie = cookies.join('; ');
        const request = new HttpRequest({
          method: 'POST',
          url: `https://app.azurewebsites.net/echo?${new URLSearchParams(query)}`,
          headers: sent,
          body: { bytes: body },
        });
        const init = await mirror(request, context());
        expect(init.status).toBe(200);
        const out = init.headers as Record<string, string>;
        for (const [name, value] of headers) expect(out[`x-seen-${name.slice(2)}`]).toBe(value);
        expect(JSON.parse(decodeURIComponent(out['x-query']!))).toEqual(query);
        expect((init.cookies ?? []).map((c) => `${c.name}=${c.value}`)).toEqual(cookies);
        expect(new Uint8Array(await new azureFunctions.HttpResponse(init).arrayBuffer())).toEqual(body);
      }),
      fuzzParams,
    );
  });
});
