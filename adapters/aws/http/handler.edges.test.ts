import { describe, expect, it, vi } from 'vitest';
import { http } from '../../../core/define.js';
import { adapt } from '../adapt.js';
import type { AwsHttpEvent, AwsHttpResult } from '../types.js';
import { apigwV1 } from './apigw-v1.js';
import { captureLogLines, fixture, lambdaContext, sharedFixture } from './test-helpers.js';

// Node's own Response class, read before adapt() below makes the light one the global: a handler that returns
// one of these (a fetch() result passed on, say) is answered on the asynchronous path, which reads its body.
const NodeResponse = globalThis.Response;

const logLines = captureLogLines();
const ok = http({ route: '/*' }, () => new Response('ok', { headers: { 'content-type': 'text/plain' } }));
const handler = adapt(ok, { name: 'edges' }) as unknown as (event: unknown, context: unknown) => Promise<AwsHttpResult>;
const nodeResponseHandler = (body: () => BodyInit) =>
  adapt(
    http({ route: '/*' }, () => new NodeResponse(body(), { status: 201, headers: { 'content-type': 'text/plain', 'x-a': '1' } })),
    { name: 'edges' },
  ) as unknown as (event: unknown, context: unknown) => Promise<AwsHttpResult>;

describe('AWS HTTP handler edges', () => {
  it('answers 400 for an event whose fields cannot be read, and logs why', async () => {
    const boom = new Error('getter broke');
    const result = await handler(
      Object.defineProperty({ ...fixture('apigw-v1-head.json') }, 'body', { get: () => { throw boom; }, enumerable: true }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(400);
    expect(result.body).toBe('faasport/aws: malformed API Gateway REST API (payload 1.0) event: its fields cannot be read; expected plain JSON data');
    const line = logLines().find((l) => l.message === 'faasport: the event could not be read');
    expect(line?.level).toBe('warn');
    expect(line?.error.message).toBe('getter broke');
  });

  it('logs a bad event with its reason and shape', async () => {
    const result = await handler(fixture('malformed-apigw-v1-no-path.json'), lambdaContext());
    expect(result.statusCode).toBe(400);
    const line = logLines().find((l) => l.message === 'faasport: bad event, answered 400');
    expect(line).toMatchObject({ level: 'warn', reason: result.body, shape: 'apigw-v1', function: 'edges' });
  });

  it('answers 500 and logs when the adapter itself fails after the shape is known', async () => {
    vi.spyOn(apigwV1, 'parse').mockReturnValue(undefined as never);
    const result = await handler(fixture('apigw-v1-head.json'), lambdaContext());
    expect(result).toStrictEqual({
      statusCode: 500,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: 'Internal Server Error',
      isBase64Encoded: false,
    });
    expect(logLines().find((l) => l.level === 'error')?.message).toBe('faasport: the AWS HTTP adapter failed');
  });

  it("answers a Response of Node's own class by reading its body: status, headers and bytes", async () => {
    expect(NodeResponse).not.toBe(globalThis.Response);
    const result = await nodeResponseHandler(() => 'from undici')(fixture('apigw-v1-cookies.json'), lambdaContext());
    expect(result).toStrictEqual({ statusCode: 201, headers: { 'content-type': 'text/plain', 'x-a': '1' }, body: 'from undici', isBase64Encoded: false });
  });

  it("answers 500 and logs when a Response's body stream fails while it is read", async () => {
    const failing = () => new ReadableStream({ pull: (controller) => controller.error(new Error('body broke')) });
    const result = await nodeResponseHandler(failing)(fixture('apigw-v1-cookies.json'), lambdaContext());
    expect(result).toStrictEqual({ statusCode: 500, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Internal Server Error', isBase64Encoded: false });
    const line = logLines().find((l) => l.level === 'error');
    expect(line?.message).toBe('faasport: the AWS HTTP adapter failed');
    expect(line?.error.message).toBe('body broke');
  });

  it.each([
    ['a light Response (answered at once)', () => handler],
    ["Node's own Response (answered once its body is read)", () => nodeResponseHandler(() => 'from undici')],
  ])('answers 500 and logs when building the native result of %s fails', async (_, make) => {
    const broken = new Error('result broke once');
    vi.spyOn(apigwV1, 'result').mockImplementationOnce(() => {
      throw broken;
    });
    const result = await make()(fixture('apigw-v1-cookies.json'), lambdaContext());
    expect(result).toStrictEqual({ statusCode: 500, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Internal Server Error', isBase64Encoded: false });
    const line = logLines().find((l) => l.level === 'error');
    expect(line?.message).toBe('faasport: the AWS HTTP adapter failed');
    expect(line?.error.message).toBe('result broke once');
  });

  it('rejects when answering that fault fails too, and when the Lambda context cannot be read', async () => {
    const broken = new Error('result broke');
    vi.spyOn(apigwV1, 'parse').mockReturnValue(undefined as never);
    vi.spyOn(apigwV1, 'result').mockImplementation(() => {
      throw broken;
    });
    await expect(handler(fixture('apigw-v1-head.json'), lambdaContext())).rejects.toBe(broken);
    const clock = new Error('no clock');
    const context = lambdaContext({ getRemainingTimeInMillis: () => { throw clock; } });
    await expect(handler(fixture('apigw-v1-head.json'), context)).rejects.toBe(clock);
  });

  it('answers 400 naming every reader joined with " or " for an event of no known kind', async () => {
    const result = await handler({}, lambdaContext());
    expect(result).toEqual({
      statusCode: 400,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body:
        'faasport/aws: this HTTP function cannot read the event: expected an API Gateway HTTP API / Function URL (payload 2.0) event (version "2.0", requestContext.http)' +
        ' or an API Gateway REST API (payload 1.0) event (httpMethod, path, requestContext.stage)' +
        ' or an ALB event (requestContext.elb, httpMethod, path); got an empty object',
      isBase64Encoded: false,
    });
  });
});

describe("Lambda's 6 MB limit, at the exact boundary", () => {
  const sized = http({ route: '/*' }, (req) =>
    new Response('x'.repeat(Number(new URL(req.url).searchParams.get('n'))), { headers: { 'content-type': 'text/plain' } }),
  );
  const sizedHandler = adapt(sized, { name: 'sized' }) as unknown as (event: unknown, context: unknown) => Promise<AwsHttpResult>;
  const eventFor = (n: number) => ({ ...sharedFixture('apigw-http/no-auth.json'), rawQueryString: `n=${n}`, queryStringParameters: { n: String(n) } });

  it('answers a result of exactly 6291556 bytes as it is', async () => {
    const probe = await sizedHandler(eventFor(1_100_000), lambdaContext());
    const overhead = Buffer.byteLength(JSON.stringify(probe)) - 1_100_000;
    const n = 6_291_556 - overhead;
    const result = await sizedHandler(eventFor(n), lambdaContext());
    expect(Buffer.byteLength(JSON.stringify(result))).toBe(6_291_556);
    expect(result.statusCode).toBe(200);
    const over = await sizedHandler(eventFor(n + 1), lambdaContext());
    expect(over.statusCode).toBe(500);
    const line = logLines().find((l) => l.level === 'error');
    expect(line?.message).toBe(
      "faasport/aws: the response is 6291557 bytes as Lambda sends it, over Lambda's 6291556-byte limit for a buffered response; Lambda would fail the invocation (Function.ResponseSizeTooLarge). Stream it (http({ stream: true }), up to 200 MB) or hand out a link to the object instead; answered 500",
    );
  });
});
