import type { ALBEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import type { ResponseParts } from '../../../core/http.js';
import { albEvents, albMultiValue, albSingle } from './alb.js';
import type { ShapeReader } from './common.js';

const event = (fields: Record<string, unknown>) => ({ httpMethod: 'GET', path: '/', ...fields }) as unknown as ALBEvent;
const HEAD = { method: 'GET', path: '/' };
const parts = (cookies: string[]): ResponseParts => ({ status: 200, headers: { 'x-a': '1' }, cookies, body: undefined });

describe('ALB shapes: messages name the target group mode and the field', () => {
  it('single-value', () => {
    expect(() => albSingle.parse(event({ httpMethod: '' }))).toThrow(
      'faasport/aws: malformed ALB (single-value headers) event: httpMethod is an empty string; expected an HTTP method such as "GET"',
    );
    expect(() => albSingle.parse(event({ path: 'x' }))).toThrow(
      'faasport/aws: malformed ALB (single-value headers) event: path is the string "x"; expected a path starting with "/" such as "/items/42"',
    );
    expect(() => albSingle.request(event({ headers: 5 }), HEAD)).toThrow(
      'faasport/aws: malformed ALB (single-value headers) event: headers is the number 5; expected an object of string values',
    );
  });

  it('multi-value', () => {
    expect(() => albMultiValue.parse(event({ httpMethod: '' }))).toThrow(
      'faasport/aws: malformed ALB (multi-value headers) event: httpMethod is an empty string; expected an HTTP method such as "GET"',
    );
    expect(() => albMultiValue.request(event({ multiValueHeaders: {}, headers: 5 }), HEAD)).toThrow(
      'faasport/aws: malformed ALB (multi-value headers) event: headers is the number 5; expected an object of string values',
    );
    expect(() => albMultiValue.request(event({ multiValueHeaders: {}, queryStringParameters: 5 }), HEAD)).toThrow(
      'faasport/aws: malformed ALB (multi-value headers) event: queryStringParameters is the number 5; expected an object of string values',
    );
  });
});

describe('ALB results without cookies carry no set-cookie header', () => {
  it('single-value', () => {
    const warn = vi.fn();
    expect(albSingle.result(parts([]), warn)).toEqual({ statusCode: 200, statusDescription: '200 OK', headers: { 'x-a': '1' }, body: '', isBase64Encoded: false });
    expect(warn).not.toHaveBeenCalled();
  });

  it('multi-value', () => {
    expect(albMultiValue.result(parts([]), () => {})).toEqual({
      statusCode: 200,
      statusDescription: '200 OK',
      multiValueHeaders: { 'x-a': ['1'] },
      body: '',
      isBase64Encoded: false,
    });
  });

  it('single-value mode warns, in full, that cookies after the first were dropped', () => {
    const warn = vi.fn();
    expect(albSingle.result(parts(['a=1', 'b=2', 'c=3']), warn).headers).toEqual({ 'x-a': '1', 'set-cookie': 'a=1' });
    expect(warn).toHaveBeenCalledWith(
      'faasport: the response sets 3 cookies, but this ALB target group sends single-value headers, so only the first Set-Cookie reaches the client. ' +
        'Fix: enable multi-value headers on the target group (attribute lambda.multi_value_headers.enabled=true).',
      { dropped: 2 },
    );
  });
});

describe('albEvents.shapeOf', () => {
  it('picks the multi-value shape when either multi-value map is present', () => {
    const reader = albEvents as ShapeReader;
    expect(reader.shapeOf({ multiValueQueryStringParameters: {} })).toBe(albMultiValue);
    expect(reader.shapeOf({ multiValueHeaders: {} })).toBe(albMultiValue);
    expect(reader.shapeOf({ headers: {} })).toBe(albSingle);
  });
});
