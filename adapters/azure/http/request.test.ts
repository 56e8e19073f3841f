import azureFunctions from '@azure/functions';
import { describe, expect, it, vi } from 'vitest';
import { BadEventError } from '../../../core/errors.js';
import { isLightRequest } from '../../../core/fetch/request.js';
import { readNativeBody, readNativeRequest, toFetchRequest } from './request.js';

const { HttpRequest } = azureFunctions;

const headersOf = () => new HttpRequest({ method: 'GET', url: 'https://example.com/', headers: { 'x-a': '1' } }).headers;

describe('readNativeRequest', () => {
  it('names null and the type of anything that is no object', () => {
    expect(() => readNativeRequest(null as never)).toThrow(new BadEventError('faasport/azure: expected an HttpRequest from @azure/functions, got null'));
    expect(() => readNativeRequest('GET /' as never)).toThrow(new BadEventError('faasport/azure: expected an HttpRequest from @azure/functions, got string'));
  });

  it('refuses an empty method', () => {
    const request = { method: '', url: 'https://example.com/', headers: headersOf() };
    expect(() => readNativeRequest(request as never)).toThrow(new BadEventError('faasport/azure: the HttpRequest has no method'));
  });

  it('quotes a url that is text but not absolute', () => {
    const request = { method: 'GET', url: 'nope', headers: headersOf() };
    expect(() => readNativeRequest(request as never)).toThrow(new BadEventError('faasport/azure: the HttpRequest url "nope" is not an absolute URL'));
  });

  it('reads a url not in serialised form through the URL parser, method upper-cased', () => {
    const headers = headersOf();
    const parts = readNativeRequest({ method: 'get', url: 'https://EXAMPLE.com/a%20b?q=1', headers } as never);
    expect(parts).toEqual({ method: 'GET', url: 'https://example.com/a%20b?q=1', path: '/a%20b', headers });
  });

  it('cuts the path out of a serialised url without its query', () => {
    const request = new HttpRequest({ method: 'POST', url: 'https://example.com/api/x?y=1' });
    expect(readNativeRequest(request)).toMatchObject({ method: 'POST', url: 'https://example.com/api/x?y=1', path: '/api/x' });
  });
});

describe('readNativeBody', () => {
  const withBody = { arrayBuffer: async () => new Uint8Array([1, 2]).buffer } as never;

  it('reads no body for GET and HEAD, whatever the request holds', async () => {
    expect(await readNativeBody(withBody, 'GET')).toBeUndefined();
    expect(await readNativeBody(withBody, 'HEAD')).toBeUndefined();
  });

  it('reads the exact bytes for other methods, and none when empty', async () => {
    expect([...((await readNativeBody(withBody, 'POST')) ?? [])]).toEqual([1, 2]);
    const empty = new HttpRequest({ method: 'POST', url: 'https://example.com/' });
    expect(await readNativeBody(empty, 'POST')).toBeUndefined();
  });
});

describe('toFetchRequest', () => {
  it('makes a light request by default, with the method, url, headers and body', async () => {
    const request = toFetchRequest({ method: 'PUT', url: 'https://example.com/p', path: '/p', headers: headersOf() }, new Uint8Array([104, 105]));
    expect(isLightRequest(request)).toBe(true);
    expect([request.method, request.url, request.headers.get('x-a'), await request.text()]).toEqual(['PUT', 'https://example.com/p', '1', 'hi']);
  });

  it('makes Node\'s own Request under FAASPORT_NATIVE_FETCH=1, with the method, url, headers and body', async () => {
    const saved = process.env.FAASPORT_NATIVE_FETCH;
    process.env.FAASPORT_NATIVE_FETCH = '1';
    let module: typeof import('./request.js');
    let fresh: typeof import('../../../core/fetch/request.js');
    try {
      vi.resetModules();
      module = await import('./request.js');
      fresh = await import('../../../core/fetch/request.js');
      const install = await import('../../../core/fetch/install.js');
      expect(install.fastFetchEnabled()).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.FAASPORT_NATIVE_FETCH;
      else process.env.FAASPORT_NATIVE_FETCH = saved;
    }
    const request = module.toFetchRequest({ method: 'PUT', url: 'https://example.com/p', path: '/p', headers: headersOf() }, new Uint8Array([104, 105]));
    expect(fresh.isLightRequest(request)).toBe(false);
    expect(Object.getPrototypeOf(request)).toBe(Request.prototype);
    expect([request.method, request.url, request.headers.get('x-a'), await request.text()]).toEqual(['PUT', 'https://example.com/p', '1', 'hi']);
  });
});
