import { createHash } from 'node:crypto';
import type { ALBResult, APIGatewayProxyResult, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { http } from '../../../core/define.js';
import type { HttpContext } from '../../../core/types.js';
import { adapt } from '../adapt.js';
import type { AwsHttpContext, AwsHttpEvent, AwsHttpResult } from '../types.js';
import { apigwV1 } from './apigw-v1.js';
import { apigwV2 } from './apigw-v2.js';
import { ALL_BYTES, fixture, lambdaContext, sharedFixture } from './test-helpers.js';

type AnyResult = APIGatewayProxyStructuredResultV2 & APIGatewayProxyResult & ALBResult;

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  params: Record<string, string>;
  hasBody: boolean;
  bodyLength: number;
  sha256: string;
  bodyText: string;
}

/** Reports everything it saw of the request, so each test asserts on the handler's view. */
const probe = http({ route: '/*' }, async (req, ctx) => {
  const bytes = req.body === null ? new Uint8Array(0) : new Uint8Array(await req.arrayBuffer());
  const seen: Seen = {
    method: req.method,
    url: req.url,
    headers: Object.fromEntries(req.headers),
    params: { ...ctx.params },
    hasBody: req.body !== null,
    bodyLength: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    bodyText: new TextDecoder().decode(bytes),
  };
  return Response.json(seen);
});
const probeHandler = adapt(probe, { name: 'probe' });

const items = http({ route: '/items/:id', methods: ['GET', 'PUT'] }, (_req, ctx) => Response.json({ id: ctx.params.id }));
const itemsHandler = adapt(items, { name: 'items' });

const call = (handler: (e: AwsHttpEvent, c: ReturnType<typeof lambdaContext>) => Promise<AwsHttpResult>, event: unknown) =>
  handler(event as AwsHttpEvent, lambdaContext()) as Promise<AnyResult>;

function seenOf(result: AnyResult): Seen {
  expect(result.statusCode).toBe(200);
  expect(result.isBase64Encoded).toBe(false);
  return JSON.parse(result.body!) as Seen;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const base64Bytes = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

let stderr: MockInstance<typeof console.error>;
let stdout: MockInstance<typeof console.log>;
beforeEach(() => {
  stderr = vi.spyOn(console, 'error').mockImplementation(() => {});
  stdout = vi.spyOn(console, 'log').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

const logLines = () => stderr.mock.calls.map((args) => JSON.parse(String(args[0])) as Record<string, any>);

describe('real sample events (Powertools fixtures)', () => {
  it('answers an API Gateway HTTP API event in the payload 2.0 shape', async () => {
    for (const name of ['apigw-http/no-auth.json', 'apigw-http/jwt-authorizer-auth.json']) {
      const event = sharedFixture(name);
      const result = await call(probeHandler, event);
      const seen = seenOf(result);
      expect(seen.method).toBe('POST');
      expect(seen.url).toBe(`https://lsw1ro4ipb.execute-api.eu-west-1.amazonaws.com${event.rawPath}`);
      expect(seen.headers['x-forwarded-for']).toBe('15.248.3.126');
      expect(result.statusDescription).toBeUndefined();
      expect(result.multiValueHeaders).toBeUndefined();
      expect(result.headers!['content-type']).toBe('application/json');
    }
  });

  it('answers an API Gateway REST API event in the payload 1.0 shape, with the stage-less path', async () => {
    for (const name of ['apigw-rest/no-auth.json', 'apigw-rest/iam-auth.json']) {
      const event = sharedFixture(name);
      const result = await call(probeHandler, event);
      const seen = seenOf(result);
      expect(seen.method).toBe('POST');
      expect(seen.url).toBe(`https://puhdx84jy9.execute-api.eu-west-1.amazonaws.com${event.path}`);
      expect(new URL(seen.url).pathname).not.toContain('/prod');
      expect(seen.headers['x-forwarded-for']).toBe(event.headers['X-Forwarded-For']);
      expect(seen.hasBody).toBe(false);
      expect(result).not.toHaveProperty('cookies');
      expect(result.statusDescription).toBeUndefined();
    }
  });

  it('reads a Function URL event: repeated query keys, cookies joined with "; ", comma-joined headers kept', async () => {
    const seen = seenOf(await call(probeHandler, sharedFixture('lambda/base.json')));
    const url = new URL(seen.url);
    expect(url.searchParams.getAll('parameter1')).toEqual(['value1', 'value2']);
    expect(url.searchParams.get('parameter2')).toBe('value');
    expect(seen.headers.cookie).toBe('cookie1; cookie2');
    expect(seen.headers.header2).toBe('value1,value2');
    expect(seen.method).toBe('POST');
    expect(seen.hasBody).toBe(false);
  });

  it('falls back to localhost when neither Host nor domainName is a valid host (Function URL sample)', async () => {
    // The sample's host is the placeholder "<url-id>.lambda-url...", which no URL parser accepts.
    const seen = seenOf(await call(probeHandler, sharedFixture('lambda/get-request.json')));
    expect(seen.url).toBe('https://localhost/');
    expect(seen.method).toBe('GET');
    expect(seen.headers['sec-fetch-mode']).toBe('navigate');
  });

  it('takes the Host of a REST API event from multiValueHeaders, also when headers lacks it', async () => {
    const event = sharedFixture('apigw-rest/no-auth.json');
    event.multiValueHeaders.Host = ['api.example.com'];
    delete event.headers.Host;
    expect(new URL(seenOf(await call(probeHandler, event)).url).host).toBe('api.example.com');
  });

  it('answers an ALB single-value event with statusDescription and single-value headers; a GET carries no body', async () => {
    const result = await call(probeHandler, sharedFixture('alb/base.json'));
    const seen = seenOf(result);
    expect(seen.url).toBe('https://lambda-alb-123578498.us-east-2.elb.amazonaws.com/lambda?query=1234ABCD');
    expect(seen.hasBody).toBe(false); // the sample is a GET with body "Test"
    expect(result.statusDescription).toBe('200 OK');
    expect(result.headers!['content-type']).toBe('application/json');
    expect(result.multiValueHeaders).toBeUndefined();
  });

  it('answers an ALB multi-value event with multiValueHeaders, as ALB requires', async () => {
    const result = await call(probeHandler, sharedFixture('alb/multi-fields.json'));
    const seen = seenOf(result);
    // The URL parser lower-cases the host.
    expect(seen.url).toBe('https://alb-c-loadb-14pofkyclbnsf-1815800096.eu-central-1.elb.amazonaws.com/lambda');
    expect(seen.headers['user-agent']).toBe('curl/7.79.1');
    expect(result.statusDescription).toBe('200 OK');
    expect(result.headers).toBeUndefined();
    expect(result.multiValueHeaders!['content-type']).toEqual(['application/json']);
  });
});

describe('request cookies', () => {
  it('joins payload 2.0 cookies[] into one cookie header with "; ", not ", "', async () => {
    const seen = seenOf(await call(probeHandler, fixture('apigw-v2-cookies.json')));
    expect(seen.headers.cookie).toBe('session=abc123; theme=dark');
  });

  it('does not duplicate cookies when a Function URL sends both a cookie header and cookies[]', async () => {
    const seen = seenOf(await call(probeHandler, fixture('function-url-cookies.json')));
    expect(seen.headers.cookie).toBe('session=abc123; theme=dark');
  });

  it('joins repeated REST API cookie headers with "; "', async () => {
    const seen = seenOf(await call(probeHandler, fixture('apigw-v1-cookies.json')));
    expect(seen.headers.cookie).toBe('session=abc123; theme=dark');
  });

  it('joins repeated ALB multi-value cookie headers with "; "', async () => {
    const seen = seenOf(await call(probeHandler, fixture('alb-multi-value-cookies.json')));
    expect(seen.headers.cookie).toBe('session=abc123; theme=dark');
  });
});

describe('Set-Cookie in responses', () => {
  const twoCookies = http({ route: '/*' }, () => {
    const headers = new Headers({ 'content-type': 'text/plain' });
    headers.append('set-cookie', 'a=1; Path=/; HttpOnly');
    headers.append('set-cookie', 'b=2; Expires=Wed, 21 Oct 2015 07:28:00 GMT');
    return new Response('ok', { headers });
  });
  const handler = adapt(twoCookies, { name: 'cookies' });
  const expected = ['a=1; Path=/; HttpOnly', 'b=2; Expires=Wed, 21 Oct 2015 07:28:00 GMT'];

  it('two Set-Cookie survive on payload 2.0 as cookies[], not in headers', async () => {
    const result = await call(handler, fixture('apigw-v2-cookies.json'));
    expect(result.cookies).toEqual(expected);
    expect(result.headers).not.toHaveProperty('set-cookie');
    expect(result.body).toBe('ok');
  });

  it('two Set-Cookie survive on payload 1.0 in multiValueHeaders, and the result has no cookies field', async () => {
    const result = await call(handler, fixture('apigw-v1-cookies.json'));
    expect(result.multiValueHeaders!['set-cookie']).toEqual(expected);
    expect(result.headers).not.toHaveProperty('set-cookie');
    expect(result).not.toHaveProperty('cookies'); // API Gateway answers 502 to a v1 result with `cookies`
  });

  it('a payload 1.0 result never has a cookies field, not even on a 404', async () => {
    const event = { ...fixture('apigw-v1-cookies.json'), path: '/nowhere' };
    const result = await call(itemsHandler, event);
    expect(result.statusCode).toBe(404);
    expect(result).not.toHaveProperty('cookies');
  });

  it('two Set-Cookie survive on ALB multi-value headers', async () => {
    const result = await call(handler, fixture('alb-multi-value-cookies.json'));
    expect(result.multiValueHeaders!['set-cookie']).toEqual(expected);
    expect(result.multiValueHeaders!['content-type']).toEqual(['text/plain']);
    expect(result.headers).toBeUndefined();
    expect(result.statusDescription).toBe('200 OK');
  });

  it('ALB single-value headers carry only the first Set-Cookie and log a warning naming the fix', async () => {
    const result = await call(handler, sharedFixture('alb/base.json'));
    expect(result.headers!['set-cookie']).toBe(expected[0]);
    expect(result.multiValueHeaders).toBeUndefined();
    const warning = logLines().find((line) => line.level === 'warn');
    expect(warning?.message).toContain('only the first Set-Cookie');
    expect(warning?.message).toContain('lambda.multi_value_headers.enabled');
    expect(warning).toMatchObject({ function: 'cookies', provider: 'aws', dropped: 1 });
  });

  it('ALB single-value headers of a response without cookies have no set-cookie key at all', async () => {
    const plain = adapt(http({ route: '/*' }, () => new Response('ok', { headers: { 'content-type': 'text/plain' } })));
    const result = await call(plain, sharedFixture('alb/base.json'));
    expect(result.headers).toStrictEqual({ 'content-type': 'text/plain' });
  });

  it('ALB single-value headers carry one Set-Cookie without a warning', async () => {
    const one = adapt(http({ route: '/*' }, () => new Response('ok', { headers: { 'set-cookie': 'a=1' } })));
    const result = await call(one, sharedFixture('alb/base.json'));
    expect(result.headers!['set-cookie']).toBe('a=1');
    expect(stderr).not.toHaveBeenCalled();
  });
});

describe('binary request bodies', () => {
  const cases = [
    ['payload 2.0', 'apigw-v2-binary-body.json'],
    ['payload 1.0', 'apigw-v1-binary-body.json'],
    ['ALB', 'alb-binary-body.json'],
  ] as const;
  for (const [shape, file] of cases) {
    it(`a base64 ${shape} body arrives byte-exact (bytes 0-255, same hash)`, async () => {
      const seen = seenOf(await call(probeHandler, fixture(file)));
      expect(seen.bodyLength).toBe(256);
      expect(seen.sha256).toBe(sha256(ALL_BYTES));
      expect(seen.headers['content-type']).toBe('application/octet-stream');
    });
  }

  it('a text body arrives as UTF-8 and gets no invented content-type', async () => {
    const event = fixture('apigw-v2-binary-body.json');
    event.body = '{"unicode":"lambda-λ"}';
    event.isBase64Encoded = false;
    delete event.headers['content-type'];
    delete event.headers['content-length'];
    const seen = seenOf(await call(probeHandler, event));
    expect(seen.bodyText).toBe('{"unicode":"lambda-λ"}');
    expect(seen.headers['content-type']).toBeUndefined();
  });

  it('gives the handler exact bytes it can compare itself', async () => {
    let received: Uint8Array | undefined;
    const fn = adapt(http({ route: '/upload', methods: ['POST'] }, async (req) => {
      received = new Uint8Array(await req.arrayBuffer());
      return new Response(null, { status: 204 });
    }));
    const result = await call(fn, fixture('apigw-v1-binary-body.json'));
    expect(result.statusCode).toBe(204);
    expect(received).toEqual(ALL_BYTES);
  });
});

describe('response bodies', () => {
  const binary = http({ route: '/*' }, () => new Response(ALL_BYTES, { headers: { 'content-type': 'image/png' } }));
  const handler = adapt(binary);
  for (const file of ['apigw-v2-head.json', 'apigw-v1-cookies.json', 'alb-multi-value-cookies.json']) {
    it(`a binary response is base64 with isBase64Encoded (${file})`, async () => {
      const event = fixture(file);
      if (event.requestContext.http) event.requestContext.http.method = 'GET';
      const result = await call(handler, event);
      expect(result.statusCode).toBe(200);
      expect(result.isBase64Encoded).toBe(true);
      expect(base64Bytes(result.body!)).toEqual(ALL_BYTES);
    });
  }

  it('a text response is a UTF-8 string, not base64', async () => {
    const fn = adapt(http({ route: '/*' }, () => new Response('héllo λ', { headers: { 'content-type': 'text/html; charset=utf-8' } })));
    const result = await call(fn, fixture('apigw-v2-cookies.json'));
    expect(result).toMatchObject({ statusCode: 200, body: 'héllo λ', isBase64Encoded: false });
  });

  it('a response without body gives body "" on every shape', async () => {
    const fn = adapt(http({ route: '/*' }, () => new Response(null, { status: 204 })));
    for (const event of [fixture('apigw-v2-cookies.json'), fixture('apigw-v1-cookies.json'), sharedFixture('alb/base.json')]) {
      const result = await call(fn, event);
      expect(result).toMatchObject({ statusCode: 204, body: '', isBase64Encoded: false });
    }
  });

  it('keeps other repeated response headers combined as Fetch gives them', async () => {
    const fn = adapt(http({ route: '/*' }, () => {
      const headers = new Headers();
      headers.append('vary', 'accept');
      headers.append('vary', 'origin');
      return new Response('x', { headers });
    }));
    const result = await call(fn, fixture('apigw-v1-cookies.json'));
    expect(result.headers!.vary).toBe('accept, origin');
  });
});

describe('repeated query keys', () => {
  const expectQuery = (seen: Seen, tags: string[]) => {
    const params = new URL(seen.url).searchParams;
    expect(params.getAll('tag')).toEqual(tags);
    expect(params.get('redirect')).toBe('https://example.com/a/b');
    expect(params.get('literalPlus')).toBe('a b');
    expect(params.get('encodedPlus')).toBe('a+b');
    expect(params.get('empty')).toBe('');
  };

  it('survive on payload 2.0 (rawQueryString as sent)', async () => {
    expectQuery(seenOf(await call(probeHandler, fixture('apigw-v2-repeated-query.json'))), ['a', 'b']);
  });

  it('survive on payload 1.0 (decoded multiValueQueryStringParameters, encoded again)', async () => {
    expectQuery(seenOf(await call(probeHandler, fixture('apigw-v1-repeated-query.json'))), ['a', 'b']);
  });

  it('survive on payload 1.0 with only single-value queryStringParameters (last value)', async () => {
    const event = fixture('apigw-v1-repeated-query.json');
    event.multiValueQueryStringParameters = null;
    expectQuery(seenOf(await call(probeHandler, event)), ['b']);
  });

  it('survive on ALB multi-value (values still encoded as sent, not encoded twice)', async () => {
    expectQuery(seenOf(await call(probeHandler, fixture('alb-multi-value-repeated-query.json'))), ['a', 'b']);
  });

  it('on ALB single-value only the last value of a repeated key exists (ALB keeps the last)', async () => {
    expectQuery(seenOf(await call(probeHandler, fixture('alb-single-value-query.json'))), ['b']);
  });
});

describe('percent-encoded and unicode paths', () => {
  it('a Function URL rawPath stays encoded and the param decodes to "café"', async () => {
    const result = await call(itemsHandler, fixture('function-url-encoded-path.json'));
    expect(JSON.parse(result.body!)).toEqual({ id: 'café' });
    const seen = seenOf(await call(probeHandler, fixture('function-url-encoded-path.json')));
    expect(new URL(seen.url).pathname).toBe('/items/caf%C3%A9');
  });

  it('an HTTP API rawPath arrives decoded and is escaped again: "café au lait" round-trips', async () => {
    const result = await call(itemsHandler, fixture('apigw-v2-decoded-path.json'));
    expect(JSON.parse(result.body!)).toEqual({ id: 'café au lait' });
    const seen = seenOf(await call(probeHandler, fixture('apigw-v2-decoded-path.json')));
    expect(new URL(seen.url).pathname).toBe('/items/caf%C3%A9%20au%20lait');
  });

  it('a decoded "?" or "#" in an HTTP API path stays in the path instead of becoming query or fragment', async () => {
    const event = fixture('apigw-v2-decoded-path.json');
    event.rawPath = '/items/what?#100%';
    event.rawQueryString = 'q=1';
    const seen = seenOf(await call(probeHandler, event));
    const url = new URL(seen.url);
    expect(url.pathname).toBe('/items/what%3F%23100%25');
    expect(url.search).toBe('?q=1');
    expect(seen.params['*']).toBe('items/what?#100%');
  });

  it('a REST API path stays encoded: "café" and "%2F" inside a segment decode to the original text', async () => {
    const result = await call(itemsHandler, fixture('apigw-v1-encoded-path.json'));
    expect(JSON.parse(result.body!)).toEqual({ id: 'café' });
    const slash = await call(itemsHandler, { ...fixture('apigw-v1-encoded-path.json'), path: '/items/a%2Fb%20c' });
    expect(JSON.parse(slash.body!)).toEqual({ id: 'a/b c' });
  });

  it('an ALB path stays encoded: "café" and "%2F" inside a segment decode to the original text', async () => {
    const result = await call(itemsHandler, fixture('alb-encoded-path.json'));
    expect(JSON.parse(result.body!)).toEqual({ id: 'café' });
    const slash = await call(itemsHandler, { ...fixture('alb-encoded-path.json'), path: '/items/a%2Fb' });
    expect(JSON.parse(slash.body!)).toEqual({ id: 'a/b' });
  });
});

describe('HEAD and GET', () => {
  const withBody = http({ route: '/items/:id', methods: ['GET'] }, (req) =>
    new Response(`body of ${req.method}`, { headers: { 'content-type': 'text/plain', 'x-method': req.method } }),
  );
  const handler = adapt(withBody);

  for (const file of ['apigw-v2-head.json', 'apigw-v1-head.json']) {
    it(`a HEAD response has no body but keeps its headers (${file})`, async () => {
      const result = await call(handler, fixture(file));
      expect(result.statusCode).toBe(200);
      expect(result.body).toBe('');
      expect(result.headers!['x-method']).toBe('HEAD');
    });
  }

  it('a HEAD request reaches the handler without a body even when the event has one', async () => {
    let seen: { method: string; hasBody: boolean } | undefined;
    const fn = adapt(http({ route: '/*' }, (req) => ((seen = { method: req.method, hasBody: req.body !== null }), new Response('x'))));
    const result = await call(fn, { ...fixture('apigw-v2-head.json'), body: 'c3RyYXk=', isBase64Encoded: true });
    expect(result.statusCode).toBe(200);
    expect(seen).toEqual({ method: 'HEAD', hasBody: false });
  });
});

describe('routing', () => {
  const shapes = {
    'payload 2.0': fixture('apigw-v2-head.json'),
    'payload 1.0': fixture('apigw-v1-head.json'),
    ALB: { ...sharedFixture('alb/base.json'), path: '/items/1', httpMethod: 'HEAD' },
  };
  for (const [shape, base] of Object.entries(shapes)) {
    it(`an unknown route answers 404 (${shape})`, async () => {
      const event = structuredClone(base);
      if ('rawPath' in event) (event.rawPath = '/nowhere'), (event.requestContext.http.method = 'GET');
      else (event.path = '/nowhere'), (event.httpMethod = 'GET');
      const result = await call(itemsHandler, event);
      expect(result.statusCode).toBe(404);
      expect(result.body).toBe('Not Found');
    });

    it(`a wrong method answers 405 with Allow (${shape})`, async () => {
      const event = structuredClone(base);
      if (event.requestContext.http) event.requestContext.http.method = 'DELETE';
      else event.httpMethod = 'DELETE';
      const result = await call(itemsHandler, event);
      expect(result.statusCode).toBe(405);
      const allow = result.headers?.allow ?? result.multiValueHeaders?.allow?.[0];
      expect(allow).toBe('GET, PUT, HEAD');
    });
  }

  it('builds no Request when the route or the method does not match', async () => {
    const v2 = vi.spyOn(apigwV2, 'request');
    const v1 = vi.spyOn(apigwV1, 'request');
    await call(itemsHandler, { ...fixture('apigw-v2-head.json'), rawPath: '/nowhere' });
    const wrongMethod = fixture('apigw-v1-head.json');
    wrongMethod.httpMethod = 'POST';
    await call(itemsHandler, wrongMethod);
    expect(v2).not.toHaveBeenCalled();
    expect(v1).not.toHaveBeenCalled();
    await call(itemsHandler, fixture('apigw-v2-head.json'));
    expect(v2).toHaveBeenCalledTimes(1);
  });
});

describe('malformed events answer 400 and never throw', () => {
  it('a payload 2.0 event without method gets a 2.0-shaped 400 naming the field', async () => {
    const result = await call(probeHandler, fixture('malformed-apigw-v2-no-method.json'));
    expect(result.statusCode).toBe(400);
    expect(result.headers!['content-type']).toMatch(/^text\/plain/);
    expect(result.body).toContain('requestContext.http.method is missing');
    expect(result.body).toContain('expected an HTTP method');
    expect(result).not.toHaveProperty('statusDescription');
  });

  it('a payload 1.0 event without path gets a 1.0-shaped 400 naming the field', async () => {
    const result = await call(probeHandler, fixture('malformed-apigw-v1-no-path.json'));
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('API Gateway REST API (payload 1.0)');
    expect(result.body).toContain('path is missing; expected a path starting with "/"');
    expect(result).not.toHaveProperty('cookies');
  });

  it('an ALB event without method gets an ALB-shaped 400', async () => {
    const result = await call(probeHandler, fixture('malformed-alb-no-method.json'));
    expect(result).toMatchObject({ statusCode: 400, statusDescription: '400 Bad Request' });
    expect(result.body).toContain('httpMethod is missing');
  });

  it('a body flagged base64 that is not base64 is a 400, not a garbled body', async () => {
    const result = await call(probeHandler, fixture('malformed-apigw-v2-bad-base64.json'));
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('isBase64Encoded is true but body is not valid base64');
  });

  it('a header value beyond Latin-1 (cf-ipcity: Srīperumbūdūr) runs the handler, which recovers it from the UTF-8 bytes', async () => {
    const event = fixture('apigw-v2-cookies.json');
    event.headers['cf-ipcity'] = 'Srīperumbūdūr';
    const seen = seenOf(await call(probeHandler, event));
    expect(Buffer.from(seen.headers['cf-ipcity']!, 'latin1').toString('utf8')).toBe('Srīperumbūdūr');
    expect(seen.headers.cookie).toBe(event.cookies.join('; '));
  });

  it('a header value with CR, LF or NUL inside is a 400 naming the header, in faasport\'s words', async () => {
    for (const value of ['a\r\nb', 'a\u0000b']) {
      const event = fixture('apigw-v2-cookies.json');
      event.headers['x-bad'] = value;
      const result = await call(probeHandler, event);
      expect(result.statusCode).toBe(400);
      expect(result.body).toContain('headers["x-bad"] holds a CR, LF or NUL character');
      expect(result.body).not.toMatch(/invalid header value|TypeError/);
    }
  });

  it('a header name that is not a token is a 400 naming it', async () => {
    const event = fixture('apigw-v2-cookies.json');
    event.headers['bad name'] = 'x';
    const result = await call(probeHandler, event);
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('headers["bad name"] is not a valid header name');
  });

  it('an event that is not an object gets a 2.0-shaped 400 saying what was expected', async () => {
    for (const [event, got] of [['hello', 'a string'], [null, 'null'], [[1], 'an array'], [42, 'a number']] as const) {
      const result = await call(probeHandler, event);
      expect(result.statusCode).toBe(400);
      expect(result.headers!['content-type']).toMatch(/^text\/plain/);
      expect(result.body).toContain('expected an API Gateway HTTP API / Function URL (payload 2.0) event');
      expect(result.body).toContain(`got ${got}`);
    }
  });

  it('an SQS event sent to an HTTP function gets a 400 naming its keys', async () => {
    const result = await call(probeHandler, sharedFixture('sqs/base.json'));
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('got an object with keys Records');
  });

  it('logs the bad event as a warning', async () => {
    await call(probeHandler, { nothing: true });
    expect(logLines()).toContainEqual(expect.objectContaining({ level: 'warn', message: 'faasport: bad event, answered 400' }));
  });
});

describe('handler failures', () => {
  it('a handler throw answers 500 without message or stack, and logs the error with its cause', async () => {
    const failing = adapt(
      http({ route: '/*' }, () => {
        throw new Error('database password is hunter2', { cause: new Error('ECONNREFUSED 10.0.0.1:5432') });
      }),
      { name: 'failing' },
    );
    const result = await call(failing, fixture('apigw-v2-cookies.json'));
    expect(result).toMatchObject({ statusCode: 500, body: 'Internal Server Error', isBase64Encoded: false });
    expect(result.body).not.toContain('hunter2');
    expect(result.body).not.toContain(' at ');
    const line = logLines().find((l) => l.level === 'error');
    expect(line).toMatchObject({ function: 'failing', provider: 'aws', invocationId: 'c6af9ac6-7b61-11e6-9a41-93e812345678' });
    expect(line!.error.message).toBe('database password is hunter2');
    expect(line!.error.cause.message).toBe('ECONNREFUSED 10.0.0.1:5432');
  });

  it('a handler that returns no Response answers 500 in the event shape (ALB)', async () => {
    const wrong = adapt(http({ route: '/*' }, (() => 'nope') as never));
    const result = await call(wrong, sharedFixture('alb/base.json'));
    expect(result).toMatchObject({ statusCode: 500, statusDescription: '500 Internal Server Error', body: 'Internal Server Error' });
  });

  it('a response whose body is a ReadableStream is read to the end and answered whole', async () => {
    const streamed = adapt(
      http({ route: '/*' }, () => {
        const parts = ['hel', 'lo'];
        const body = new ReadableStream<Uint8Array>({ pull: (c) => (parts.length ? c.enqueue(new TextEncoder().encode(parts.shift())) : c.close()) });
        return new Response(body, { headers: { 'content-type': 'text/plain' } });
      }),
    );
    expect(await call(streamed, fixture('apigw-v2-cookies.json'))).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
      isBase64Encoded: false,
    });
  });

  it('a fault inside the dispatch itself (a hand-made function whose methods list throws) answers 500 and logs it', async () => {
    const methods = ['GET'];
    methods.includes = () => {
      throw new Error('hostile methods');
    };
    const handMade = { kind: 'http', options: { route: '/*', methods }, handler: () => new Response('never') };
    const result = await call(adapt(handMade as never, { name: 'handMade' }), fixture('apigw-v2-cookies.json'));
    expect(result).toStrictEqual({ statusCode: 500, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Internal Server Error', isBase64Encoded: false });
    expect(logLines().map((l) => [l.level, l.message, l.error.message])).toEqual([['error', 'faasport: the AWS HTTP adapter failed', 'hostile methods']]);
  });

  it('a response body stream that fails answers 500 instead of throwing', async () => {
    const broken = adapt(http({ route: '/*' }, () => {
      const stream = new ReadableStream({ pull: (c) => c.error(new Error('stream broke')) });
      return new Response(stream, { headers: { 'content-type': 'text/plain' } });
    }));
    const result = await call(broken, fixture('apigw-v1-cookies.json'));
    expect(result).toMatchObject({ statusCode: 500, body: 'Internal Server Error' });
    expect(result).not.toHaveProperty('cookies');
    expect(logLines().some((l) => l.level === 'error' && l.error.message === 'stream broke')).toBe(true);
  });
});

describe('ctx', () => {
  let seenCtx: AwsHttpContext | undefined;
  const capture = http({ route: '/*' }, (_req, ctx: HttpContext) => {
    seenCtx = ctx as AwsHttpContext;
    return new Response('ok', { headers: { 'content-type': 'text/plain' } });
  });

  it('carries provider, functionName from options, invocationId, deadline and native event/context', async () => {
    const event = fixture('apigw-v2-cookies.json');
    const context = lambdaContext({ getRemainingTimeInMillis: () => 5000 });
    const before = Date.now();
    await adapt(capture, { name: 'getItem' })(event, context);
    const after = Date.now();
    expect(seenCtx!.provider).toBe('aws');
    expect(seenCtx!.functionName).toBe('getItem');
    expect(seenCtx!.invocationId).toBe(context.awsRequestId);
    expect(seenCtx!.deadline).toBeGreaterThanOrEqual(before + 5000);
    expect(seenCtx!.deadline).toBeLessThanOrEqual(after + 5000);
    expect(seenCtx!.remainingMs()).toBeGreaterThan(4000);
    expect(seenCtx!.remainingMs()).toBeLessThanOrEqual(5000);
    expect(seenCtx!.native.event).toBe(event);
    expect(seenCtx!.native.context).toBe(context);
  });

  it('uses the Lambda function name when no name is given', async () => {
    await adapt(capture)(fixture('apigw-v2-cookies.json'), lambdaContext({ functionName: 'my-lambda' }));
    expect(seenCtx!.functionName).toBe('my-lambda');
  });

  it('works without a Lambda context (unit calls): no deadline, a local invocation id', async () => {
    const handler = adapt(capture) as (event: unknown) => Promise<AwsHttpResult>;
    const result = await handler(fixture('apigw-v2-cookies.json'));
    expect(result).toMatchObject({ statusCode: 200, body: 'ok' });
    expect(seenCtx!.deadline).toBeUndefined();
    expect(seenCtx!.remainingMs()).toBe(Number.POSITIVE_INFINITY);
    expect(seenCtx!.invocationId).toMatch(/^local-/);
    expect(seenCtx!.functionName).toBe('unknown');
  });

  it('has route params decoded', async () => {
    let params: Record<string, string> | undefined;
    const fn = adapt(http({ route: '/items/:id' }, (_req, ctx) => ((params = { ...ctx.params }), new Response(null, { status: 204 }))));
    await call(fn, fixture('function-url-encoded-path.json'));
    expect(params).toEqual({ id: 'café' });
  });
});

describe('request URL and headers', () => {
  it('uses the Host header, then requestContext.domainName', async () => {
    const event = fixture('apigw-v2-cookies.json');
    event.headers.host = 'api.example.com';
    expect(new URL(seenOf(await call(probeHandler, event)).url).host).toBe('api.example.com');
    delete event.headers.host;
    expect(new URL(seenOf(await call(probeHandler, event)).url).host).toBe('sjzepsqsu5.execute-api.us-west-2.amazonaws.com');
  });

  it('finds the REST API Host header whatever its case, from single-value headers too', async () => {
    const event = fixture('apigw-v1-cookies.json');
    event.multiValueHeaders = null;
    event.headers = { HOST: 'api.example.com', 'X-Probe': 'second' };
    const seen = seenOf(await call(probeHandler, event));
    expect(new URL(seen.url).host).toBe('api.example.com');
    expect(seen.headers['x-probe']).toBe('second');
  });

  it('keeps every value of a repeated REST API header (multiValueHeaders over headers)', async () => {
    const event = fixture('apigw-v1-cookies.json');
    event.headers['x-probe'] = 'second';
    event.multiValueHeaders['x-probe'] = ['first', 'second'];
    expect(seenOf(await call(probeHandler, event)).headers['x-probe']).toBe('first, second');
  });
});

describe("Lambda's 6 MB limit on a buffered response", () => {
  const sized = http({ route: '/*' }, (req) => new Response('x'.repeat(Number(new URL(req.url).searchParams.get('n'))), { headers: { 'content-type': 'text/plain' } }));
  const sizedHandler = adapt(sized, { name: 'sized' });
  const eventFor = (n: number) => ({ ...sharedFixture('apigw-http/no-auth.json'), rawQueryString: `n=${n}`, queryStringParameters: { n: String(n) } });

  it('answers a response just under the limit as it is', async () => {
    const result = (await call(sizedHandler, eventFor(6_000_000))) as AnyResult;
    expect(result.statusCode).toBe(200);
    expect(result.body).toHaveLength(6_000_000);
  });

  it('answers 500 for a larger one, and says in the log what to do, where Lambda would fail with Function.ResponseSizeTooLarge', async () => {
    const result = (await call(sizedHandler, eventFor(6_300_000))) as AnyResult;
    expect(result.statusCode).toBe(500);
    expect(result.body).toBe('Internal Server Error');
    const line = logLines().find((l) => /6291556-byte limit/.test(l.message));
    expect(line?.message).toMatch(/^faasport\/aws: the response is \d+ bytes as Lambda sends it, over Lambda's 6291556-byte limit/);
    expect(line?.message).toMatch(/Stream it \(http\(\{ stream: true \}\)/);
    expect(line?.bytes).toBeGreaterThan(6_291_556);
  });
});
