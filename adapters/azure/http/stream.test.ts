/**
 * Streaming functions on Azure (v4 model, `app.setup({ enableHttpStream: true })`). In stream mode the
 * @azure/functions library takes each HTTP invocation on an HTTP server of its own in the worker, the host's
 * request carrying `x-ms-invocation-id`, and writes the handler's HttpResponseInit to it: headers, status, each
 * cookie, then every chunk of the body as it reads it (Azure/azure-functions-nodejs-library
 * src/http/httpProxy.ts, sendProxyResponse; 4.16.5 here). `proxyTo` below plays that last part over a real
 * node:http server with the library's own HttpResponse; the real library streams through the Azure emulator in
 * the conformance suite.
 */
import azureFunctions from '@azure/functions';
import type { HttpResponseInit } from '@azure/functions';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { channel } from 'node:diagnostics_channel';
import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { http } from '../../../core/define.js';
import type { HttpFunction } from '../../../core/types.js';
import { adapt } from '../adapt.js';

const { HttpRequest, HttpResponse, InvocationContext } = azureFunctions;
const encoder = new TextEncoder();
const INVOCATION_ID_HEADER = 'x-ms-invocation-id';

interface Logged {
  level: string;
  args: unknown[];
}

/** Adapts as the app does when it loads (before any request: that is also when faasport starts watching the proxy). */
const adapted = (fn: HttpFunction) => adapt(fn, { name: 'streamer' });

function invoke(handler: ReturnType<typeof adapted>, invocationId: string, logs: Logged[] = []) {
  const context = new InvocationContext({ invocationId, functionName: 'streamer', logHandler: (level, ...args) => logs.push({ level, args }) });
  return handler(new HttpRequest({ method: 'GET', url: 'https://app.azurewebsites.net/feed' }), context);
}

/** What the library's proxy does with an HttpResponseInit: head, cookies, then each chunk as it is read. */
async function proxyTo(res: ServerResponse, init: HttpResponseInit): Promise<void> {
  const response = new HttpResponse(init);
  for (const [name, value] of response.headers.entries()) res.setHeader(name, value);
  res.statusCode = response.status;
  if (response.cookies.length > 0) res.setHeader('set-cookie', response.cookies.map((c) => `${c.name}=${c.value}${c.path ? `; Path=${c.path}` : ''}`));
  if (response.body) for await (const chunk of response.body.values()) res.write(chunk);
  res.end();
}

describe('Azure streamed responses (HTTP stream mode)', () => {
  it('status, headers and both Set-Cookie are in the response init, and the body is a stream read chunk by chunk', async () => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    const fn = http({ route: '/feed', stream: true }, () => {
      const headers = new Headers({ 'content-type': 'text/event-stream', 'x-streamed': 'yes' });
      headers.append('set-cookie', 'session=s1; Path=/; HttpOnly');
      headers.append('set-cookie', 'theme=dark; Path=/');
      return new Response(
        new ReadableStream<Uint8Array>({
          async start(controller) {
            controller.enqueue(encoder.encode('data: 1\n\n'));
            await opened; // the last chunk exists only once the test has read the first
            controller.enqueue(encoder.encode('data: 2\n\n'));
            controller.close();
          },
        }),
        { status: 201, headers },
      );
    });
    const init = await invoke(adapted(fn), 'inv-head');
    expect(init.status).toBe(201);
    expect(init.headers).toEqual({ 'content-type': 'text/event-stream', 'x-streamed': 'yes' });
    expect(init.cookies).toEqual([
      expect.objectContaining({ name: 'session', value: 's1', path: '/', httpOnly: true }),
      expect.objectContaining({ name: 'theme', value: 'dark', path: '/' }),
    ]);
    expect(init.body).toBeInstanceOf(ReadableStream);
    const reader = (init.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: 1\n\n');
    open();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: 2\n\n');
    expect((await reader.read()).done).toBe(true);
  });

  it('a stream that fails mid-way errors the body the library reads, and context.error logs it with its cause', async () => {
    let n = 0;
    const fn = http({ route: '/feed', stream: true }, () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            if (n++ === 1) throw new Error('the event source failed', { cause: new Error('upstream model went away') });
            controller.enqueue(encoder.encode('data: 1\n\n'));
          },
        }),
      ),
    );
    const logs: Logged[] = [];
    const init = await invoke(adapted(fn), 'inv-fails', logs);
    const reader = (init.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: 1\n\n');
    // The library's read fails (it then stops writing and the response is not completed); the message says where
    // the details are, the log has them.
    await expect(reader.read()).rejects.toThrow(/failed mid-way \(the log has the error\)/);
    const errors = logs.filter((entry) => entry.level === 'error');
    expect(errors).toHaveLength(1);
    const logged = errors[0]!.args;
    expect(String(logged[0])).toMatch(/response stream failed after the response had started/);
    const error = (logged[1] as { error: Error }).error;
    expect(error.message).toBe('the event source failed');
    expect((error.cause as Error).message).toBe('upstream model went away');
  });

  describe('a client that goes away', () => {
    const handlers: Record<string, ReturnType<typeof adapted>> = {};
    let server: Server;
    let url: string;

    beforeAll(async () => {
      // The library's proxy server: it learns the invocation from the host's header, then writes the handler's answer.
      server = createServer((req: IncomingMessage, res: ServerResponse) => {
        const invocationId = String(req.headers[INVOCATION_ID_HEADER]);
        void invoke(handlers[invocationId]!, invocationId)
          .then((init) => proxyTo(res, init))
          .catch(() => res.destroy());
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed`;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    /** GET through the proxy as invocation `invocationId`; resolves with the body, or after the first chunk when `leave`. */
    const get = (invocationId: string, leave: boolean) =>
      new Promise<string>((resolve, reject) => {
        const req = request(url, { headers: { [INVOCATION_ID_HEADER]: invocationId } }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => {
            body += chunk.toString('utf8');
            if (leave) {
              req.destroy();
              resolve(body);
            }
          });
          res.on('end', () => resolve(body));
        });
        req.on('error', (error) => (leave ? resolve('') : reject(error)));
        req.end();
      });

    it('aborts ctx.signal and cancels the handler stream when its proxied request closes early', async () => {
      let aborted: unknown;
      let cancelled: unknown;
      handlers['inv-gone'] = adapted(
        http({ route: '/feed', stream: true }, (_req, ctx) => {
          ctx.signal.addEventListener('abort', () => (aborted = ctx.signal.reason));
          return new Response(
            new ReadableStream<Uint8Array>({
              async pull(controller) {
                await new Promise((r) => setTimeout(r, 5));
                controller.enqueue(encoder.encode('tick\n'));
              },
              cancel: (reason) => void (cancelled = reason),
            }),
          );
        }),
      );
      expect(await get('inv-gone', true)).toContain('tick');
      await vi.waitFor(() => expect(aborted).toBeInstanceOf(Error), { timeout: 5000 });
      expect((aborted as Error).message).toMatch(/client closed the connection/);
      await vi.waitFor(() => expect(cancelled).toBe(aborted), { timeout: 5000 });
    });

    it('leaves ctx.signal alone when the response completes', async () => {
      let signal: AbortSignal | undefined;
      handlers['inv-complete'] = adapted(
        http({ route: '/feed', stream: true }, (_req, ctx) => {
          signal = ctx.signal;
          return new Response(new ReadableStream({ start: (c) => (c.enqueue(encoder.encode('whole')), c.close()) }));
        }),
      );
      expect(await get('inv-complete', false)).toBe('whole');
      await new Promise((r) => setTimeout(r, 50)); // the response's 'close' has come and gone
      expect(signal?.aborted).toBe(false);
    });

    it('once the body is read to its end, ctx.signal no longer aborts at the deadline and no timer of the invocation is left', async () => {
      let signal: AbortSignal | undefined;
      const handler = adapt(
        http({ route: '/feed', stream: true }, (_req, ctx) => {
          signal = ctx.signal;
          return new Response(new ReadableStream({ start: (c) => (c.enqueue(encoder.encode('whole')), c.close()) }));
        }),
        { name: 'streamer', timeoutMs: 3000 },
      );
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      try {
        const init = await invoke(handler, 'inv-deadline');
        expect(vi.getTimerCount()).toBe(1); // the body is not read yet: the invocation is still on
        const chunks: Uint8Array[] = [];
        for await (const chunk of new HttpResponse(init).body!.values()) chunks.push(chunk as Uint8Array);
        expect(Buffer.concat(chunks).toString()).toBe('whole');
        expect(vi.getTimerCount()).toBe(0);
        vi.advanceTimersByTime(10_000);
        expect(signal?.aborted).toBe(false);
      } finally {
        vi.useRealTimers();
      }
    });
  });
});

describe('watching the proxied requests (node:diagnostics_channel)', () => {
  const publish = (headers: Record<string, string>) => {
    const response = Object.assign(new EventEmitter(), { writableFinished: false });
    channel('http.server.request.start').publish({ request: { headers }, response });
    return response;
  };

  it('listens once however often it is started, only to requests naming an invocation, and aborts when one closes unfinished', async () => {
    // A fresh copy of the module, so that this test starts the watch (other tests may have started this copy's).
    vi.resetModules();
    const stream = await import('./stream.js');
    const before = publish({ 'x-ms-invocation-id': 'inv-watch-0' }).listenerCount('close');
    stream.watchProxiedRequests();
    stream.watchProxiedRequests();
    expect(publish({}).listenerCount('close')).toBe(0);
    const named = publish({ 'x-ms-invocation-id': 'inv-watch-1' });
    expect(named.listenerCount('close')).toBe(before + 1);
    const signal = stream.proxiedRequestGone('inv-watch-1');
    named.emit('close');
    expect(signal.aborted).toBe(true);
  });
});

describe('Azure streamed responses without a body', () => {
  it('a 204 from a streaming function goes with no body key', async () => {
    const init = await invoke(adapted(http({ route: '/feed', stream: true }, () => new Response(null, { status: 204 }))), 'inv-no-body');
    expect(init.status).toBe(204);
    expect('body' in init).toBe(false);
  });
});
