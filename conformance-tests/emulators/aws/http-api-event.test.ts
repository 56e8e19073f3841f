import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatRequestTime, toHttpApiEvent, type GatewayInfo, type ReceivedRequest } from './http-api-event.js';
import { LAMBDA_DEFAULT_SETTINGS } from './manifest.js';
import type { RouteSelection } from './routes.js';

const route: RouteSelection = {
  fn: { name: 'f', kind: 'http', options: { route: '/items/:id' }, entry: 'f/index.mjs', handler: 'f/index.handler', codeDir: 'f', codeHandler: 'index.handler', settings: LAMBDA_DEFAULT_SETTINGS, route: '/items/:id', methods: undefined, authLevel: 'anonymous' },
  routeKey: 'ANY /items/{id}',
  pathParameters: { id: 'a b' },
};
const gw: GatewayInfo = {
  accountId: '000000000000',
  apiId: 'abc123defg',
  requestId: 'ZhNHJhhLjoEEPiw=',
  traceId: 'Root=1-66705bc7-2b4257df30cbee696ef2cf28',
  timeEpoch: 1718639559080,
  region: 'us-east-1',
};
const request = (over: Partial<ReceivedRequest> = {}): ReceivedRequest => ({
  method: 'GET',
  target: '/items/a%20b',
  rawHeaders: ['Host', 'api.example.com:8080', 'User-Agent', 'HTTPie/3.2.2'],
  body: new Uint8Array(0),
  sourceIp: '15.248.3.126',
  protocol: 'HTTP/1.1',
  ...over,
});
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('toHttpApiEvent', () => {
  it('has the shape of a real HTTP API event', () => {
    const real = JSON.parse(
      readFileSync(new URL('../../../adapters/aws/fixtures/powertools/apigw-http/no-auth.json', import.meta.url), 'utf8'),
    ) as Record<string, Record<string, unknown>>;
    const event = toHttpApiEvent(request({ method: 'POST', target: '/lambda' }), { ...route, pathParameters: undefined }, gw);
    expect(Object.keys(event)).toEqual(Object.keys(real));
    const { authorizer: _authorizer, ...realContext } = real.requestContext!;
    expect(Object.keys(event.requestContext).sort()).toEqual(Object.keys(realContext).sort());
    expect(Object.keys(event.requestContext.http).sort()).toEqual(Object.keys(real.requestContext!.http!).sort());
    expect(event.requestContext.time).toBe(real.requestContext!.time);
  });

  it('decodes the path as HTTP APIs do, keeps the raw query and decodes the parsed forms', () => {
    const event = toHttpApiEvent(request({ target: '/items/a%20b?x=1&x=2&flag&q=a%2Bb+c' }), route, gw);
    expect(event.rawPath).toBe('/items/a b');
    expect(event.requestContext.http.path).toBe('/items/a b');
    expect(event.rawQueryString).toBe('x=1&x=2&flag&q=a%2Bb+c');
    expect(event.queryStringParameters).toEqual({ x: '1,2', flag: '', q: 'a+b+c' });
    expect(event.pathParameters).toEqual({ id: 'a b' });
    expect(event.routeKey).toBe('ANY /items/{id}');
    expect(event.requestContext.routeKey).toBe('ANY /items/{id}');
  });

  it('leaves out query parameters, cookies, body and path parameters that are not there', () => {
    const event = toHttpApiEvent(request(), { ...route, pathParameters: undefined }, gw);
    expect(event.rawQueryString).toBe('');
    for (const key of ['queryStringParameters', 'cookies', 'body', 'pathParameters']) expect(event).not.toHaveProperty(key);
    expect(event.isBase64Encoded).toBe(false);
  });

  it('moves cookies out of the headers into cookies[]', () => {
    const event = toHttpApiEvent(request({ rawHeaders: ['Cookie', 'a=1; b=2', 'cookie', 'c=3'] }), route, gw);
    expect(event.cookies).toEqual(['a=1', 'b=2', 'c=3']);
    expect(event.headers).not.toHaveProperty('cookie');
  });

  it('lower-cases header names and joins repeated headers with commas', () => {
    const event = toHttpApiEvent(request({ rawHeaders: ['X-Multi', 'a', 'x-multi', 'b, c'] }), route, gw);
    expect(event.headers['x-multi']).toBe('a,b, c');
  });

  it('adds the headers API Gateway adds as a live capture has them: https on 443 at the API domain', () => {
    const event = toHttpApiEvent(request({ rawHeaders: ['X-Forwarded-For', '10.0.0.1', 'Host', '127.0.0.1:8080'] }), route, gw);
    expect(event.headers).toMatchObject({
      host: 'abc123defg.execute-api.us-east-1.amazonaws.com',
      'x-amzn-trace-id': gw.traceId,
      'x-forwarded-for': '10.0.0.1, 15.248.3.126',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
    });
  });

  it('cuts the path at a %3F, which the gateway decodes before it splits off the query', () => {
    const event = toHttpApiEvent(request({ target: '/items/a%3Fb?x=1' }), route, gw);
    expect(event.rawPath).toBe('/items/a');
    expect(event.requestContext.http.path).toBe('/items/a');
    expect(event.rawQueryString).toBe('x=1');
  });

  it('names a signed caller of an AWS_IAM route in requestContext.authorizer.iam', () => {
    const event = toHttpApiEvent(request(), route, { ...gw, iam: { accessKey: 'AKIAIOSFODNN7EXAMPLE', accountId: '000000000000' } });
    expect(event.requestContext).toMatchObject({ authorizer: { iam: { accessKey: 'AKIAIOSFODNN7EXAMPLE', accountId: '000000000000', principalOrgId: null } } });
    expect(toHttpApiEvent(request(), route, gw).requestContext).not.toHaveProperty('authorizer');
  });

  it('fills requestContext from the request and the gateway', () => {
    const { requestContext } = toHttpApiEvent(request(), route, gw);
    expect(requestContext).toEqual({
      accountId: '000000000000',
      apiId: 'abc123defg',
      domainName: 'abc123defg.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123defg',
      http: { method: 'GET', path: '/items/a b', protocol: 'HTTP/1.1', sourceIp: '15.248.3.126', userAgent: 'HTTPie/3.2.2' },
      requestId: 'ZhNHJhhLjoEEPiw=',
      routeKey: 'ANY /items/{id}',
      stage: '$default',
      time: '17/Jun/2024:15:52:39 +0000',
      timeEpoch: 1718639559080,
    });
  });

  it('passes JSON and text bodies as text', () => {
    const event = toHttpApiEvent(
      request({ method: 'POST', rawHeaders: ['Content-Type', 'application/json; charset=utf-8'], body: bytes('{"é":1}') }),
      route,
      gw,
    );
    expect(event.body).toBe('{"é":1}');
    expect(event.isBase64Encoded).toBe(false);
  });

  it('base64-encodes binary, form and untyped bodies, byte-exact', () => {
    const binary = new Uint8Array([0, 255, 128, 10, 13, 0xc3]);
    for (const rawHeaders of [['Content-Type', 'application/octet-stream'], ['Content-Type', 'application/x-www-form-urlencoded'], []]) {
      const event = toHttpApiEvent(request({ method: 'POST', rawHeaders, body: binary }), route, gw);
      expect(event.isBase64Encoded).toBe(true);
      expect(new Uint8Array(Buffer.from(event.body!, 'base64'))).toEqual(binary);
    }
  });

  it('base64-encodes a text-typed body that is not valid UTF-8 rather than mangling it', () => {
    const event = toHttpApiEvent(request({ method: 'POST', rawHeaders: ['Content-Type', 'text/plain'], body: new Uint8Array([0xff, 0xfe]) }), route, gw);
    expect(event.isBase64Encoded).toBe(true);
    expect(event.body).toBe('//4=');
  });
});

describe('formatRequestTime', () => {
  it('prints API Gateway CLF time in UTC', () => {
    expect(formatRequestTime(Date.UTC(2024, 0, 5, 3, 4, 5))).toBe('05/Jan/2024:03:04:05 +0000');
  });
});
