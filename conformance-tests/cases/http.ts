/** HTTP conformance cases, run against the fixture app (fixture-app/http.ts) on every provider. */
import assert from 'node:assert/strict';
import { defineCase, type ConformanceCase, type Invoker } from '../invoker.js';
import { normaliseSetCookie, sha256 } from '../observations.js';

/** What GET /large answers: 1 MiB of "faasport-" repeated, cut to length. */
const LARGE_BODY = Buffer.from('faasport-'.repeat(Math.ceil(1_048_576 / 9)).slice(0, 1_048_576));

interface Echo {
  method: string;
  path: string;
  params: Record<string, string>;
  query: [string, string][];
  headers: Record<string, string>;
  cookie: string | null;
  bodyLength: number;
  bodySha256: string;
  provider: string;
  functionName: string;
  hasInvocationId: boolean;
}

async function echo(invoker: Invoker, path: string, init?: RequestInit): Promise<Echo> {
  const res = await invoker.http(path, init);
  assert.equal(res.status, 200, `echo ${path} answered ${res.status}: ${await res.clone().text()}`);
  return (await res.json()) as Echo;
}

export const httpCases: ConformanceCase[] = [
  defineCase('method and path reach the handler', async (inv) => {
    const seen = await echo(inv, '/echo/a/b', { method: 'PUT', body: 'x' });
    assert.equal(seen.method, 'PUT');
    assert.equal(seen.path, '/echo/a/b');
  }),
  defineCase('context names the provider, function and invocation', async (inv) => {
    const seen = await echo(inv, '/echo/ctx');
    assert.equal(seen.provider, inv.provider);
    assert.equal(seen.functionName, 'echo');
    assert.equal(seen.hasInvocationId, true);
  }),
  defineCase('route parameters are decoded', async (inv) => {
    const res = await inv.http('/items/abc%20123');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { id: 'abc 123' });
  }),
  defineCase('wildcard route captures the rest of the path', async (inv) => {
    const seen = await echo(inv, '/echo/deep/nested/path.txt');
    assert.equal(seen.params['*'], 'deep/nested/path.txt');
  }),
  defineCase('repeated query keys keep every value in order', async (inv) => {
    const seen = await echo(inv, '/echo/q?tag=a&tag=b&x=1%202&tag=c');
    assert.deepEqual(seen.query, [
      ['tag', 'a'],
      ['tag', 'b'],
      ['x', '1 2'],
      ['tag', 'c'],
    ]);
  }),
  defineCase('request headers reach the handler', async (inv) => {
    const seen = await echo(inv, '/echo/h', { headers: { 'x-custom-one': 'one', 'X-Custom-Two': 'Two Words' } });
    assert.equal(seen.headers['x-custom-one'], 'one');
    assert.equal(seen.headers['x-custom-two'], 'Two Words');
  }),
  defineCase('request cookies arrive joined with "; "', async (inv) => {
    const seen = await echo(inv, '/echo/c', { headers: { cookie: 'a=1; b=two; c=3' } });
    assert.equal(seen.cookie, 'a=1; b=two; c=3');
  }),
  defineCase('status, headers and JSON body come back', async (inv) => {
    const res = await inv.http('/items/9');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(res.headers.get('x-item-id'), '9');
    assert.equal(res.headers.get('cache-control'), 'max-age=60');
    assert.equal(await res.text(), '{"id":"9"}');
  }),
  defineCase('POST JSON gets 201 with a Location header', async (inv) => {
    const res = await inv.http('/items', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'widget', tags: ['ü', '😀'] }),
    });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('location'), '/items/42');
    assert.deepEqual(await res.json(), { created: { name: 'widget', tags: ['ü', '😀'] } });
  }),
  defineCase('two Set-Cookie headers survive', async (inv) => {
    const res = await inv.http('/cookies');
    assert.equal(res.status, 200);
    // Compared by meaning (attribute names are case-insensitive, their order free: RFC 6265 §5.2).
    assert.deepEqual(res.headers.getSetCookie().map(normaliseSetCookie).sort(), [
      normaliseSetCookie('session=abc123; Path=/; HttpOnly; Secure; SameSite=Lax'),
      normaliseSetCookie('theme=dark; Path=/; Max-Age=3600'),
    ]);
    assert.equal(await res.text(), 'cookies set');
  }),
  defineCase('binary response body arrives byte-exact', async (inv) => {
    const res = await inv.http('/binary');
    assert.equal(res.status, 200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const expected = Uint8Array.from({ length: 256 }, (_, i) => i);
    assert.equal(sha256(bytes), sha256(expected));
    assert.equal(res.headers.get('x-body-sha256'), sha256(expected));
  }),
  defineCase('binary request body round-trips byte-exact', async (inv) => {
    const sent = Uint8Array.from({ length: 4096 }, (_, i) => (i * 31 + 7) % 256);
    const res = await inv.http('/binary', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: sent,
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-body-sha256'), sha256(sent), 'the handler saw different bytes');
    assert.equal(sha256(new Uint8Array(await res.arrayBuffer())), sha256(sent), 'the client got different bytes');
  }),
  // On the wire: fetch reports an empty body for any 204, whatever bytes the server sends after the headers.
  defineCase('204 answer carries no body bytes on the wire', async (inv) => {
    const res = await inv.wire('/empty');
    assert.equal(res.status, 204);
    assert.deepEqual(res.headers.filter(([name]) => name === 'x-empty'), [['x-empty', 'yes']]);
    assert.equal(res.body.byteLength, 0, `the server sent ${res.body.byteLength} bytes after the headers of a 204`);
  }),
  defineCase('GET request reaches the handler with an empty body', async (inv) => {
    const seen = await echo(inv, '/echo/empty');
    assert.equal(seen.bodyLength, 0);
  }),
  defineCase('1 MB request body arrives intact', async (inv) => {
    const sent = Uint8Array.from({ length: 1_048_576 }, (_, i) => (i * 7) % 251);
    const res = await inv.http('/large', { method: 'POST', body: sent, headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { length: sent.byteLength, sha256: sha256(sent) });
  }),
  defineCase('1 MB response body arrives intact', async (inv) => {
    const res = await inv.http('/large');
    assert.equal(res.status, 200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.equal(bytes.byteLength, LARGE_BODY.byteLength);
    assert.equal(sha256(bytes), sha256(LARGE_BODY), 'the 1 MB body arrived with different bytes');
  }),
  defineCase('unicode route parameter is decoded', async (inv) => {
    const res = await inv.http('/names/caf%C3%A9%20%E2%9C%93');
    assert.equal(res.status, 200);
    const seen = (await res.json()) as { name: string; path: string };
    assert.equal(seen.name, 'café ✓');
    assert.equal(seen.path, '/names/caf%C3%A9%20%E2%9C%93');
  }),
  // Gateways may normalise escapes of unreserved characters (%7E) and API Gateway HTTP APIs decode the
  // path before the function sees it, so the portable promise is: spaces, unicode and "+" survive.
  defineCase('percent-encoded path reaches the handler as sent', async (inv) => {
    const seen = await echo(inv, '/echo/a%20b/caf%C3%A9/x+y');
    assert.equal(seen.path, '/echo/a%20b/caf%C3%A9/x+y');
    assert.equal(seen.params['*'], 'a b/café/x+y');
  }),
  defineCase('unknown path answers 404', async (inv) => {
    const res = await inv.http('/no/such/route');
    assert.equal(res.status, 404);
    await res.arrayBuffer();
  }),
  defineCase('undeclared method answers 405 with Allow', async (inv) => {
    const res = await inv.http('/cookies', { method: 'DELETE' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET, HEAD');
    await res.arrayBuffer();
  }),
  defineCase('handler exception answers 500 and leaks nothing', async (inv) => {
    const res = await inv.http('/fail');
    assert.equal(res.status, 500);
    const body = await res.text();
    assert.ok(!body.includes('secret-database-password-123'), 'the error message leaked into the body');
    assert.ok(!/\bat .+:\d+:\d+/.test(body), 'a stack trace leaked into the body');
  }),
  defineCase('redirect keeps its status and Location', async (inv) => {
    const res = await inv.http('/redirect');
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/items/7');
    await res.arrayBuffer();
  }),
  // On the wire: fetch never reads a body after HEAD, so only the socket shows one sent by mistake.
  defineCase('HEAD answers the headers of GET and no body bytes on the wire', async (inv) => {
    const res = await inv.wire('/items/5', { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.headers.filter(([name]) => name === 'x-item-id' || name === 'cache-control').sort(), [
      ['cache-control', 'max-age=60'],
      ['x-item-id', '5'],
    ]);
    assert.equal(res.body.byteLength, 0, `the server sent ${res.body.byteLength} bytes after the headers of a HEAD answer`);
  }),
];
