import azureFunctions from '@azure/functions';
import { describe, expect, it } from 'vitest';
import type { RegisteredFunction } from './protocol.js';
import { FunctionFailedError, formatSetCookie, fromInvocationResponse, queryValues, toInvocationRequest, toRpcHttp } from './rpc.js';

const fn: RegisteredFunction = {
  functionId: 'getItem',
  name: 'getItem',
  bindings: {
    httpTrigger1a2b3c: { type: 'httpTrigger', direction: 'in', route: 'items/{id}', methods: ['GET'], authLevel: 'anonymous' },
    $return: { type: 'http', direction: 'out' },
  },
};

describe('host -> worker request', () => {
  const http = toRpcHttp(
    {
      method: 'post',
      url: 'http://127.0.0.1:7071/items/a%20b?tag=1&tag=2&q=x+y',
      headers: { 'content-type': ['application/octet-stream'], 'x-multi': ['a', 'b'], cookie: ['a=1; b=2'] },
      body: new Uint8Array([0, 255, 1]),
    },
    { id: 'a b' },
  );

  it('has the nullable shapes the Node worker asks for', () => {
    expect(http).toEqual({
      method: 'POST',
      url: 'http://127.0.0.1:7071/items/a%20b?tag=1&tag=2&q=x+y',
      nullableHeaders: { 'content-type': { value: 'application/octet-stream' }, 'x-multi': { value: 'a,b' }, cookie: { value: 'a=1; b=2' } },
      nullableQuery: { tag: { value: '1,2' }, q: { value: 'x y' } },
      nullableParams: { id: { value: 'a b' } },
      body: { bytes: new Uint8Array([0, 255, 1]) },
    });
  });

  it('is read by the real @azure/functions HttpRequest as the request that was sent', async () => {
    const req = new azureFunctions.HttpRequest(http as ConstructorParameters<typeof azureFunctions.HttpRequest>[0]);
    expect(req.method).toBe('POST');
    expect(req.url).toBe('http://127.0.0.1:7071/items/a%20b?tag=1&tag=2&q=x+y');
    expect(req.params).toEqual({ id: 'a b' });
    expect(req.query.get('tag')).toBe('1,2'); // the host's merge, which faasport avoids by reading the URL
    expect(req.headers.get('x-multi')).toBe('a,b');
    expect(new Uint8Array(await req.arrayBuffer())).toEqual(new Uint8Array([0, 255, 1]));
  });

  it('sends no body field for an empty body', () => {
    const empty = toRpcHttp({ method: 'GET', url: 'http://h/x', headers: {}, body: new Uint8Array(0) }, {});
    expect(empty).not.toHaveProperty('body');
  });

  it('wraps it in an invocation request addressed to the trigger binding', () => {
    const request = toInvocationRequest({ invocationId: 'inv-1', fn, http, traceParent: '00-abc-def-00' });
    expect(request).toEqual({
      invocationId: 'inv-1',
      functionId: 'getItem',
      inputData: [{ name: 'httpTrigger1a2b3c', data: { http } }],
      triggerMetadata: {},
      traceContext: { traceParent: '00-abc-def-00', traceState: '', attributes: {} },
      retryContext: null,
    });
  });

  it('joins repeated query keys with "," and decodes them as ASP.NET does', () => {
    expect(queryValues('?a=1&a=2&b=%C3%A9&c')).toEqual({ a: '1,2', b: 'é', c: '' });
  });
});

describe('worker -> host response', () => {
  it('turns the $return http data into status, headers, one Set-Cookie per cookie and body bytes', () => {
    const answer = fromInvocationResponse(fn, {
      invocationId: 'inv-1',
      result: { status: 'success' },
      returnValue: {
        http: {
          statusCode: '201',
          headers: { 'content-type': 'application/octet-stream', 'content-length': '999' },
          cookies: [
            { name: 'a', value: '1', sameSite: 'none' },
            { name: 'b', value: '2', path: { value: '/x' }, sameSite: 'strict', httpOnly: { value: true } },
          ],
          body: { bytes: new Uint8Array([9, 8]) },
        },
      },
    });
    expect(answer).toEqual({
      status: 201,
      headers: { 'content-type': 'application/octet-stream' },
      setCookies: ['a=1; path=/', 'b=2; path=/x; samesite=strict; httponly'],
      body: new Uint8Array([9, 8]),
    });
  });

  it('makes a failed invocation a FunctionFailedError (the host answers 500, empty)', () => {
    expect(() =>
      fromInvocationResponse(fn, { invocationId: 'i', result: { status: 'failure', exception: { message: 'boom', stackTrace: 'Error: boom' } } }),
    ).toThrow(FunctionFailedError);
  });

  it('writes a string body as UTF-8', () => {
    const answer = fromInvocationResponse(fn, { result: { status: 'success' }, returnValue: { http: { statusCode: '200', body: { string: 'héllo' } } } });
    expect(new TextDecoder().decode(answer.body)).toBe('héllo');
  });
});

describe('formatSetCookie (ASP.NET Core SetCookieHeaderValue through ResponseCookies.Append)', () => {
  it('writes every attribute in the host order with lower-case names', () => {
    expect(
      formatSetCookie({
        name: 'id',
        value: 'a3fWa',
        expires: { value: { seconds: 1445412480 } },
        maxAge: { value: 600 },
        domain: { value: 'example.com' },
        path: { value: '/docs' },
        secure: { value: true },
        sameSite: 'explicitNone',
        httpOnly: { value: true },
      }),
    ).toBe('id=a3fWa; expires=Wed, 21 Oct 2015 07:28:00 GMT; max-age=600; domain=example.com; path=/docs; secure; samesite=none; httponly');
  });

  it('defaults the path to "/" and percent-encodes the value (Uri.EscapeDataString)', () => {
    expect(formatSetCookie({ name: 't', value: 'a b=c/+' })).toBe('t=a%20b%3Dc%2F%2B; path=/');
  });

  it('fails on a negative max-age, as the host does', () => {
    expect(() => formatSetCookie({ name: 't', value: 'x', maxAge: { value: -1 } })).toThrow(RangeError);
  });
});
