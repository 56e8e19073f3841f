/** Streaming functions through the real functions-framework server (getTestServer), over real sockets. */
import type { Server } from 'node:http';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { http } from '../../core/define.js';
import { register } from './index.js';

const encoder = new TextEncoder();
const gates: Record<string, () => void> = {};
const gate = (name: string) => new Promise<void>((resolve) => (gates[name] = resolve));
let cancelled: unknown;
let aborted: unknown;

const functions = {
  'gcp-stream-gated': http({ route: '/gated', stream: true }, () => {
    const opened = gate('gated');
    return new Response(
      new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(encoder.encode('first;'));
          await opened; // the test opens the gate only once it has read the first chunk
          controller.enqueue(encoder.encode('last'));
          controller.close();
        },
      }),
      { status: 207, headers: [['content-type', 'text/plain'], ['set-cookie', 'a=1; Path=/'], ['set-cookie', 'b=2; Path=/']] },
    );
  }),
  'gcp-stream-forever': http({ route: '/forever', stream: true }, (_req, ctx) => {
    ctx.signal.addEventListener('abort', () => (aborted = ctx.signal.reason));
    return new Response(
      new ReadableStream<Uint8Array>({
        pull: async (controller) => {
          await new Promise((r) => setTimeout(r, 5));
          controller.enqueue(encoder.encode('tick\n'));
        },
        cancel: (reason) => {
          cancelled = reason;
        },
      }),
    );
  }),
  'gcp-stream-fails': http({ route: '/fails', stream: true }, () => {
    let sent = false;
    return new Response(
      new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent) throw new Error('generator broke', { cause: new Error('upstream model went away') });
          sent = true;
          controller.enqueue(encoder.encode('partial'));
        },
      }),
    );
  }),
  'gcp-buffered': http({ route: '/buffered' }, () => new Response(new ReadableStream({ start: (c) => (c.enqueue(encoder.encode('whole')), c.close()) }))),
};

const servers: Record<string, { server: Server; url: string }> = {};

beforeAll(async () => {
  for (const [name, fn] of Object.entries(functions)) {
    register(name, fn);
    const server = getTestServer(name);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers[name] = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }
});
afterAll(async () => {
  for (const { server } of Object.values(servers)) await new Promise((r) => server.close(r));
});

describe('GCP streamed responses', () => {
  it('the first chunk reaches the client before the handler produced the last', async () => {
    const res = await fetch(`${servers['gcp-stream-gated']!.url}/gated`);
    expect(res.status).toBe(207);
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('first;');
    gates.gated!();
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    expect(rest).toBe('last');
  });

  it('a client that goes away aborts ctx.signal and cancels the stream', async () => {
    aborted = cancelled = undefined;
    await new Promise<void>((resolve, reject) => {
      const req = request(`${servers['gcp-stream-forever']!.url}/forever`, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => {});
      req.on('close', resolve);
      req.end();
      setTimeout(() => reject(new Error('no data')), 5000).unref();
    });
    await vi.waitFor(() => expect(aborted).toBeInstanceOf(Error), { timeout: 5000 });
    await vi.waitFor(() => expect(cancelled).toBe(aborted));
    expect(String((aborted as Error).message)).toMatch(/client closed the connection/);
  });

  it('a stream that fails mid-way cuts the connection and logs the error with its cause', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: unknown) => void lines.push(String(line)));
    try {
      const res = await fetch(`${servers['gcp-stream-fails']!.url}/fails`);
      expect(res.status).toBe(200);
      await expect(res.text()).rejects.toThrow();
      await vi.waitFor(() => expect(lines.join('\n')).toMatch(/upstream model went away/));
      expect(lines.join('\n')).toMatch(/generator broke/);
    } finally {
      spy.mockRestore();
    }
  });

  it('without stream: true a stream body is buffered and sent with a Content-Length', async () => {
    const res = await fetch(`${servers['gcp-buffered']!.url}/buffered`);
    expect(res.headers.get('content-length')).toBe('5');
    expect(await res.text()).toBe('whole');
  });
});
