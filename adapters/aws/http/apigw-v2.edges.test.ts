import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { ResponseParts } from '../../../core/http.js';
import { installFastFetch } from '../../../core/fetch/install.js';
import { apigwV2 } from './apigw-v2.js';

installFastFetch();
const event = (fields: Record<string, unknown>) => fields as unknown as APIGatewayProxyEventV2;
const M = 'faasport/aws: malformed API Gateway HTTP API / Function URL (payload 2.0) event: ';

describe('apigwV2.parse edges', () => {
  it('names a missing requestContext.http.method even without requestContext', () => {
    expect(() => apigwV2.parse(event({}))).toThrow(`${M}requestContext.http.method is missing; expected an HTTP method such as "GET"`);
  });

  it('takes requestContext.http.path when rawPath is absent, and names rawPath when both are', () => {
    expect(apigwV2.parse(event({ requestContext: { http: { method: 'get', path: '/p q' } } }))).toEqual({ method: 'GET', path: '/p%20q', decoded: undefined });
    expect(() => apigwV2.parse(event({ requestContext: { http: { method: 'GET' } } }))).toThrow(
      `${M}rawPath is missing; expected a path starting with "/" such as "/items/42"`,
    );
  });
});

describe('apigwV2.request edges', () => {
  it('uses localhost and no query for a hand-made event without requestContext or rawQueryString', () => {
    expect(apigwV2.request(event({}), { method: 'GET', path: '/' }).url).toBe('https://localhost/');
    expect(apigwV2.request(event({ rawQueryString: 5 }), { method: 'GET', path: '/' }).url).toBe('https://localhost/');
    expect(apigwV2.request(event({ rawQueryString: 'a=1' }), { method: 'GET', path: '/' }).url).toBe('https://localhost/?a=1');
  });
});

describe('apigwV2.result edges', () => {
  it('has no cookies field when the response sets none', () => {
    const parts: ResponseParts = { status: 204, headers: { 'x-a': '1' }, cookies: [], body: undefined };
    expect(apigwV2.result(parts, () => {})).toStrictEqual({ statusCode: 204, headers: { 'x-a': '1' }, body: '', isBase64Encoded: false });
  });
});
