/**
 * Property-based tests of the AWS HTTP adapter (issue 10): broken events of every kind never throw and get a
 * 400 in faasport's words; a handler error is a 500 that says nothing; headers, repeated query keys, cookies
 * and any body bytes survive a round trip. Inputs per property: FUZZ_RUNS (core/fuzz.testing.ts).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { http } from '../../../core/define.js';
import { assertNoPollution, ENGINE_WORDS, fuzzParams, hostileValue, PROTO_KEYS } from '../../../core/fuzz.testing.js';
import { adapt } from '../adapt.js';
import type { AwsHttpEvent } from '../types.js';
import { fixture, lambdaContext, sharedFixture } from './test-helpers.js';

type Result = { statusCode: number; body: string; isBase64Encoded?: boolean; headers?: Record<string, string>; multiValueHeaders?: Record<string, string[]>; cookies?: string[] };

beforeAll(() => {
  vi.spyOn(console, 'error').mockImplementation(() => {});
  vi.spyOn(console, 'log').mockImplementation(() => {});
});
afterAll(() => vi.restoreAllMocks());

const echo = adapt(
  http({ route: '/*' }, async (req) => {
    void req.url;
    void [...req.headers];
    await req.arrayBuffer();
    return new Response('ran', { headers: { 'content-type': 'text/plain' } });
  }),
  { name: 'echo' },
);
const call = async (handler: typeof echo, event: unknown) => (await handler(event as AwsHttpEvent, lambdaContext())) as Result;

/** A valid event of each kind, and the fields a careless or hostile sender could break. */
const KINDS = {
  'payload 2.0': { event: () => fixture('apigw-v2-cookies.json'), fields: ['rawPath', 'rawQueryString', 'headers', 'cookies', 'body', 'isBase64Encoded', 'requestContext', 'requestContext.http', 'requestContext.http.method', 'requestContext.domainName'] },
  'Function URL': { event: () => fixture('function-url-cookies.json'), fields: ['rawPath', 'headers', 'cookies', 'body', 'isBase64Encoded', 'requestContext.http.method'] },
  REST: { event: () => sharedFixture('apigw-rest/no-auth.json'), fields: ['httpMethod', 'path', 'headers', 'multiValueHeaders', 'queryStringParameters', 'multiValueQueryStringParameters', 'body', 'isBase64Encoded', 'requestContext', 'requestContext.domainName'] },
  ALB: { event: () => sharedFixture('alb/base.json'), fields: ['httpMethod', 'path', 'headers', 'queryStringParameters', 'body', 'isBase64Encoded'] },
  'ALB multi-value': { event: () => sharedFixture('alb/multi-fields.json'), fields: ['httpMethod', 'path', 'multiValueHeaders', 'multiValueQueryStringParameters', 'headers', 'body', 'isBase64Encoded'] },
} as const;

/** Sets `path` (dotted; the last part may be a new key) in `event` to `value`, creating objects on the way. */
function setPath(event: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let at = event;
  for (const part of parts.slice(0, -1)) {
    if (typeof at[part] !== 'object' || at[part] === null) at[part] = {};
    at = at[part] as Record<string, unknown>;
  }
  Object.defineProperty(at, parts.at(-1)!, { value, enumerable: true, writable: true, configurable: true });
}

const headerMutation = fc.record({ name: fc.oneof(fc.constantFrom(...PROTO_KEYS, 'host', 'Host', 'cookie', 'bad name', 'ü'), fc.string({ maxLength: 8 })), value: hostileValue });

for (const [kind, { event, fields }] of Object.entries(KINDS)) {
  describe(`${kind}: broken events`, () => {
    it('never throw, never 500; a 400 is in faasport\'s words, naming a field, never the engine\'s', async () => {
      const mutation = fc.oneof(
        fc.record({ field: fc.constantFrom(...fields), value: hostileValue }).map((m) => ({ ...m, inside: undefined as string | undefined })),
        fc.record({ field: fc.constantFrom('headers', 'multiValueHeaders', 'queryStringParameters', 'multiValueQueryStringParameters'), header: headerMutation, wrap: fc.boolean() }).map((m) => ({
          field: `${m.field}.${m.header.name}`,
          value: m.field.startsWith('multi') && m.wrap ? [m.header.value] : m.header.value,
          inside: m.field,
        })),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
          const e = event();
          for (const m of mutations) {
            if (m.field.includes('.') && m.field.split('.')[0] === m.inside && m.field.split('.').length > 2) continue;
            if (m.inside) {
              const [container, ...rest] = m.field.split('.');
              if (typeof e[container!] !== 'object' || e[container!] === null) e[container!] = {};
              Object.defineProperty(e[container!], rest.join('.'), { value: m.value, enumerable: true, writable: true, configurable: true });
            } else setPath(e, m.field, m.value);
          }
          const result = await call(echo, e);
          expect([200, 400, 404, 405]).toContain(result.statusCode);
          if (result.statusCode === 400) {
            expect(result.body).toMatch(/^faasport\/aws: /);
            expect(result.body).not.toMatch(ENGINE_WORDS);
          }
          if (result.statusCode === 200) expect(result.body).toBe('ran');
          assertNoPollution();
        }),
        fuzzParams,
      );
    });
  });
}

describe('a handler error is a 500 with no stack or message text', () => {
  it('whatever the thrown value says', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1 }), fc.constantFrom('throw', 'reject', 'non-error'), async (secret, how) => {
        const failing = adapt(
          http({ route: '/*' }, async () => {
            if (how === 'throw') throw new Error(`SECRET ${secret}`);
            if (how === 'reject') return Promise.reject(new TypeError(`SECRET ${secret}`));
            throw { secret };
          }),
          { name: 'failing' },
        );
        for (const e of [fixture('apigw-v2-cookies.json'), sharedFixture('apigw-rest/no-auth.json'), sharedFixture('alb/base.json')]) {
          const result = await call(failing, e);
          expect(result.statusCode).toBe(500);
          expect(result.body).toBe('Internal Server Error');
        }
      }),
      fuzzParams,
    );
  });
});

// ---- round trips ----------------------------------------------------------------------------------------

const TOKEN = 'abcdefghijklmnopqrstuvwxyz0123456789-_';
const headerName = fc.string({ unit: fc.constantFrom(...TOKEN), minLength: 1, maxLength: 12 }).map((n) => `x-${n}`);
/** Latin-1 without controls, trimmed (what a Fetch header keeps as is). */
const headerValue = fc
  .string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 20 })
  .map((v) => v.trim());
const headerSet = fc.uniqueArray(fc.tuple(headerName, headerValue), { selector: ([n]) => n, maxLength: 6 });
const queryPairs = fc.array(fc.tuple(fc.constantFrom('a', 'b', 'tag', 'q x', 'ü'), fc.string({ maxLength: 8 }).filter(encodable)), { maxLength: 5 });
function encodable(text: string): boolean {
  try {
    encodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}
const cookieList = fc.uniqueArray(fc.string({ unit: fc.constantFrom(...'abcdefgh'), minLength: 1, maxLength: 6 }), { maxLength: 4 }).map((names) => names.map((n, i) => `${n}=v${i}`));
const bodyBytes = fc.uint8Array({ maxLength: 300 });

/** Echoes what it saw: headers as x-seen-*, query as JSON in a header, each cookie back as Set-Cookie, body bytes back. */
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

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));
const sentQuery = (pairs: [string, string][]) => pairs.map(([k, v]) => [k, v]);

describe('round trips lose nothing', () => {
  it('payload 2.0: any header set, repeated query keys, cookies and body bytes', async () => {
    await fc.assert(
      fc.asyncProperty(headerSet, queryPairs, cookieList, bodyBytes, async (headers, query, cookies, body) => {
        const e = fixture('apigw-v2-cookies.json');
        e.requestContext.http.method = 'POST';
        e.headers = { host: 'api.example.com', ...Object.fromEntries(headers) };
        e.rawQueryString = new URLSearchParams(query).toString();
        e.cookies = cookies;
        e.body = base64(body);
        e.isBase64Encoded = true;
        const result = await call(mirror, e);
        expect(result.statusCode).toBe(200);
        for (const [name, value] of headers) expect(result.headers![`x-seen-${name.slice(2)}`]).toBe(value);
        expect(JSON.parse(decodeURIComponent(result.headers!['x-query']!))).toEqual(sentQuery(query));
        expect(result.cookies ?? []).toEqual(cookies);
        expect(fromBase64(result.body)).toEqual(body);
      }),
      fuzzParams,
    );
  });

  it('REST (payload 1.0): multi-value headers and query, cookies and body bytes', async () => {
    await fc.assert(
      fc.asyncProperty(headerSet, queryPairs, cookieList, bodyBytes, async (headers, query, cookies, body) => {
        const e = sharedFixture('apigw-rest/no-auth.json');
        e.httpMethod = 'POST';
        e.headers = { Host: 'api.example.com', ...Object.fromEntries(headers) };
        e.multiValueHeaders = { Host: ['api.example.com'], ...Object.fromEntries(headers.map(([n, v]) => [n, [v]])) };
        if (cookies.length > 0) e.multiValueHeaders.Cookie = [cookies.join('; ')];
        const multi: Record<string, string[]> = {};
        for (const [k, v] of query) (multi[k] ??= []).push(v);
        e.multiValueQueryStringParameters = query.length > 0 ? multi : null;
        e.queryStringParameters = query.length > 0 ? Object.fromEntries(query) : null;
        e.body = base64(body);
        e.isBase64Encoded = true;
        const result = await call(mirror, e);
        expect(result.statusCode).toBe(200);
        for (const [name, value] of headers) expect(result.headers![`x-seen-${name.slice(2)}`]).toBe(value);
        // Grouped by key, as the multi-value map holds them.
        const grouped = Object.entries(multi).flatMap(([k, vs]) => vs.map((v) => [k, v]));
        expect(JSON.parse(decodeURIComponent(result.headers!['x-query']!))).toEqual(grouped);
        expect(result.multiValueHeaders?.['set-cookie'] ?? []).toEqual(cookies);
        expect(fromBase64(result.body)).toEqual(body);
      }),
      fuzzParams,
    );
  });

  it('ALB multi-value: headers, raw repeated query, cookies and body bytes', async () => {
    await fc.assert(
      fc.asyncProperty(headerSet, queryPairs, cookieList, bodyBytes, async (headers, query, cookies, body) => {
        const e = sharedFixture('alb/multi-fields.json');
        e.httpMethod = 'POST';
        e.multiValueHeaders = { host: ['lb.example.com'], ...Object.fromEntries(headers.map(([n, v]) => [n, [v]])) };
        if (cookies.length > 0) e.multiValueHeaders.cookie = [cookies.join('; ')];
        const multi: Record<string, string[]> = {};
        for (const [k, v] of query) (multi[encodeURIComponent(k)] ??= []).push(encodeURIComponent(v));
        e.multiValueQueryStringParameters = multi;
        e.body = base64(body);
        e.isBase64Encoded = true;
        const result = await call(mirror, e);
        expect(result.statusCode).toBe(200);
        for (const [name, value] of headers) expect(result.multiValueHeaders![`x-seen-${name.slice(2)}`]).toEqual([value]);
        const grouped = Object.entries(multi).flatMap(([k, vs]) => vs.map((v) => [decodeURIComponent(k), decodeURIComponent(v)]));
        expect(JSON.parse(decodeURIComponent(result.multiValueHeaders!['x-query']![0]!))).toEqual(grouped);
        expect(result.multiValueHeaders!['set-cookie'] ?? []).toEqual(cookies);
        expect(fromBase64(result.body)).toEqual(body);
      }),
      fuzzParams,
    );
  });
});
