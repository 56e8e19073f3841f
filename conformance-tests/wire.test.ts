import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseWireResponse, wireRequest } from './wire.js';

describe('parseWireResponse', () => {
  it('splits status, headers and the bytes after them', () => {
    const res = parseWireResponse(Buffer.from('HTTP/1.1 204 No Content\r\nX-Empty: yes\r\nDate: now\r\n\r\nabc'));
    expect(res.status).toBe(204);
    expect(res.headers).toEqual([['x-empty', 'yes'], ['date', 'now']]);
    expect(Buffer.from(res.body).toString()).toBe('abc');
  });

  it('refuses an answer without a complete header block', () => {
    expect(() => parseWireResponse(Buffer.from('HTTP/1.1 200 OK\r\nX: 1\r\n'))).toThrow(/no complete header block/);
  });
});

describe('wireRequest', () => {
  let close: (() => void) | undefined;
  afterEach(() => close?.());

  // A server that writes a body after a 204, as a faulty front door could: fetch would hide it.
  it('shows bytes a server sends after the headers of a 204', async () => {
    let request = '';
    const server = createServer((socket) => {
      socket.on('data', (chunk) => {
        request += chunk.toString('latin1');
        if (request.includes('\r\n\r\n')) socket.end('HTTP/1.1 204 No Content\r\nX-Empty: yes\r\n\r\nleak');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    close = () => server.close();
    const { port } = server.address() as AddressInfo;
    const res = await wireRequest(`http://127.0.0.1:${port}`, '/empty?x=1', { method: 'HEAD' });
    expect(request.startsWith('HEAD /empty?x=1 HTTP/1.1\r\n')).toBe(true);
    expect(request).toContain('Connection: close\r\n');
    expect(res.status).toBe(204);
    expect(Buffer.from(res.body).toString()).toBe('leak');
  });
});
