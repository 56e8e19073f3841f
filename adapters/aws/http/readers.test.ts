import { describe, expect, it } from 'vitest';
import { http, queue } from '../../../core/define.js';
import { adaptBufferedHttpFor, adaptHttp, adaptHttpFor } from '../adapt.js';
import type { AwsHttpEvent, AwsHttpHandler } from '../types.js';
import { albEvents } from './alb.js';
import { apiGatewayV1Events } from './apigw-v1.js';
import { apiGatewayV2Events } from './apigw-v2.js';
import { captureLogLines, fixture, lambdaContext, sharedFixture } from './test-helpers.js';

const hello = http({ route: '/*' }, (req) => Response.json({ method: req.method, path: new URL(req.url).pathname }));

const call = (handler: AwsHttpHandler, event: unknown) => handler(event as AwsHttpEvent, lambdaContext()) as Promise<Record<string, any>>;

/** One real event of each kind, and one per ALB target group mode. */
const EVENTS = {
  'HTTP API (payload 2.0)': () => sharedFixture('apigw-http/no-auth.json'),
  'Function URL': () => sharedFixture('lambda/get-request.json'),
  'REST API (payload 1.0)': () => sharedFixture('apigw-rest/no-auth.json'),
  'REST API with multi-value cookies': () => fixture('apigw-v1-cookies.json'),
  'ALB single-value': () => sharedFixture('alb/base.json'),
  'ALB multi-value': () => fixture('alb-multi-value-cookies.json'),
};

const logLines = captureLogLines();

describe('a handler built for HTTP API / Function URL events only', () => {
  const v2Only = adaptHttpFor([apiGatewayV2Events], hello, { name: 'hello' });

  it('answers HTTP API and Function URL events as adaptHttp does', async () => {
    for (const make of [EVENTS['HTTP API (payload 2.0)'], EVENTS['Function URL']]) {
      const event = make();
      const only = await call(v2Only, event);
      expect(only.statusCode).toBe(200);
      expect(only).toEqual(await call(adaptHttp(hello, { name: 'hello' }), event));
    }
  });

  it('answers a real REST API event with a 400 naming it, what the function reads, and the build option to fix it', async () => {
    for (const event of [EVENTS['REST API (payload 1.0)'](), EVENTS['REST API with multi-value cookies']()]) {
      const result = await call(v2Only, event);
      expect(result).toEqual({
        statusCode: 400,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body:
          'faasport/aws: this HTTP function got an API Gateway REST API (payload 1.0) event, but it was built to read only ' +
          'API Gateway HTTP API / Function URL (payload 2.0) events; rebuild it with `faasport build --aws-http-events apigw-v2,apigw-v1` (or `all`)',
        isBase64Encoded: false,
      });
    }
  });

  it('answers an ALB event with a 400 in the fields ALB reads, in each target group mode', async () => {
    const single = await call(v2Only, EVENTS['ALB single-value']());
    expect(single).toMatchObject({ statusCode: 400, statusDescription: '400 Bad Request', headers: { 'content-type': 'text/plain; charset=utf-8' } });
    expect(single).not.toHaveProperty('multiValueHeaders');
    expect(single.body).toContain('got an ALB event, but it was built to read only API Gateway HTTP API / Function URL (payload 2.0) events');
    expect(single.body).toContain('`faasport build --aws-http-events apigw-v2,alb`');

    const multi = await call(v2Only, EVENTS['ALB multi-value']());
    expect(multi).toMatchObject({ statusCode: 400, statusDescription: '400 Bad Request', multiValueHeaders: { 'content-type': ['text/plain; charset=utf-8'] } });
    expect(multi).not.toHaveProperty('headers');
    expect(multi.body).toBe(single.body);
  });

  it('answers an ALB event with exactly these fields: multiValueHeaders when the event has either multi-value field, never base64', async () => {
    const body =
      'faasport/aws: this HTTP function got an ALB event, but it was built to read only API Gateway HTTP API / Function URL (payload 2.0) events; ' +
      'rebuild it with `faasport build --aws-http-events apigw-v2,alb` (or `all`)';
    expect(await call(v2Only, EVENTS['ALB single-value']())).toStrictEqual({
      statusCode: 400,
      statusDescription: '400 Bad Request',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body,
      isBase64Encoded: false,
    });
    const headersOnly = EVENTS['ALB multi-value']();
    delete headersOnly.multiValueQueryStringParameters;
    expect(await call(v2Only, headersOnly)).toStrictEqual({
      statusCode: 400,
      statusDescription: '400 Bad Request',
      multiValueHeaders: { 'content-type': ['text/plain; charset=utf-8'] },
      body,
      isBase64Encoded: false,
    });
  });

  it('logs an event of a kind it does not read as a bad event, with its kind', async () => {
    await call(v2Only, EVENTS['REST API (payload 1.0)']());
    expect(logLines()).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'faasport: bad event, answered 400', shape: 'apigw-v1', reason: expect.stringContaining('REST API') }),
    );
  });

  it('keeps the precise 400 of a malformed payload 2.0 event', async () => {
    const result = await call(v2Only, fixture('malformed-apigw-v2-no-method.json'));
    expect(result.statusCode).toBe(400);
    expect(result.body).toBe(
      'faasport/aws: malformed API Gateway HTTP API / Function URL (payload 2.0) event: requestContext.http.method is missing; expected an HTTP method such as "GET"',
    );
  });

  it('says what it reads when the event is of no known kind', async () => {
    const result = await call(v2Only, sharedFixture('sqs/base.json'));
    expect(result.statusCode).toBe(400);
    expect(result.body).toBe(
      'faasport/aws: this HTTP function cannot read the event: expected an API Gateway HTTP API / Function URL (payload 2.0) event ' +
        '(version "2.0", requestContext.http); got an object with keys Records',
    );
  });
});

describe('a handler built for some kinds of event', () => {
  it('reads each listed kind and refuses the others, suggesting the list with the arrived kind added', async () => {
    const restAndAlb = adaptHttpFor([apiGatewayV1Events, albEvents], hello);
    for (const name of ['REST API (payload 1.0)', 'ALB single-value', 'ALB multi-value'] as const) {
      expect((await call(restAndAlb, EVENTS[name]())).statusCode).toBe(200);
    }
    const refused = await call(restAndAlb, EVENTS['Function URL']());
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain(
      'got an API Gateway HTTP API / Function URL (payload 2.0) event, but it was built to read only API Gateway REST API (payload 1.0) or ALB events; ' +
        'rebuild it with `faasport build --aws-http-events apigw-v1,alb,apigw-v2`',
    );
  });

  it('with every reader answers every kind exactly as adaptHttp does', async () => {
    const every = adaptHttpFor([apiGatewayV2Events, apiGatewayV1Events, albEvents], hello, { name: 'hello' });
    const all = adaptHttp(hello, { name: 'hello' });
    for (const [name, make] of Object.entries(EVENTS)) {
      const result = await call(all, make());
      expect(result.statusCode, name).toBe(200);
      expect(await call(every, make()), name).toEqual(result);
    }
  });

  it('refuses an empty list of readers and a function of another kind, by name', () => {
    expect(() => adaptHttpFor([], hello)).toThrow('faasport/aws: adaptHttpFor() needs one or more of apiGatewayV2Events, apiGatewayV1Events, albEvents');
    expect(() => adaptHttpFor([apiGatewayV2Events], queue({ queue: 'q' }, () => {}) as never)).toThrow(
      'faasport/aws: adaptHttpFor() takes only http functions; got a queue function',
    );
    expect(adaptHttpFor([apiGatewayV2Events], hello).name).toBe('faasportAwsHttp');
  });
});

describe('adaptBufferedHttpFor (what faasport build writes for an HTTP function that does not stream)', () => {
  it('answers every kind of event, listed or not, exactly as adaptHttpFor with the same readers', async () => {
    for (const readers of [[apiGatewayV2Events], [apiGatewayV1Events, albEvents], [apiGatewayV2Events, apiGatewayV1Events, albEvents]]) {
      const buffered = adaptBufferedHttpFor(readers, hello, { name: 'hello' });
      const reference = adaptHttpFor(readers, hello, { name: 'hello' });
      for (const [name, make] of Object.entries(EVENTS)) expect(await call(buffered, make()), name).toEqual(await call(reference, make()));
      expect(await call(buffered, { Records: [] })).toEqual(await call(reference, { Records: [] }));
    }
    expect(adaptBufferedHttpFor([apiGatewayV2Events], hello).name).toBe('faasportAwsHttp');
  });

  it('refuses a streaming function, an empty list of readers and a function of another kind, by name', () => {
    expect(() => adaptBufferedHttpFor([apiGatewayV2Events], http({ route: '/feed', stream: true }, () => new Response('x')))).toThrow(
      'faasport/aws: adaptBufferedHttpFor() takes only functions that do not stream; use adaptStreamingHttpFor() (or adaptHttpFor()) for http({ stream: true })',
    );
    expect(() => adaptBufferedHttpFor([], hello)).toThrow('faasport/aws: adaptBufferedHttpFor() needs one or more of apiGatewayV2Events, apiGatewayV1Events, albEvents');
    expect(() => adaptBufferedHttpFor([apiGatewayV2Events], queue({ queue: 'q' }, () => {}) as never)).toThrow(
      'faasport/aws: adaptBufferedHttpFor() takes only http functions; got a queue function',
    );
  });
});

describe('adaptHttp (every kind of event, detected at run time)', () => {
  it('answers each real event in its own shape', async () => {
    const all = adaptHttp(hello, { name: 'hello' });
    const results = Object.fromEntries(await Promise.all(Object.entries(EVENTS).map(async ([name, make]) => [name, await call(all, make())] as const)));
    for (const result of Object.values(results)) expect(result.statusCode).toBe(200);
    expect(results['HTTP API (payload 2.0)']).not.toHaveProperty('statusDescription');
    expect(results['REST API (payload 1.0)']).not.toHaveProperty('statusDescription');
    expect(results['ALB single-value']).toMatchObject({ statusDescription: '200 OK', headers: { 'content-type': 'application/json' } });
    expect(results['ALB multi-value']).toMatchObject({ statusDescription: '200 OK', multiValueHeaders: { 'content-type': ['application/json'] } });
  });
});
