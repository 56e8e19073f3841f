/**
 * registerBufferedHttp, what `faasport build` writes for an HTTP function that does not stream: it must answer
 * exactly as register() does (served through the real functions-framework in-process), and refuse what it
 * cannot serve.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { http, queue } from '../../core/define.js';
import { register, registerBufferedHttp } from './index.js';

const fn = http({ route: '/items/:id', methods: ['GET', 'POST'] }, async (req, ctx) => {
  if (ctx.params.id === 'boom') throw new Error('secret');
  const body = req.method === 'POST' ? await req.text() : null;
  return Response.json(
    { id: ctx.params.id, query: new URL(req.url).search, cookie: req.headers.get('cookie'), body, deadline: ctx.deadline !== undefined },
    { headers: { 'set-cookie': 'a=1' } },
  );
});

const bases = new Map<string, string>();
const servers: Server[] = [];
beforeAll(async () => {
  register('viaRegister', fn, { timeoutMs: 60_000 });
  registerBufferedHttp('viaBuffered', fn, { timeoutMs: 60_000 });
  for (const name of ['viaRegister', 'viaBuffered']) {
    const server = getTestServer(name);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    bases.set(name, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }
});
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function answer(name: string, path: string, init?: RequestInit) {
  const res = await fetch(`${bases.get(name)}${path}`, init);
  const headers = Object.fromEntries([...res.headers].filter(([key]) => key !== 'date'));
  return { status: res.status, headers, body: await res.text() };
}

describe('registerBufferedHttp (GCP)', () => {
  it.each([
    ['GET with query and cookie', '/items/7?a=1&a=2', { headers: { cookie: 'x=1' } }],
    ['POST with a body', '/items/8', { method: 'POST', body: 'hello' }],
    ['HEAD', '/items/9', { method: 'HEAD' }],
    ['405', '/items/9', { method: 'DELETE' }],
    ['404', '/other', undefined],
    ['500 from a throwing handler', '/items/boom', undefined],
  ] as const)('answers %s as register() does', async (_case, path, init) => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const reference = await answer('viaRegister', path, init as RequestInit | undefined);
      expect(await answer('viaBuffered', path, init as RequestInit | undefined)).toEqual(reference);
      if (path === '/items/7?a=1&a=2') expect(JSON.parse(reference.body)).toMatchObject({ id: '7', cookie: 'x=1', deadline: true });
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('refuses a streaming function, another kind, and a timeout that is not one', () => {
    const message = 'faasport/gcp: registerBufferedHttp("x") takes only an http() function that does not stream; use register() for any other';
    expect(() => registerBufferedHttp('x', http({ route: '/x', stream: true }, () => new Response('ok')))).toThrow(message);
    expect(() => registerBufferedHttp('x', queue({ queue: 'q' }, () => {}) as never)).toThrow(message);
    expect(() => registerBufferedHttp('x', null as never)).toThrow(message);
    expect(() => registerBufferedHttp('x', fn, { timeoutMs: 0 })).toThrow('faasport/gcp: timeoutMs must be a positive number');
  });

  it('registers a buffered http() function with the framework under its name, with or without a timeout', async () => {
    registerBufferedHttp('registeredInTest', fn);
    const server = getTestServer('registeredInTest');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/items/3`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ id: '3', query: '', cookie: null, body: null, deadline: false });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
