/**
 * Property-based tests of the AWS HTTP adapter (issue 10): broken events of every kind never throw and get a
 * 400 in faasport's words; a handler error is a 500 that says nothing; headers, repeated query keys, cookies
 * and any body bytes survive a round trip. Inputs per property: FUZZ_RUNS (core/fuzz.testing.ts).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { http } from '../../../core/define.js';
import { assertNoPollution, copyOf, ENGINE_WORDS, fuzzParams, hostileValue, namesField, PROTO_KEYS, setPath, isWellFormed } from '../../../core/fuzz.testing.js';
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
              Object.defineProperty(e[container!], rest.join('.'), { value: copyOf(m.value), enumerable: true, writable: true, configurable: true });
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

    it('one broken field, when refused with 400, is named in the body', async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...fields), hostileValue, async (field, value) => {
          const e = event();
          setPath(e, field, value);
          const result = await call(echo, e);
          if (result.statusCode !== 400) return;
          expect(result.body).toMatch(/^faasport\/aws: /);
          if (!namesField(result.body, field)) throw new Error(`"${result.body}" does not name ${field}`);
        }),
        fuzzParams,
      );
    });

    it('one broken header or query entry, when refused with 400, is named in the body with its map', async () => {
      const maps = fields.filter((f) => /^(multiValue)?([hH]eaders|[qQ]ueryStringParameters)$/.test(f));
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...maps), headerMutation, async (map, { name, value }) => {
          const e = event();
          if (typeof e[map] !== 'object' || e[map] === null) e[map] = {};
          Object.defineProperty(e[map], name, { value: copyOf(value), enumerable: true, writable: true, configurable: true });
          const result = await call(echo, e);
          if (result.statusCode !== 400) return;
          expect(result.body).toMatch(/^faasport\/aws: /);
          // The map, or the header it carries (a bad Host, a bad Cookie), is named.
          if (!result.body.includes(map) && !result.body.toLowerCase().includes(name.toLowerCase() || '\u0000')) {
            throw new Error(`"${result.body}" names neither ${map} nor ${JSON.stringify(name)}`);
          }
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
  // Function URLs send the payload 2.0 shape, so one property serves both.
  it.each([
    ['payload 2.0', 'apigw-v2-cookies.json', 'api.example.com'],
    ['Function URL', 'function-url-cookies.json', 'abc.lambda-url.us-east-1.on.aws'],
  ])('%s: any header set, repeated query keys, cookies and body bytes', async (_kind, name, host) => {
    await fc.assert(
      fc.asyncProperty(headerSet, queryPairs, cookieList, bodyBytes, async (headers, query, cookies, body) => {
        const e = fixture(name);
        e.requestContext.http.method = 'POST';
        e.headers = { host, ...Object.fromEntries(headers) };
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

  it('ALB single-value: any header set, query keys, one cookie line and body bytes (this mode keeps one value per key and one Set-Cookie)', async () => {
    // Single-value mode holds the LAST value of a repeated key and has room for one Set-Cookie (alb.ts): unique
    // query keys and at most one cookie are all it can carry, so that is what must survive.
    const uniqueQuery = queryPairs.map((pairs) => [...new Map(pairs)]);
    await fc.assert(
      fc.asyncProperty(headerSet, uniqueQuery, cookieList.map((c) => c.slice(0, 1)), bodyBytes, async (headers, query, cookies, body) => {
        const e = sharedFixture('alb/base.json');
        e.httpMethod = 'POST';
        e.headers = { host: 'lb.example.com', ...Object.fromEntries(headers) };
        if (cookies.length > 0) e.headers.cookie = cookies.join('; ');
        e.queryStringParameters = Object.fromEntries(query.map(([k, v]) => [encodeURIComponent(k), encodeURIComponent(v)]));
        e.body = base64(body);
        e.isBase64Encoded = true;
        const result = await call(mirror, e);
        expect(result.statusCode).toBe(200);
        for (const [name, value] of headers) expect(result.headers![`x-seen-${name.slice(2)}`]).toBe(value);
        expect(JSON.parse(decodeURIComponent(result.headers!['x-query']!))).toEqual(query);
        expect(result.headers!['set-cookie'] === undefined ? [] : [result.headers!['set-cookie']]).toEqual(cookies);
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

describe('header values beyond Latin-1 (cf-ipcity: Srīperumbūdūr) run the handler, on every kind', () => {
  const seenValue = adapt(
    http({ route: '/*' }, (req) => new Response(encodeURIComponent(req.headers.get('x-city') ?? ''), { headers: { 'content-type': 'text/plain' } })),
    { name: 'city' },
  );
  /** Text without controls or lone surrogates, trimmed: what a client can put in a header as UTF-8 bytes. */
  const city = fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
    .map((t) => t.trim())
    .filter((t) => t !== '' && !/[\u0000-\u001f\u007f]/.test(t) && isWellFormed(t));
  const withCity = (kind: keyof typeof KINDS, value: string) => {
    const e = KINDS[kind].event() as Record<string, any>;
    if (kind === 'ALB multi-value') e.multiValueHeaders = { ...e.multiValueHeaders, 'x-city': [value] };
    else e.headers = { ...e.headers, 'x-city': value };
    if (kind === 'REST') e.multiValueHeaders = { ...e.multiValueHeaders, 'x-city': [value] };
    return e;
  };
  it('the value is passed as is when it is Latin-1, else as its UTF-8 bytes one Latin-1 character each (recoverable)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...(Object.keys(KINDS) as (keyof typeof KINDS)[])), city, async (kind, value) => {
        const result = await call(seenValue, withCity(kind, value));
        expect(result.statusCode).toBe(200);
        const seen = decodeURIComponent(result.body);
        if (/[^\u0000-\u00ff]/.test(value)) expect(Buffer.from(seen, 'latin1').toString('utf8')).toBe(value);
        else expect(seen).toBe(value);
      }),
      fuzzParams,
    );
  });
});
