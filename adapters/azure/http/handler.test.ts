import azureFunctions from '@azure/functions';
import type { HttpRequestInit, HttpResponseInit } from '@azure/functions';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { http } from '../../../core/define.js';
import { adapt } from '../adapt.js';

const { HttpRequest, InvocationContext } = azureFunctions;

interface Logged {
  level: string;
  args: unknown[];
}

function call(fn: Parameters<typeof adapt>[0] & { kind: 'http' }, init: HttpRequestInit, name?: string) {
  const logs: Logged[] = [];
  const context = new InvocationContext({
    invocationId: 'inv-123',
    functionName: 'azureName',
    logHandler: (level, ...args) => logs.push({ level, args }),
  });
  const handler = adapt(fn, name === undefined ? {} : { name });
  return { logs, context, result: handler(new HttpRequest(init), context) };
}

/** What the host would send: read the init through the library's own HttpResponse, as its worker does. */
async function bodyBytes(init: HttpResponseInit): Promise<Uint8Array> {
  return new Uint8Array(await new azureFunctions.HttpResponse(init).arrayBuffer());
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('faasport/azure http adapter', () => {
  it('passes method, full URL, headers and the decoded route param to the handler', async () => {
    const fn = http({ route: '/items/:id', methods: ['GET'] }, (req, ctx) =>
      Response.json({ method: req.method, url: req.url, accept: req.headers.get('accept'), id: ctx.params.id }),
    );
    const { result } = call(fn, {
      method: 'GET',
      url: 'https://app.azurewebsites.net/items/a%20b?x=1',
      headers: { accept: 'application/json' },
    });
    const init = await result;
    expect(init.status).toBe(200);
    expect(init.headers).toMatchObject({ 'content-type': 'application/json' });
    expect(JSON.parse(new TextDecoder().decode(await bodyBytes(init)))).toEqual({
      method: 'GET',
      url: 'https://app.azurewebsites.net/items/a%20b?x=1',
      accept: 'application/json',
      id: 'a b',
    });
  });

  it('fills ctx from the InvocationContext: provider, invocationId, function name, no deadline, native', async () => {
    let seen: Record<string, unknown> = {};
    const fn = http({ route: '/ctx' }, (_req, ctx) => {
      const native = ctx.native as { request: unknown; context: { invocationId: string } };
      seen = {
        provider: ctx.provider,
        invocationId: ctx.invocationId,
        functionName: ctx.functionName,
        deadline: ctx.deadline,
        remaining: ctx.remainingMs(),
        nativeInvocation: native.context.invocationId,
        nativeRequest: typeof native.request,
      };
      return new Response('ok');
    });
    await call(fn, { method: 'GET', url: 'http://localhost/ctx' }).result;
    expect(seen).toEqual({
      provider: 'azure',
      invocationId: 'inv-123',
      functionName: 'azureName',
      deadline: undefined,
      remaining: Number.POSITIVE_INFINITY,
      nativeInvocation: 'inv-123',
      nativeRequest: 'object',
    });
    let name = '';
    const named = http({ route: '/ctx' }, (_req, ctx) => ((name = ctx.functionName), new Response('ok')));
    await call(named, { method: 'GET', url: 'http://localhost/ctx' }, 'getCtx').result;
    expect(name).toBe('getCtx');
  });

  it('sends two Set-Cookie headers as two cookies objects', async () => {
    const fn = http({ route: '/login' }, () => {
      const headers = new Headers({ 'content-type': 'text/plain' });
      headers.append('set-cookie', 'session=abc123; Path=/; HttpOnly; Secure; SameSite=Lax');
      headers.append('set-cookie', 'theme=dark; Max-Age=3600; Domain=example.com');
      return new Response('hi', { headers });
    });
    const init = await call(fn, { method: 'POST', url: 'http://localhost/login' }).result;
    expect(init.cookies).toEqual([
      { name: 'session', value: 'abc123', path: '/', httpOnly: true, secure: true, sameSite: 'Lax' },
      { name: 'theme', value: 'dark', maxAge: 3600, domain: 'example.com' },
    ]);
    expect(init.headers).not.toHaveProperty('set-cookie');
  });

  it('keeps the request Cookie header as sent (joined with "; ")', async () => {
    const fn = http({ route: '/c' }, (req) => new Response(req.headers.get('cookie')));
    const init = await call(fn, { method: 'GET', url: 'http://localhost/c', headers: { cookie: 'a=1; b=2' } }).result;
    expect(new TextDecoder().decode(await bodyBytes(init))).toBe('a=1; b=2');
  });

  it('round-trips a binary request body and a binary response body byte-exact', async () => {
    const sent = new Uint8Array(256);
    for (let i = 0; i < sent.length; i++) sent[i] = i;
    const fn = http({ route: '/echo' }, async (req) => {
      const bytes = new Uint8Array(await req.arrayBuffer());
      return new Response(bytes, { headers: { 'content-type': 'application/octet-stream', 'x-sha': sha(bytes) } });
    });
    const init = await call(fn, {
      method: 'POST',
      url: 'http://localhost/echo',
      headers: { 'content-type': 'application/octet-stream' },
      body: { bytes: sent },
    }).result;
    expect(init.body).toBeInstanceOf(Uint8Array);
    expect((init.headers as Record<string, string>)['x-sha']).toBe(sha(sent));
    expect(sha(await bodyBytes(init))).toBe(sha(sent));
  });

  it('keeps repeated query keys that the Azure query record would merge', async () => {
    const fn = http({ route: '/q' }, (req) => Response.json(new URL(req.url).searchParams.getAll('tag')));
    const init = await call(fn, {
      method: 'GET',
      url: 'http://localhost/q?tag=a&tag=b',
      query: { tag: 'a,b' }, // what the host sends in nullableQuery
    }).result;
    expect(JSON.parse(new TextDecoder().decode(await bodyBytes(init)))).toEqual(['a', 'b']);
  });

  it('routes on the percent-encoded path and decodes unicode params', async () => {
    const fn = http({ route: '/files/*' }, (req, ctx) => Response.json({ rest: ctx.params['*'], path: new URL(req.url).pathname }));
    const init = await call(fn, { method: 'GET', url: 'http://localhost/files/caf%C3%A9/na%C3%AFve%2Fx' }).result;
    expect(JSON.parse(new TextDecoder().decode(await bodyBytes(init)))).toEqual({
      rest: 'café/naïve/x',
      path: '/files/caf%C3%A9/na%C3%AFve%2Fx',
    });
  });

  it('routes a local host URL with a port and gives the handler its own copy of the headers', async () => {
    let native: InstanceType<typeof HttpRequest> | undefined;
    const fn = http({ route: '/api/items/:id' }, (req, ctx) => {
      native = (ctx.native as { request: InstanceType<typeof HttpRequest> }).request;
      req.headers.set('x-added', 'yes');
      req.headers.delete('accept');
      return Response.json({ id: ctx.params.id, url: req.url, added: req.headers.get('x-added'), accept: req.headers.get('accept') });
    });
    const init = await call(fn, { method: 'GET', url: 'http://localhost:7071/api/items/7?x=1', headers: { accept: 'text/html' } }).result;
    expect(JSON.parse(new TextDecoder().decode(await bodyBytes(init)))).toEqual({
      id: '7',
      url: 'http://localhost:7071/api/items/7?x=1',
      added: 'yes',
      accept: null,
    });
    expect(native!.headers.get('accept')).toBe('text/html');
    expect(native!.headers.has('x-added')).toBe(false);
  });

  it('sends a text body as its string, with its content type', async () => {
    const fn = http({ route: '/t' }, () => new Response('héllo'));
    const init = await call(fn, { method: 'GET', url: 'http://localhost/t' }).result;
    expect(init.body).toBe('héllo');
    expect(init.headers).toMatchObject({ 'content-type': 'text/plain;charset=UTF-8' });
    expect(new TextDecoder().decode(await bodyBytes(init))).toBe('héllo');
  });

  it('answers 404 for a path outside the route and 405 with Allow for a method it does not take', async () => {
    const fn = http({ route: '/items/:id', methods: ['GET'] }, () => new Response('never'));
    const notFound = await call(fn, { method: 'GET', url: 'http://localhost/other' }).result;
    expect(notFound.status).toBe(404);
    const notAllowed = await call(fn, { method: 'DELETE', url: 'http://localhost/items/1' }).result;
    expect(notAllowed.status).toBe(405);
    expect(notAllowed.headers).toMatchObject({ allow: 'GET, HEAD' });
  });

  it('answers 500 without the error in the body and logs it through context.error', async () => {
    const fn = http({ route: '/boom' }, () => {
      throw new Error('secret database password', { cause: new Error('root cause') });
    });
    const { result, logs } = call(fn, { method: 'GET', url: 'http://localhost/boom' });
    const init = await result;
    expect(init.status).toBe(500);
    const text = new TextDecoder().decode(await bodyBytes(init));
    expect(text).toBe('Internal Server Error');
    expect(text).not.toContain('secret');
    const errors = logs.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.args[0]).toBe('faasport: the handler threw');
    const fields = errors[0]!.args[1] as { error: Error };
    expect(fields.error.message).toBe('secret database password');
    expect((fields.error.cause as Error).message).toBe('root cause');
  });

  it('passes structured fields of ctx.log to the matching context method', async () => {
    const fn = http({ route: '/log' }, (_req, ctx) => {
      ctx.log.debug('d');
      ctx.log.info('i', { user: 42 });
      ctx.log.warn('w');
      return new Response(null, { status: 204 });
    });
    const { result, logs } = call(fn, { method: 'GET', url: 'http://localhost/log' });
    await result;
    expect(logs).toEqual([
      { level: 'debug', args: ['d'] },
      { level: 'information', args: ['i', { user: 42 }] },
      { level: 'warning', args: ['w'] },
    ]);
  });

  it('gives the handler no body for an empty POST and sends no body for 204', async () => {
    let sawBody: unknown = 'unset';
    const fn = http({ route: '/empty' }, async (req) => {
      sawBody = req.body;
      expect(await req.text()).toBe('');
      return new Response(null, { status: 204 });
    });
    const init = await call(fn, { method: 'POST', url: 'http://localhost/empty', body: { bytes: new Uint8Array(0) } }).result;
    expect(sawBody).toBeNull();
    expect(init.status).toBe(204);
    expect(init.body).toBeUndefined();
  });

  it('sends no body for HEAD', async () => {
    const fn = http({ route: '/h', methods: ['GET'] }, () => new Response('content', { headers: { 'x-a': '1' } }));
    const init = await call(fn, { method: 'HEAD', url: 'http://localhost/h' }).result;
    expect(init.status).toBe(200);
    expect(init.body).toBeUndefined();
    expect(init.headers).toMatchObject({ 'x-a': '1' });
  });

  it('answers 400 naming the problem when the native request is malformed', async () => {
    const fn = http({ route: '/x' }, () => new Response('never'));
    const context = new InvocationContext({ invocationId: 'i', functionName: 'f', logHandler: () => {} });
    const bad = { method: 'GET', url: 'not a url', headers: new Headers() } as unknown as InstanceType<typeof HttpRequest>;
    const init = await adapt(fn)(bad, context);
    expect(init.status).toBe(400);
    expect(String(init.body)).toContain('not an absolute URL');
  });

  it('refuses something that is not a faasport function with a clear TypeError', () => {
    expect(() => adapt({ kind: 'http' } as never)).toThrow(/needs a function made by http\(\)/);
  });
});

describe('a hand-made request whose url is not text (issue 10, found by handler.fuzz.test.ts)', () => {
  it('gets a 400 naming the url, not "Do not know how to serialize a BigInt" thrown out of the handler', async () => {
    const handler = adapt(http({ route: '/*' }, () => new Response('ran')));
    const context = new InvocationContext({ invocationId: 'inv-1', functionName: 'f', logHandler: () => {} });
    const init = await handler({ method: 'GET', url: 10n, headers: new Headers() } as never, context);
    expect(init.status).toBe(400);
    expect(new TextDecoder().decode(await bodyBytes(init))).toBe('faasport/azure: the HttpRequest url (the bigint 10) is not an absolute URL');
  });
});

describe('http adapter, refusals and dropped cookies', () => {
  it('a bad request gets a plain-text 400 and an error log with the message', async () => {
    const handler = adapt(http({ route: '/*' }, () => new Response('ran')));
    const logs: Logged[] = [];
    const context = new InvocationContext({ invocationId: 'inv-1', functionName: 'f', logHandler: (level, ...args) => logs.push({ level, args }) });
    const message = 'faasport/azure: the HttpRequest url "nope" is not an absolute URL';
    const init = await handler({ method: 'GET', url: 'nope', headers: new HttpRequest({ method: 'GET', url: 'https://a.example/' }).headers } as never, context);
    expect(init).toEqual({ status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: message });
    expect(logs).toEqual([{ level: 'error', args: [message] }]);
  });

  it('an error reading the body that is no bad request is thrown out of the handler, not answered 400', async () => {
    const handler = adapt(http({ route: '/*' }, () => new Response('ran')));
    const context = new InvocationContext({ invocationId: 'inv-1', functionName: 'f', logHandler: () => {} });
    const request = {
      method: 'POST',
      url: 'https://a.example/x',
      headers: new HttpRequest({ method: 'GET', url: 'https://a.example/' }).headers,
      arrayBuffer: () => Promise.reject(new Error('connection reset')),
    };
    await expect(handler(request as never, context)).rejects.toThrow('connection reset');
  });

  it('warns about a Set-Cookie header without a name, naming the header, and sends the others', async () => {
    const fn = http({ route: '/x' }, () => {
      const headers = new Headers();
      headers.append('set-cookie', '=nameless');
      headers.append('set-cookie', 'a=1');
      return new Response('ok', { headers });
    });
    const { logs, result } = call(fn, { method: 'GET', url: 'https://app.azurewebsites.net/x' });
    const init = await result;
    expect(init.cookies).toEqual([{ name: 'a', value: '1' }]);
    expect(logs.filter((l) => l.level === 'warning')).toEqual([
      { level: 'warning', args: ['faasport: dropped a Set-Cookie header the Azure host cannot write (it has no cookie name)', { header: '=nameless' }] },
    ]);
  });
});
