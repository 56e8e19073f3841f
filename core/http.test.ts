import { describe, expect, it, vi } from 'vitest';
import { http } from './define.js';
import { BadEventError } from './errors.js';
import { nativeFetch } from './fetch/natives.js';
import { allowedMethods, dispatchHttp, readResponse, textResponse } from './http.js';
import type { HttpMethod } from './types.js';

const context = { provider: 'local' as const, functionName: 'f', invocationId: 'i', native: undefined };

function run(fn: ReturnType<typeof http>, method: string, path: string, logSink = vi.fn()) {
  return dispatchHttp(fn, {
    method,
    path,
    request: () => new Request(`http://x${path}`, { method }),
    context: { ...context, logSink },
  });
}

describe('dispatchHttp', () => {
  const getItem = http({ route: '/items/:id', methods: ['GET'] }, (_req, ctx) => Response.json({ id: ctx.params.id }));

  it('passes decoded route params to the handler', async () => {
    const res = await run(getItem, 'GET', '/items/a%20b');
    expect(await res.json()).toEqual({ id: 'a b' });
  });
  it('answers 404 when the path does not match the route', async () => {
    expect((await run(getItem, 'GET', '/nope')).status).toBe(404);
  });
  it('answers 405 with Allow when the method is not declared', async () => {
    const res = await run(getItem, 'POST', '/items/1');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
  it('turns a throw into a 500 that leaks nothing and logs the error with its cause', async () => {
    const boom = http({ route: '/' }, () => {
      throw new Error('secret detail', { cause: new Error('root cause') });
    });
    const sink = vi.fn();
    const res = await run(boom, 'GET', '/', sink);
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(body).not.toContain('secret');
    expect(body).not.toContain('at ');
    expect(sink).toHaveBeenCalledWith('error', expect.any(String), { error: expect.objectContaining({ cause: expect.any(Error) }) });
  });
  it('a handler that returns something other than a Response gets a 500', async () => {
    const bad = http({ route: '/' }, (() => 'hello') as never);
    expect((await run(bad, 'GET', '/')).status).toBe(500);
  });
});

describe('readResponse', () => {
  it('keeps each Set-Cookie apart from the other headers', async () => {
    const headers = new Headers({ 'content-type': 'text/plain' });
    headers.append('set-cookie', 'a=1; Path=/');
    headers.append('set-cookie', 'b=2; HttpOnly');
    const parts = await readResponse(new Response('hi', { headers }), 'GET');
    expect(parts.cookies).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(parts.headers['set-cookie']).toBeUndefined();
    expect(new TextDecoder().decode(parts.body)).toBe('hi');
  });
  it('drops the body of a HEAD response', async () => {
    expect((await readResponse(new Response('hi'), 'HEAD')).body).toBeUndefined();
  });
  it('reads no body for a null-body response', async () => {
    expect((await readResponse(new Response(null, { status: 204 }), 'GET')).body).toBeUndefined();
  });
});

describe('allowedMethods', () => {
  const handler = () => new Response();
  it('is every method when none are declared (or the list is empty)', () => {
    expect(allowedMethods(http({ route: '/' }, handler))).toEqual(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
    expect(allowedMethods(http({ route: '/', methods: [] }, handler))).toEqual(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
  });
  it('adds HEAD to GET, once, and to nothing else', () => {
    expect(allowedMethods(http({ route: '/', methods: ['GET', 'POST'] }, handler))).toEqual(['GET', 'POST', 'HEAD']);
    expect(allowedMethods(http({ route: '/', methods: ['HEAD', 'GET'] }, handler))).toEqual(['HEAD', 'GET']);
    expect(allowedMethods(http({ route: '/', methods: ['POST'] }, handler))).toEqual(['POST']);
  });
});

describe('dispatchHttp method checks and failures before the handler', () => {
  const ok = (route = '/', methods?: HttpMethod[]) => http({ route, ...(methods ? { methods } : {}) }, () => new Response('ran'));

  it('answers HEAD on a GET function and any known method on a function that declares none', async () => {
    expect((await run(ok('/', ['GET']), 'HEAD', '/')).status).toBe(200);
    expect((await run(ok('/', []), 'DELETE', '/')).status).toBe(200);
    expect((await run(ok(), 'PATCH', '/')).status).toBe(200);
  });
  it('answers 405 for HEAD without GET, and for a method outside the known ones', async () => {
    const res = await run(ok('/', ['POST']), 'HEAD', '/');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(await res.text()).toBe('Method Not Allowed');
    expect((await run(ok(), 'TRACE', '/')).status).toBe(405);
  });
  it('answers 404 with a plain-text body', async () => {
    const res = await run(ok('/a'), 'GET', '/b');
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe('Not Found');
  });
  it('answers 400 with the reason when the native event is not a request, without running the handler', async () => {
    let ran = false;
    const fn = http({ route: '/' }, () => ((ran = true), new Response()));
    const sink = vi.fn();
    const cause = new Error('why');
    const res = await dispatchHttp(fn, {
      method: 'GET',
      path: '/',
      request: () => {
        throw new BadEventError('faasport: the event has no path', { cause });
      },
      context: { ...context, logSink: sink },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('faasport: the event has no path');
    expect(ran).toBe(false);
    expect(sink).toHaveBeenCalledWith('warn', 'faasport: bad event, answered 400', { reason: 'faasport: the event has no path', error: cause });
  });
  it('answers 500 and logs when the request cannot be built for another reason', async () => {
    const sink = vi.fn();
    const error = new Error('adapter bug');
    const res = await dispatchHttp(ok(), {
      method: 'GET',
      path: '/',
      request: () => {
        throw error;
      },
      context: { ...context, logSink: sink },
    });
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('Internal Server Error');
    expect(sink).toHaveBeenCalledWith('error', 'faasport: the request could not be built', { error });
  });
  it('logs what a handler returned instead of a Response, and what a throwing handler threw', async () => {
    const sink = vi.fn();
    const res = await run(http({ route: '/' }, (() => 'hello') as never), 'GET', '/', sink);
    expect(await res.text()).toBe('Internal Server Error');
    expect(sink).toHaveBeenCalledWith('error', 'faasport: the handler did not return a Response', { returned: 'string' });
    const thrown = new Error('x');
    const sink2 = vi.fn();
    const res2 = await run(http({ route: '/' }, () => Promise.reject(thrown)), 'GET', '/', sink2);
    expect(await res2.text()).toBe('Internal Server Error');
    expect(sink2).toHaveBeenCalledWith('error', 'faasport: the handler threw', { error: thrown });
  });
  it('gives the handler the built request and the route params', async () => {
    const request = new Request('http://x/items/7');
    let seen: unknown[] = [];
    const fn = http({ route: '/items/:id' }, (req, ctx) => ((seen = [req, ctx.params]), new Response()));
    await dispatchHttp(fn, { method: 'GET', path: '/items/7', request: () => request, context });
    expect(seen).toEqual([request, { id: '7' }]);
    expect(seen[0]).toBe(request);
  });
});

describe('textResponse', () => {
  it('is plain UTF-8 text with the status, and extra headers on top', async () => {
    const res = textResponse(418, 'teapot', { 'x-a': '1' });
    expect(res.status).toBe(418);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('x-a')).toBe('1');
    expect(await res.text()).toBe('teapot');
  });
});

describe('readResponse of a real (undici) Response', () => {
  const real = (body: BodyInit | null, init?: ResponseInit) => new (nativeFetch().Response)(body, init) as Response;

  it('reads status, lower-case combined headers and the exact bytes', async () => {
    const headers = new (nativeFetch().Headers)();
    headers.append('X-Multi', 'a');
    headers.append('x-multi', 'b');
    const parts = await readResponse(real(new Uint8Array([0, 255]), { status: 201, headers }), 'GET');
    expect(parts.status).toBe(201);
    expect(parts.headers).toEqual({ 'x-multi': 'a, b' });
    expect(parts.cookies).toEqual([]);
    expect([...parts.body!]).toEqual([0, 255]);
  });
  it('cancels the body of a HEAD response instead of reading it', async () => {
    let cancelled = false;
    const stream = new ReadableStream({ cancel: () => void (cancelled = true) });
    const parts = await readResponse(real(stream), 'HEAD');
    expect(parts.body).toBeUndefined();
    expect(cancelled).toBe(true);
  });
  it('reads the body of a response to a method other than HEAD', async () => {
    expect(new TextDecoder().decode((await readResponse(real('hi'), 'POST')).body)).toBe('hi');
  });
});
