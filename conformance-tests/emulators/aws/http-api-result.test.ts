import { describe, expect, it } from 'vitest';
import { toGatewayResponse } from './http-api-result.js';

const payload = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
const text = (body: Uint8Array): string => new TextDecoder().decode(body);
const INTERNAL = { status: 500, headers: [['content-type', 'application/json']], body: payload({ message: 'Internal Server Error' }) };

describe('toGatewayResponse', () => {
  it('maps a structured result: status, headers, body', () => {
    const res = toGatewayResponse(payload({ statusCode: 201, headers: { 'X-Id': 7, 'content-type': 'text/plain' }, body: 'made' }), undefined);
    expect(res.status).toBe(201);
    expect(res.headers).toEqual([['x-id', '7'], ['content-type', 'text/plain']]);
    expect(text(res.body)).toBe('made');
  });

  it('turns each cookie into its own Set-Cookie header', () => {
    const res = toGatewayResponse(payload({ statusCode: 200, cookies: ['a=1; Path=/', 'b=2, with comma; HttpOnly'] }), undefined);
    expect(res.headers).toEqual([
      ['set-cookie', 'a=1; Path=/'],
      ['set-cookie', 'b=2, with comma; HttpOnly'],
    ]);
  });

  it('decodes a base64 body to exact bytes', () => {
    const bytes = new Uint8Array([0, 255, 128, 0xc3, 0x28]);
    const res = toGatewayResponse(payload({ statusCode: 200, body: Buffer.from(bytes).toString('base64'), isBase64Encoded: true }), undefined);
    expect(res.body).toEqual(bytes);
  });

  it('ignores v1 multiValueHeaders and drops framing headers', () => {
    const res = toGatewayResponse(
      payload({ statusCode: 200, multiValueHeaders: { 'x-a': ['1', '2'] }, headers: { 'content-length': '999', 'transfer-encoding': 'chunked' } }),
      undefined,
    );
    expect(res.headers).toEqual([]);
    expect(res.body.byteLength).toBe(0);
  });

  it('infers 200 application/json when the result has no statusCode', () => {
    const object = toGatewayResponse(payload({ hello: 'world' }), undefined);
    expect(object).toEqual({ status: 200, headers: [['content-type', 'application/json']], body: payload({ hello: 'world' }) });
    expect(text(toGatewayResponse(payload('Hello from Lambda!'), undefined).body)).toBe('Hello from Lambda!');
    expect(text(toGatewayResponse(payload([1, 2]), undefined).body)).toBe('[1,2]');
  });

  it('answers any function error with 500 {"message":"Internal Server Error"}', () => {
    expect(toGatewayResponse(payload({ errorType: 'Error', errorMessage: 'x' }), 'Unhandled')).toEqual(INTERNAL);
    expect(toGatewayResponse(payload({ statusCode: 200, body: 'fine' }), 'Handled')).toEqual(INTERNAL);
  });

  it('answers an unusable result with 500', () => {
    for (const bad of [
      { statusCode: 99 },
      { statusCode: 'abc' },
      { statusCode: 200.5 },
      { statusCode: 200, body: { not: 'a string' } },
      { statusCode: 200, headers: 'x' },
      { statusCode: 200, headers: { 'x-a': ['1'] } },
      { statusCode: 200, headers: { 'bad name': '1' } },
      { statusCode: 200, headers: { 'x-a': 'line\nbreak' } },
      { statusCode: 200, cookies: 'a=1' },
    ]) {
      expect(toGatewayResponse(payload(bad), undefined)).toEqual(INTERNAL);
    }
    expect(toGatewayResponse(new TextEncoder().encode('{not json'), undefined)).toEqual(INTERNAL);
  });
});
