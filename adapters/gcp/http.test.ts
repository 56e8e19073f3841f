/**
 * The adapter driven through the real functions-framework in-process (its getTestServer builds the
 * same Express app the CLI serves), with real HTTP requests.
 */
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import type { Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { http } from '../../core/define.js';
import { adapt, register } from './index.js';
import type { GcpHttpContext } from './types.js';

const sha256 = (bytes: Uint8Array | ArrayBuffer) => createHash('sha256').update(new Uint8Array(bytes)).digest('hex');
const allBytes = Uint8Array.from({ length: 256 }, (_, i) => i);

let jsonHandlerRuns = 0;

const functions = {
  'gcp-items': http({ route: '/items/:id', methods: ['GET'] }, (req, ctx) => {
    const url = new URL(req.url);
    return Response.json(
      { id: ctx.params.id, url: req.url, path: url.pathname, query: [...url.searchParams], cookie: req.headers.get('cookie') },
      { headers: { 'x-item-id': encodeURIComponent(ctx.params.id ?? '') } },
    );
  }),
  'gcp-echo': http({ route: '/echo/*' }, async (req) => {
    const body = new Uint8Array(await req.arrayBuffer());
    return new Response(body, {
      headers: {
        'content-type': 'application/octet-stream',
        'x-body-sha256': sha256(body),
        'x-body-length': String(body.byteLength),
        'x-seen-content-encoding': req.headers.get('content-encoding') ?? 'none',
        'x-seen-content-length': req.headers.get('content-length') ?? 'none',
      },
    });
  }),
  'gcp-cookies': http({ route: '/cookies', methods: ['GET'] }, () => {
    const headers = new Headers({ 'content-type': 'text/plain' });
    headers.append('set-cookie', 'session=abc123; Path=/; HttpOnly');
    headers.append('set-cookie', 'theme=dark; Path=/; Max-Age=3600');
    return new Response('cookies set', { headers });
  }),
  'gcp-fail': http({ route: '/fail' }, () => {
    throw new Error('secret-database-password-123', { cause: new Error('connection refused by db-7') });
  }),
  'gcp-ctx': http({ route: '/ctx' }, (req, ctx) => {
    const native = (ctx as GcpHttpContext).native;
    return Response.json({
      provider: ctx.provider,
      functionName: ctx.functionName,
      invocationId: ctx.invocationId,
      frameworkExecutionId: native.req.executionId,
      deadline: ctx.deadline ?? null,
      nativeHasReqRes: typeof native.req.get === 'function' && typeof native.res.setHeader === 'function',
    });
  }),
  'gcp-empty': http({ route: '/empty/:kind' }, (req, ctx) =>
    ctx.params.kind === 'no-content'
      ? new Response(null, { status: 204, headers: { 'x-empty': 'yes' } })
      : new Response('', { status: 200, headers: { 'x-empty': 'yes' } }),
  ),
  'gcp-raw': http({ route: '/raw' }, () => new Response(allBytes, { status: 299, statusText: 'Custom Reason' })),
  'gcp-text': http({ route: '/text' }, () => new Response('plain', { headers: { 'content-type': 'text/plain' } })),
  'gcp-bad-stream': http({ route: '/bad-stream' }, () => {
    const body = new ReadableStream({
      pull(controller) {
        controller.error(new Error('disk went away'));
      },
    });
    return new Response(body);
  }),
  'gcp-any': http({ route: '/*' }, () => new Response('handler')),
  'gcp-sized': http({ route: '/sized' }, (req) => new Response(new Uint8Array(Number(new URL(req.url).searchParams.get('n'))))),
  'gcp-json': http({ route: '/json' }, async (req) => {
    jsonHandlerRuns++;
    return new Response(await req.text());
  }),
  'gcp-json-value': http({ route: '/json-value' }, async (req, ctx) => {
    const value = await req.json();
    const native = (ctx as GcpHttpContext).native.req;
    return Response.json({ value, sameAsFramework: value === native.body, again: await req.text().catch((e: Error) => e.name) });
  }),
} as const;

type Name = keyof typeof functions;
const servers = new Map<Name, { server: Server; base: string }>();

beforeAll(async () => {
  for (const [name, fn] of Object.entries(functions) as [Name, (typeof functions)[Name]][]) {
    register(name, fn);
    const server = getTestServer(name);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.set(name, { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  }
});

afterAll(async () => {
  for (const { server } of servers.values()) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

afterEach(() => {
  vi.restoreAllMocks();
});

const url = (name: Name, path: string) => `${servers.get(name)!.base}${path}`;
const port = (name: Name) => Number(new URL(servers.get(name)!.base).port);

/** Sends bytes exactly as written (fetch would normalise what these tests need to control). */
function rawRequest(name: Name, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port(name), '127.0.0.1', () => socket.end(Buffer.from(text, 'latin1')));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
  });
}

describe('request', () => {
  it('decodes route parameters and keeps the URL and host the client used', async () => {
    const res = await fetch(url('gcp-items', '/items/abc-123'));
    expect(res.status).toBe(200);
    const seen = await res.json();
    expect(seen.id).toBe('abc-123');
    expect(seen.url).toBe(`${servers.get('gcp-items')!.base}/items/abc-123`);
    expect(res.headers.get('x-item-id')).toBe('abc-123');
  });

  it('builds an https URL when the front end says X-Forwarded-Proto: https', async () => {
    const seen = await (await fetch(url('gcp-items', '/items/1'), { headers: { 'x-forwarded-proto': 'https' } })).json();
    expect(seen.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/items\/1$/);
  });

  it('keeps repeated query keys in order', async () => {
    const seen = await (await fetch(url('gcp-items', '/items/q?tag=a&tag=b&x=1%202&tag=c'))).json();
    expect(seen.query).toEqual([
      ['tag', 'a'],
      ['tag', 'b'],
      ['x', '1 2'],
      ['tag', 'c'],
    ]);
  });

  it('passes the request cookie header through', async () => {
    const seen = await (await fetch(url('gcp-items', '/items/c'), { headers: { cookie: 'a=1; b=two; c=3' } })).json();
    expect(seen.cookie).toBe('a=1; b=two; c=3');
  });

  it('joins several Cookie header lines with "; ", not ", "', async () => {
    const text = await rawRequest(
      'gcp-items',
      'GET /items/c HTTP/1.1\r\nHost: example.test\r\nCookie: a=1\r\nCookie: b=2\r\nConnection: close\r\n\r\n',
    );
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(text).toContain('"cookie":"a=1; b=2"');
  });

  it('decodes a unicode route parameter and keeps the percent-encoded path as sent', async () => {
    const seen = await (await fetch(url('gcp-items', '/items/caf%C3%A9%20%E2%9C%93'))).json();
    expect(seen.id).toBe('café ✓');
    expect(seen.path).toBe('/items/caf%C3%A9%20%E2%9C%93');
  });

  it('answers 400 with a clear message when the Host header cannot form a URL', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const text = await rawRequest('gcp-items', 'GET /items/1 HTTP/1.1\r\nHost: bad host/x\r\nConnection: close\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 400/);
    expect(text).toContain('Bad Request: faasport: the Host header "bad host/x" is not a valid host[:port]');
    expect(JSON.parse(String(errors.mock.calls.at(-1)?.[0]))).toMatchObject({
      severity: 'WARNING',
      reason: 'faasport: the Host header "bad host/x" is not a valid host[:port]',
    });
  });
});

describe('bodies', () => {
  it('round-trips every byte value both ways (sha256)', async () => {
    const res = await fetch(url('gcp-echo', '/echo/bin'), {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: allBytes,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-body-sha256')).toBe(sha256(allBytes));
    expect(sha256(await res.arrayBuffer())).toBe(sha256(allBytes));
  });

  it('keeps invalid UTF-8 under text/plain byte-exact (the text parser decodes, rawBody does not)', async () => {
    const sent = Uint8Array.from([0x68, 0x69, 0xff, 0xfe, 0xc3, 0x28]);
    const res = await fetch(url('gcp-echo', '/echo/t'), { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: sent });
    expect(res.headers.get('x-body-sha256')).toBe(sha256(sent));
  });

  it('reads the stream itself when there is no Content-Type (the framework parsers skip such bodies)', async () => {
    const sent = allBytes.subarray(10, 200);
    const text = await rawRequest(
      'gcp-echo',
      `POST /echo/ct HTTP/1.1\r\nHost: x\r\nContent-Length: ${sent.byteLength}\r\nConnection: close\r\n\r\n` +
        Buffer.from(sent).toString('latin1'),
    );
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(text).toContain(`x-body-sha256: ${sha256(sent)}`);
  });

  it('reads a chunked body without Content-Type', async () => {
    const text = await rawRequest(
      'gcp-echo',
      'POST /echo/chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n',
    );
    expect(text).toContain(`x-body-sha256: ${sha256(Buffer.from('abcde'))}`);
  });

  it('carries a 1 MB body (the framework parsers accept up to 1024 MB; the platform caps requests at 32 MB)', async () => {
    const sent = Uint8Array.from({ length: 1_048_576 }, (_, i) => (i * 7) % 251);
    const res = await fetch(url('gcp-echo', '/echo/large'), {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: sent,
    });
    expect(res.headers.get('x-body-length')).toBe(String(sent.byteLength));
    expect(sha256(await res.arrayBuffer())).toBe(sha256(sent));
  });

  it('gives the handler an empty body for a POST without one', async () => {
    const res = await fetch(url('gcp-echo', '/echo/none'), { method: 'POST' });
    expect(res.headers.get('x-body-length')).toBe('0');
    expect(res.headers.get('x-body-sha256')).toBe(sha256(new Uint8Array(0)));
  });

  it('gives the handler the decoded bytes of a gzip body, without a Content-Encoding that would lie', async () => {
    const plain = Buffer.from('hello gzip '.repeat(100));
    const zipped = gzipSync(plain);
    const res = await fetch(url('gcp-echo', '/echo/gz'), {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip' },
      body: zipped,
    });
    expect(res.headers.get('x-body-sha256')).toBe(sha256(plain));
    expect(res.headers.get('x-seen-content-encoding')).toBe('none');
    expect(res.headers.get('x-seen-content-length')).toBe(String(plain.byteLength));
  });

  it('never reaches the handler with malformed JSON: the framework answers 400 first (platform behaviour)', async () => {
    const before = jsonHandlerRuns;
    const bad = await fetch(url('gcp-json', '/json'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' });
    expect(bad.status).toBe(400);
    await bad.arrayBuffer();
    const primitive = await fetch(url('gcp-json', '/json'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '"just a string"' });
    expect(primitive.status).toBe(400); // body-parser's strict mode accepts only objects and arrays
    await primitive.arrayBuffer();
    expect(jsonHandlerRuns).toBe(before);
    const good = await fetch(url('gcp-json', '/json'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{ "a" : 1 }' });
    expect(await good.text()).toBe('{ "a" : 1 }'); // the exact bytes, not a re-serialisation
    expect(jsonHandlerRuns).toBe(before + 1);
  });
});

describe('json() of a body the framework already parsed', () => {
  const post = (type: string, body: string | Uint8Array<ArrayBuffer>) =>
    fetch(url('gcp-json-value', '/json-value'), { method: 'POST', headers: { 'content-type': type }, body });

  it('returns the framework\'s parsed value for UTF-8 JSON (once: the body is then used)', async () => {
    const res = await post('application/json; charset=utf-8', '{"a":[1,"é"]}');
    expect(await res.json()).toEqual({ value: { a: [1, 'é'] }, sameAsFramework: true, again: 'TypeError' });
  });

  it('parses the bytes itself where the framework read them differently', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    // An empty JSON body is {} to body-parser but a SyntaxError to Fetch's json().
    // A stream body goes chunked, so body-parser reads it (a Content-Length: 0 body it skips).
    const none = new ReadableStream({ start: (c) => c.close() });
    const empty = await fetch(url('gcp-json-value', '/json-value'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: none,
      duplex: 'half',
    } as RequestInit);
    expect(empty.status).toBe(500);
    await empty.arrayBuffer();
    expect(String(errors.mock.calls.at(-1)?.[0])).toContain('SyntaxError');
    const bom = await post('application/json', new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"b":2}')]) as Uint8Array<ArrayBuffer>);
    expect(await bom.json()).toEqual({ value: { b: 2 }, sameAsFramework: false, again: 'TypeError' });
  });
});

describe('response', () => {
  it('sends two Set-Cookie headers separately', async () => {
    const res = await fetch(url('gcp-cookies', '/cookies'));
    expect(res.headers.getSetCookie()).toEqual(['session=abc123; Path=/; HttpOnly', 'theme=dark; Path=/; Max-Age=3600']);
    expect(await res.text()).toBe('cookies set');
  });

  it('keeps status, status text and binary bytes, and adds no Content-Type or ETag', async () => {
    const res = await fetch(url('gcp-raw', '/raw'));
    expect(res.status).toBe(299);
    expect(res.statusText).toBe('Custom Reason');
    expect(res.headers.get('content-type')).toBeNull();
    expect(res.headers.get('etag')).toBeNull();
    expect(sha256(await res.arrayBuffer())).toBe(sha256(allBytes));
  });

  it('leaves the handler Content-Type as it was (no charset added)', async () => {
    const res = await fetch(url('gcp-text', '/text'));
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(res.headers.get('etag')).toBeNull();
    expect(await res.text()).toBe('plain');
  });

  it('answers 204 with no body and 200 with an empty body', async () => {
    const none = await fetch(url('gcp-empty', '/empty/no-content'));
    expect(none.status).toBe(204);
    expect(none.headers.get('x-empty')).toBe('yes');
    expect((await none.arrayBuffer()).byteLength).toBe(0);
    const empty = await fetch(url('gcp-empty', '/empty/zero'));
    expect(empty.status).toBe(200);
    expect(empty.headers.get('content-length')).toBe('0');
    expect((await empty.arrayBuffer()).byteLength).toBe(0);
  });

  it('answers HEAD with the headers and no body', async () => {
    const text = await rawRequest('gcp-items', 'HEAD /items/5 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(text).toContain('x-item-id: 5');
    expect(text.endsWith('\r\n\r\n')).toBe(true); // nothing after the header block
  });

  it('answers 500 and logs when the response body stream fails', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await fetch(url('gcp-bad-stream', '/bad-stream'));
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('Internal Server Error');
    const entry = JSON.parse(String(errors.mock.calls.at(-1)?.[0]));
    expect(entry.severity).toBe('ERROR');
    expect(entry.error.message).toBe('disk went away');
  });
});

describe('routing and errors', () => {
  it('answers 404 for a path outside the route', async () => {
    const res = await fetch(url('gcp-items', '/nope/1'));
    expect(res.status).toBe(404);
    await res.arrayBuffer();
  });

  it('answers 405 with Allow for an undeclared method', async () => {
    const res = await fetch(url('gcp-items', '/items/1'), { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    await res.arrayBuffer();
  });

  it('answers 500 without the message or stack, and logs the error with its cause as ERROR', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await fetch(url('gcp-fail', '/fail'));
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(body).toBe('Internal Server Error');
    expect(res.headers.get('x-google-status')).toBeNull(); // the framework's crash path was not taken
    const entry = JSON.parse(String(errors.mock.calls.at(-1)?.[0]));
    expect(entry).toMatchObject({
      severity: 'ERROR',
      message: 'faasport: the handler threw',
      function: 'gcp-fail',
      error: { message: 'secret-database-password-123', cause: { message: 'connection refused by db-7' } },
    });
    expect(entry.stack_trace).toContain('secret-database-password-123');
  });
});

describe('framework behaviour in front of the handler', () => {
  it('answers /robots.txt and /favicon.ico with 404 itself unless IGNORED_ROUTES says otherwise', async () => {
    for (const path of ['/robots.txt', '/favicon.ico']) {
      const res = await fetch(url('gcp-any', path));
      expect(res.status).toBe(404);
      expect(await res.text()).toBe('');
    }
    expect(await (await fetch(url('gcp-any', '/robots.txt.bak'))).text()).toBe('handler');
  });
});

describe('context', () => {
  it('names provider and function, has no deadline, and exposes req/res as native', async () => {
    const seen = await (await fetch(url('gcp-ctx', '/ctx'))).json();
    expect(seen).toMatchObject({ provider: 'gcp', functionName: 'gcp-ctx', deadline: null, nativeHasReqRes: true });
    // No execution id or trace header: the id the framework gave the request (its own logs carry it too).
    expect(seen.invocationId).toBe(seen.frameworkExecutionId);
    expect(seen.invocationId).toMatch(/^[0-9a-z]{6,}$/);
  });

  it('takes the invocation id from Function-Execution-Id', async () => {
    const seen = await (await fetch(url('gcp-ctx', '/ctx'), { headers: { 'function-execution-id': 'exec-42' } })).json();
    expect(seen.invocationId).toBe('exec-42');
  });

  it('takes the invocation id from X-Cloud-Trace-Context when there is no execution id', async () => {
    const headers = { 'x-cloud-trace-context': '105445aa7843bc8bf206b12000100000/1234567890;o=1' };
    const seen = await (await fetch(url('gcp-ctx', '/ctx'), { headers })).json();
    expect(seen.invocationId).toBe('105445aa7843bc8bf206b12000100000/1234567890');
  });
});

describe('adapt', () => {
  it('rejects a function of an unknown kind with a clear TypeError', () => {
    const fn = { kind: 'cron', options: {}, handler: () => {} } as never;
    expect(() => adapt(fn, { name: 'onTick' })).toThrow(/unknown function kind "cron" \(function "onTick"\)/);
  });

  it('names the function after K_SERVICE when no name is given', async () => {
    vi.stubEnv('K_SERVICE', 'svc-from-env');
    try {
      const handler = adapt(functions['gcp-ctx']);
      let captured = '';
      const res = {
        statusCode: 0,
        statusMessage: '',
        headersSent: false,
        setHeader() {},
        end(chunk?: Buffer) {
          captured = chunk ? chunk.toString() : '';
        },
      };
      const req = { method: 'GET', url: '/ctx', originalUrl: '/ctx', headers: { host: 'h' }, rawHeaders: ['Host', 'h'] };
      await handler(req as never, res as never);
      expect(JSON.parse(captured).functionName).toBe('svc-from-env');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe("Cloud Run's 32 MiB limit on a buffered HTTP/1 response", () => {
  it('sends a response at the limit as it is', async () => {
    const res = await fetch(url('gcp-sized', `/sized?n=${32 * 1024 * 1024}`));
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(32 * 1024 * 1024);
  });

  it('answers 500 past it, and says in the log what to do', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await fetch(url('gcp-sized', `/sized?n=${32 * 1024 * 1024 + 1}`));
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('Internal Server Error');
    const logged = errors.mock.calls.map((args) => String(args[0])).join('\n');
    expect(logged).toMatch(/the response body is 33554433 bytes, over Cloud Run's 33554432-byte \(32 MiB\) limit/);
    expect(logged).toMatch(/Stream it \(http\(\{ stream: true \}\)\)/);
  });
});
