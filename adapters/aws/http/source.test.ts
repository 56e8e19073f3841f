import { describe, expect, it } from 'vitest';
import { describeEvent, httpEventSource } from './source.js';

describe('httpEventSource', () => {
  it('answers undefined for null, a string and an object of no known kind', () => {
    expect(httpEventSource(null)).toBeUndefined();
    expect(httpEventSource('x')).toBeUndefined();
    expect(httpEventSource({ version: '3.0', requestContext: { stage: 'prod' } })).toBeUndefined();
    expect(httpEventSource({ requestContext: null })).toBeUndefined();
  });

  it('answers undefined for no event at all (undefined), a number and a boolean', () => {
    expect(httpEventSource(undefined)).toBeUndefined();
    expect(httpEventSource(42)).toBeUndefined();
    expect(httpEventSource(true)).toBeUndefined();
  });

  it('tells payload 2.0 by its version alone, or by requestContext.http', () => {
    expect(httpEventSource({ version: '2.0' })).toBe('apigw-v2');
    expect(httpEventSource({ requestContext: { http: {} } })).toBe('apigw-v2');
  });

  it('tells payload 1.0 by httpMethod, version "1.0", requestContext.resourcePath or requestContext.httpMethod, each alone', () => {
    expect(httpEventSource({ httpMethod: 'GET' })).toBe('apigw-v1');
    expect(httpEventSource({ version: '1.0' })).toBe('apigw-v1');
    expect(httpEventSource({ requestContext: { resourcePath: '/x' } })).toBe('apigw-v1');
    expect(httpEventSource({ requestContext: { httpMethod: 'GET' } })).toBe('apigw-v1');
  });

  it('tells ALB by requestContext.elb', () => {
    expect(httpEventSource({ httpMethod: 'GET', requestContext: { elb: {} } })).toBe('alb');
  });
});

describe('describeEvent (HTTP)', () => {
  it('lists at most six keys, then ", ..."', () => {
    expect(describeEvent({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 })).toBe('an object with keys a, b, c, d, e, f');
    expect(describeEvent({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7 })).toBe('an object with keys a, b, c, d, e, f, ...');
  });
});
