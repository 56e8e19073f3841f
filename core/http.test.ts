import { describe, expect, it, vi } from 'vitest';
import { http } from './define.js';
import { dispatchHttp, readResponse } from './http.js';

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
