/**
 * Property-based tests of the GCP HTTP adapter (issue 10), driven with the request node:http builds (an
 * IncomingMessage whose `headers` node derives from the raw header lines, plus the framework's `rawBody`) and a
 * response recording what the adapter writes. Only what node's parser lets through is generated: header names
 * that are tokens, values without CR, LF or NUL, bytes beyond ASCII as one Latin-1 character each (how node
 * presents UTF-8 it receives). Properties: never throw; a bad Host or request target is a 400 in faasport's words
 * naming it; a handler error is a 500 that says nothing; headers, repeated query keys, cookies (several Cookie
 * lines included) and any body bytes survive the round trip. Inputs per property: FUZZ_RUNS.
 */
import fc from 'fast-check';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { http } from '../../core/define.js';
import { assertNoPollution, ENGINE_WORDS, fuzzParams, PROTO_KEYS, isWellFormed, toWellFormed } from '../../core/fuzz.testing.js';
import { adapt } from './adapt.js';

let lines: { severity: string; reason?: string }[] = [];
beforeEach(() => {
  lines = [];
  const capture = (...args: unknown[]) => void lines.push(JSON.parse(String(args[0])) as (typeof lines)[number]);
  vi.spyOn(console, 'log').mockImplementation(capture);
  vi.spyOn(console, 'error').mockImplementation(capture);
});
afterEach(() => vi.restoreAllMocks());

interface Sent {
  method: string;
  target: string;
  headers: [string, string][];
  body?: Uint8Array;
}

/** The framework's request: node's IncomingMessage for these raw lines, with `rawBody` as its body parsers leave it. */
function frameworkRequest({ method, target, headers, body }: Sent) {
  const req = new IncomingMessage(new Socket());
  const raw = headers.flat();
  // node:http fills `headers` from the raw lines exactly so (lower-cased, repeats joined, Cookie with "; ").
  (req as unknown as { _addHeaderLines(raw: string[], n: number): void })._addHeaderLines(raw, raw.length);
  req.rawHeaders = raw;
  req.method = method;
  req.url = target;
  Object.assign(req, { originalUrl: target, executionId: 'exec-1', rawBody: body === undefined ? undefined : Buffer.from(body), body: body === undefined ? {} : Buffer.from(body) });
  return req;
}

function fakeResponse() {
  const res = {
    statusCode: 200,
    statusMessage: '',
    headersSent: false,
    headers: {} as Record<string, string | string[]>,
    body: Buffer.alloc(0),
    setHeader(name: string, value: string | string[]) {
      res.headers[name.toLowerCase()] = value;
    },
    end(chunk?: Uint8Array | string, encoding?: BufferEncoding) {
      if (chunk !== undefined) res.body = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : Buffer.from(chunk);
      res.headersSent = true;
    },
    destroy() {},
    on() {
      return res;
    },
  };
  return res;
}

async function send(handler: ReturnType<typeof adapt>, sent: Sent) {
  const res = fakeResponse();
  await (handler as (req: never, res: never) => Promise<void>)(frameworkRequest(sent) as never, res as never);
  return res;
}

const echo = adapt(
  http({ route: '/*' }, async (req) => {
    void req.url;
    void [...req.headers];
    await req.arrayBuffer();
    return new Response('ran', { headers: { 'content-type': 'text/plain' } });
  }),
  { name: 'echo' },
);

// ---- what node lets through ------------------------------------------------------------------------------

const TOKEN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~";
const tokenName = fc.oneof(fc.constantFrom(...PROTO_KEYS, 'Host', 'cookie', 'Cookie', 'content-type', 'x-forwarded-proto'), fc.string({ unit: fc.constantFrom(...TOKEN), minLength: 1, maxLength: 10 }));
/** UTF-8 text as node presents it: each byte one Latin-1 character. */
const asNodeSees = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
/** A header value node accepts (HTAB, visible ASCII, obs-text), without the whitespace node trims. */
const wireValue = fc
  .oneof(
    fc.string({ unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }), fc.constant(0x09)).map((c) => String.fromCharCode(c)), maxLength: 20 }),
    fc.constantFrom('Srīperumbūdūr', '🙂', ...PROTO_KEYS, 'x:99999', '[', '%zz', 'a@b', 'h/p').map(asNodeSees),
  )
  .map((v) => v.replace(/^[\t ]+|[\t ]+$/g, ''));
const hostileTarget = fc.oneof(
  fc.constantFrom('/', '/a%20b', '/%zz', '//evil.example/x', '/../x', '*', 'http://other.example/p?q=1', 'https://[::1]:8080/x', 'gopher://x/', '/?__proto__=1&constructor=2&toString=3', '/x?a=1&a=2&a=%zz'),
  fc.string({ unit: fc.constantFrom(...'abc/%?=&#.:@[]_~'), maxLength: 16 }).map((p) => `/${p}`),
);
const hostileRequest = fc.record({
  method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'),
  target: hostileTarget,
  headers: fc.array(fc.tuple(tokenName, wireValue), { maxLength: 6 }),
  body: fc.option(fc.uint8Array({ maxLength: 64 }), { nil: undefined }),
});

describe('GCP HTTP: hostile requests', () => {
  it('never throw; 200 (ran), 404/405, or a 400 in faasport\'s words naming the Host or the request target, with a warning', async () => {
    await fc.assert(
      fc.asyncProperty(hostileRequest, async (sent) => {
        lines = [];
        const res = await send(echo, sent);
        expect([200, 400, 404, 405]).toContain(res.statusCode);
        if (res.statusCode === 400) {
          const text = res.body.toString('utf8');
          expect(text).toMatch(/^Bad Request: faasport: (the Host header|the request target) /);
          expect(text).not.toMatch(ENGINE_WORDS);
          expect(lines.some((l) => l.severity === 'WARNING' && `Bad Request: ${l.reason}` === text)).toBe(true);
        }
        if (res.statusCode === 200 && sent.method !== 'HEAD') expect(res.body.toString()).toBe('ran');
        assertNoPollution();
      }),
      fuzzParams,
    );
  });

  it('a header value beyond Latin-1 runs the handler; its text is recovered with Buffer.from(value, "latin1")', async () => {
    const city = adapt(http({ route: '/*' }, (req) => new Response(encodeURIComponent(req.headers.get('x-city') ?? ''))), { name: 'city' });
    const text = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
      .map((t) => t.trim())
      .filter((t) => t !== '' && !/[\u0000-\u001f\u007f]/.test(t) && isWellFormed(t));
    await fc.assert(
      fc.asyncProperty(text, async (value) => {
        const res = await send(city, { method: 'GET', target: '/', headers: [['Host', 'fn.example'], ['X-City', asNodeSees(value)]] });
        expect(res.statusCode).toBe(200);
        expect(Buffer.from(decodeURIComponent(res.body.toString()), 'latin1').toString('utf8')).toBe(value);
      }),
      fuzzParams,
    );
  });

  it('a handler error is a 500 "Internal Server Error" with nothing of the error', async () => {
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
        const res = await send(failing, { method: 'GET', target: '/x', headers: [['Host', 'fn.example']] });
        expect(res.statusCode).toBe(500);
        expect(res.body.toString()).toBe('Internal Server Error');
      }),
      fuzzParams,
    );
  });
});

// ---- round trip -------------------------------------------------------------------------------------------

const headerName = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: 1, maxLength: 12 }).map((n) => `x-${n}`);
const headerValue = fc
  .string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 20 })
  .map((v) => v.trim());
const headerSet = fc.uniqueArray(fc.tuple(headerName, headerValue), { selector: ([n]) => n, maxLength: 6 });
const queryPairs = fc.array(fc.tuple(fc.constantFrom('a', 'b', 'tag', 'q x', 'ü', '__proto__'), fc.string({ maxLength: 8 }).map((v) => toWellFormed(v))), { maxLength: 5 });
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

describe('GCP HTTP: round trips lose nothing', () => {
  it('any header set, repeated query keys, cookies on one or several Cookie lines, and body bytes', async () => {
    await fc.assert(
      fc.asyncProperty(headerSet, queryPairs, cookieList, fc.boolean(), fc.uint8Array({ maxLength: 300 }), async (headers, query, cookies, oneLine, body) => {
        const cookieLines: [string, string][] = oneLine ? (cookies.length > 0 ? [['Cookie', cookies.join('; ')]] : []) : cookies.map((c) => ['Cookie', c]);
        const res = await send(mirror, {
          method: 'POST',
          target: `/echo?${new URLSearchParams(query)}`,
          headers: [['Host', 'fn.example'], ['Content-Type', 'application/octet-stream'], ['Content-Length', String(body.byteLength)], ...headers, ...cookieLines],
          body,
        });
        expect(res.statusCode).toBe(200);
        for (const [name, value] of headers) expect(res.headers[`x-seen-${name.slice(2)}`]).toBe(value);
        expect(JSON.parse(decodeURIComponent(res.headers['x-query'] as string))).toEqual(query);
        expect(res.headers['set-cookie'] ?? []).toEqual(cookies);
        expect(new Uint8Array(res.body)).toEqual(body);
      }),
      fuzzParams,
    );
  });
});
