import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { ResponseParts } from '../../../core/http.js';
import { installFastFetch } from '../../../core/fetch/install.js';
import { apigwV1 } from './apigw-v1.js';

installFastFetch();
const event = (fields: Record<string, unknown>) => fields as unknown as APIGatewayProxyEvent;
const M = 'faasport/aws: malformed API Gateway REST API (payload 1.0) event: ';

describe('apigwV1 edges', () => {
  it('names a missing httpMethod even without requestContext', () => {
    expect(() => apigwV1.parse(event({ path: '/' }))).toThrow(`${M}httpMethod is missing; expected an HTTP method such as "GET"`);
  });

  it('names a multiValueHeaders map that is not an object', () => {
    expect(() => apigwV1.request(event({ multiValueHeaders: 5 }), { method: 'GET', path: '/' })).toThrow(
      `${M}multiValueHeaders is the number 5; expected an object of string arrays`,
    );
  });

  it('uses localhost for a hand-made event without requestContext', () => {
    expect(apigwV1.request(event({ headers: { a: '1' } }), { method: 'GET', path: '/' }).url).toBe('https://localhost/');
  });

  it('has no multiValueHeaders field when the response sets no cookie', () => {
    const parts: ResponseParts = { status: 204, headers: { 'x-a': '1' }, cookies: [], body: undefined };
    expect(apigwV1.result(parts, () => {})).toStrictEqual({ statusCode: 204, headers: { 'x-a': '1' }, body: '', isBase64Encoded: false });
  });
});
