/**
 * The Lambda response-streaming handler of a `stream: true` function, driven the way Lambda's Node.js runtime
 * drives it. Outside Lambda there is no runtime, so this file plays the part a streaming handler sees of it
 * (aws-lambda-ric 3.3.0, dist/index.mjs: `createResponseStream` and `HttpResponseStream.from`): the response
 * stream is a node Writable; `HttpResponseStream.from(stream, prelude)` switches its content type to
 * `application/vnd.awslambda.http-integration-response` and makes the first write send the prelude's JSON and
 * 8 NUL bytes ahead of it. The real runtime streams through the AWS emulator in the conformance suite.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { http } from '../../../core/define.js';
import { adapt, adaptStreamingHttpFor } from '../adapt.js';
import { apiGatewayV2Events } from './apigw-v2.js';
import type { AwsLambdaGlobal, LambdaResponseStream, StreamPrelude } from './stream.js';
import { fixture, lambdaContext } from './test-helpers.js';

const INTEGRATION_RESPONSE_TYPE = 'application/vnd.awslambda.http-integration-response';
const PRELUDE_SEPARATOR = Buffer.alloc(8);
const encoder = new TextEncoder();

/** The runtime's response stream: records what reached it; `holding` keeps every write waiting until `release()`. */
class RuntimeResponseStream extends Writable {
  contentType = 'application/octet-stream';
  readonly received: Buffer[] = [];
  #prelude: string | undefined;
  #held: (() => void)[] = [];
  #holding: boolean;

  constructor({ holding = false } = {}) {
    super({ highWaterMark: 1 });
    this.#holding = holding;
  }

  /** What HttpResponseStream.from does to the stream it is given. */
  startWithPrelude(prelude: StreamPrelude): void {
    this.contentType = INTEGRATION_RESPONSE_TYPE;
    this.#prelude = JSON.stringify(prelude);
  }

  override write(chunk: unknown, ...rest: never[]): boolean {
    if (this.#prelude !== undefined) {
      const prelude = this.#prelude;
      this.#prelude = undefined;
      super.write(prelude);
      super.write(PRELUDE_SEPARATOR);
    }
    return super.write(chunk, ...rest);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, taken: (error?: Error | null) => void): void {
    this.received.push(chunk);
    if (this.#holding) this.#held.push(() => taken());
    else taken();
  }

  /** The connection to Lambda takes everything held and all that follows. */
  release(): void {
    this.#holding = false;
    for (const take of this.#held.splice(0)) take();
  }

  /** Status, headers and cookies of the prelude, and the body after it. */
  parsed(): { prelude: StreamPrelude; body: string } {
    const all = Buffer.concat(this.received);
    const end = all.indexOf(PRELUDE_SEPARATOR);
    expect(end).toBeGreaterThan(0);
    return { prelude: JSON.parse(all.subarray(0, end).toString('utf8')), body: all.subarray(end + PRELUDE_SEPARATOR.byteLength).toString('utf8') };
  }
}

const runtime: AwsLambdaGlobal = {
  streamifyResponse: (handler) => handler,
  HttpResponseStream: {
    from(stream, prelude) {
      (stream as unknown as RuntimeResponseStream).startWithPrelude(prelude);
      return stream;
    },
  },
};

/** Where Lambda's runtime puts the awslambda global. */
const lambdaSlot = globalThis as unknown as { awslambda?: AwsLambdaGlobal };

beforeAll(() => {
  lambdaSlot.awslambda = runtime;
});
afterAll(() => {
  delete lambdaSlot.awslambda;
});

/** A Function URL GET /echo (payload 2.0), as Lambda hands it to a RESPONSE_STREAM function. */
const functionUrlEvent = () => fixture('function-url-cookies.json');

function invoke(fn: ReturnType<typeof http>, stream: RuntimeResponseStream) {
  const handler = adaptStreamingHttpFor([apiGatewayV2Events], fn, { name: 'streamer' });
  return handler(functionUrlEvent(), stream as unknown as LambdaResponseStream, lambdaContext());
}

/** console.error lines (faasport's JSON log lines) written while `run` runs. */
async function errorLines(run: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'error').mockImplementation((line: unknown) => void lines.push(String(line)));
  try {
    await run().catch((error: unknown) => lines.push(`rejected: ${(error as Error).message}`));
  } finally {
    spy.mockRestore();
  }
  return lines;
}

describe('AWS streamed responses (Lambda response streaming)', () => {
  it('status, headers and both Set-Cookie go out in the prelude before the body has its first chunk', async () => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    const fn = http({ route: '/echo', stream: true }, () => {
      const headers = new Headers({ 'content-type': 'text/event-stream', 'x-streamed': 'yes' });
      headers.append('set-cookie', 'session=s1; Path=/; HttpOnly');
      headers.append('set-cookie', 'theme=dark; Path=/');
      return new Response(
        new ReadableStream<Uint8Array>({
          async start(controller) {
            await opened; // no body byte exists until the test has seen the prelude
            controller.enqueue(encoder.encode('data: 1\n\n'));
            controller.close();
          },
        }),
        { status: 201, headers },
      );
    });
    const stream = new RuntimeResponseStream();
    const done = invoke(fn, stream);
    await vi.waitFor(() => expect(Buffer.concat(stream.received).includes(PRELUDE_SEPARATOR)).toBe(true));
    expect(stream.contentType).toBe(INTEGRATION_RESPONSE_TYPE);
    expect(stream.parsed()).toEqual({
      prelude: { statusCode: 201, headers: { 'content-type': 'text/event-stream', 'x-streamed': 'yes' }, cookies: ['session=s1; Path=/; HttpOnly', 'theme=dark; Path=/'] },
      body: '',
    });
    open();
    await done;
    expect(stream.parsed().body).toBe('data: 1\n\n');
    expect(stream.writableEnded).toBe(true);
  });

  it('reads no further chunk from the body while the runtime stream says to wait for drain', async () => {
    const chunks = 40;
    let pulled = 0;
    const fn = http({ route: '/echo', stream: true }, () =>
      new Response(
        new ReadableStream<Uint8Array>(
          {
            pull(controller) {
              controller.enqueue(new Uint8Array(1024).fill(pulled));
              if (++pulled === chunks) controller.close();
            },
          },
          { highWaterMark: 0 },
        ),
      ),
    );
    const stream = new RuntimeResponseStream({ holding: true });
    const done = invoke(fn, stream);
    await vi.waitFor(() => expect(pulled).toBe(1));
    // A writer that ignored write()'s false would read all 40 chunks in these turns.
    for (let turn = 0; turn < 20; turn++) await new Promise((r) => setImmediate(r));
    expect(pulled).toBe(1);
    stream.release();
    await done;
    expect(pulled).toBe(chunks);
    const all = Buffer.concat(stream.received);
    const body = all.subarray(all.indexOf(PRELUDE_SEPARATOR) + PRELUDE_SEPARATOR.byteLength);
    expect(body).toEqual(Buffer.concat(Array.from({ length: chunks }, (_, k) => Buffer.alloc(1024, k))));
  });

  it('leaves no drain or close listener behind on the runtime stream for each wait for drain', async () => {
    const chunks = 15;
    let pulled = 0;
    const listeners: [number, number][] = [];
    const stream = new RuntimeResponseStream({ holding: true });
    const fn = http({ route: '/echo', stream: true }, () =>
      new Response(
        new ReadableStream<Uint8Array>(
          {
            pull(controller) {
              listeners.push([stream.listenerCount('drain'), stream.listenerCount('close')]);
              controller.enqueue(new Uint8Array(16).fill(pulled));
              if (++pulled === chunks) controller.close();
            },
          },
          { highWaterMark: 0 },
        ),
      ),
    );
    const done = invoke(fn, stream);
    await vi.waitFor(() => expect(pulled).toBe(1));
    stream.release();
    await done;
    expect(pulled).toBe(chunks);
    // Each pull comes after the previous chunk's wait for drain ended: what that wait added is gone again.
    expect(listeners).toEqual(Array.from({ length: chunks }, () => listeners[0]));
  });

  it('stops waiting for drain when the runtime stream closes instead, and leaves no drain listener behind', async () => {
    let pulled = 0;
    const fn = http({ route: '/echo', stream: true }, () =>
      new Response(
        new ReadableStream<Uint8Array>(
          { pull: (controller) => void (pulled++, controller.enqueue(new Uint8Array(16))) },
          { highWaterMark: 0 },
        ),
      ),
    );
    const stream = new RuntimeResponseStream({ holding: true });
    const done = invoke(fn, stream);
    await vi.waitFor(() => expect(pulled).toBe(1));
    stream.destroy(); // the runtime's connection to Lambda broke while a write was waiting for drain
    await done;
    expect(stream.listenerCount('drain')).toBe(0);
  });

  it('logs a stream that fails mid-way as one error line saying the response had started', async () => {
    let n = 0;
    const fn = http({ route: '/echo', stream: true }, () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            if (n++ === 1) throw new Error('the event source failed');
            controller.enqueue(encoder.encode('data: 1\n\n'));
          },
        }),
      ),
    );
    const lines = await errorLines(() => invoke(fn, new RuntimeResponseStream()));
    expect(lines.filter((line) => !line.startsWith('rejected:')).map((line) => JSON.parse(line).message)).toEqual([
      'faasport: the response stream failed after the response had started',
    ]);
  });

  it('a stream that fails mid-way rejects (the runtime sends the error trailers) and the log has the error with its cause', async () => {
    let n = 0;
    const fn = http({ route: '/echo', stream: true }, () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            if (n++ === 2) throw new Error('the event source failed', { cause: new Error('upstream model went away') });
            controller.enqueue(encoder.encode(`data: ${n}\n\n`));
          },
        }),
      ),
    );
    const stream = new RuntimeResponseStream();
    const lines = await errorLines(() => invoke(fn, stream));
    expect(lines.find((line) => line.startsWith('rejected:'))).toMatch(/response stream of .* failed mid-way \(the log has the error\)/);
    const logged = lines.filter((line) => !line.startsWith('rejected:')).join('\n');
    expect(logged).toMatch(/the event source failed/);
    expect(logged).toMatch(/upstream model went away/);
    // What was streamed before the failure had gone out; the response is not ended as if it were whole.
    expect(stream.parsed().body).toBe('data: 1\n\ndata: 2\n\n');
    expect(stream.writableEnded).toBe(false);
  });

  it("the runtime's stream closing early aborts ctx.signal and cancels the handler's stream", async () => {
    let aborted: unknown;
    let cancelled: unknown;
    const fn = http({ route: '/echo', stream: true }, (_req, ctx) => {
      ctx.signal.addEventListener('abort', () => (aborted = ctx.signal.reason));
      return new Response(
        new ReadableStream<Uint8Array>({
          async pull(controller) {
            await new Promise((r) => setTimeout(r, 5));
            controller.enqueue(encoder.encode('tick\n'));
          },
          cancel: (reason) => void (cancelled = reason),
        }),
      );
    });
    const stream = new RuntimeResponseStream();
    const done = invoke(fn, stream);
    await vi.waitFor(() => expect(stream.parsed().body).toContain('tick'));
    stream.destroy(); // the runtime's connection to Lambda broke
    await vi.waitFor(() => expect(aborted).toBeInstanceOf(Error), { timeout: 5000 });
    await done;
    expect((aborted as Error).message).toMatch(/client closed the connection/);
    expect(cancelled).toBe(aborted);
  });

  it('once the body is sent, ctx.signal no longer aborts at the deadline and no timer of the invocation is left', async () => {
    let signal: AbortSignal | undefined;
    const fn = http({ route: '/echo', stream: true }, (_req, ctx) => {
      signal = ctx.signal;
      return new Response(new ReadableStream({ start: (c) => (c.enqueue(encoder.encode('whole')), c.close()) }));
    });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const stream = new RuntimeResponseStream();
      await invoke(fn, stream); // getRemainingTimeInMillis: 3000, so the signal would abort 2.5 s from now
      expect(stream.parsed().body).toBe('whole');
      expect(vi.getTimerCount()).toBe(0);
      vi.advanceTimersByTime(10_000);
      expect(signal?.aborted).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a HEAD request gets the prelude and no body', async () => {
    const fn = http({ route: '/echo', stream: true }, () => new Response(new ReadableStream({ start: (c) => c.enqueue(encoder.encode('never sent')) }), { status: 200 }));
    const stream = new RuntimeResponseStream();
    const event = functionUrlEvent();
    event.requestContext.http.method = 'HEAD';
    await adaptStreamingHttpFor([apiGatewayV2Events], fn, { name: 'streamer' })(event, stream as unknown as LambdaResponseStream, lambdaContext());
    expect(stream.parsed()).toMatchObject({ prelude: { statusCode: 200 }, body: '' });
  });

  it('outside Lambda (no awslambda global) adapting a streaming function says where it runs', () => {
    const saved = lambdaSlot.awslambda;
    delete lambdaSlot.awslambda;
    try {
      expect(() => adapt(http({ route: '/echo', stream: true }, () => new Response('x')))).toThrow(/awslambda global .* invoke\(\) from faasport\/testing/);
    } finally {
      lambdaSlot.awslambda = saved;
    }
  });
});

describe('AWS streamed responses: events the streaming handler cannot read', () => {
  const fn = http({ route: '/echo', stream: true }, () => new Response('x'));
  const run = async (event: unknown) => {
    const stream = new RuntimeResponseStream();
    const lines = await errorLines(() =>
      adaptStreamingHttpFor([apiGatewayV2Events], fn, { name: 'streamer' })(event as never, stream as unknown as LambdaResponseStream, lambdaContext()),
    );
    return { ...stream.parsed(), lines };
  };

  it('answers an event of no known kind with a 400 prelude and the message as body', async () => {
    expect(await run({})).toMatchObject({
      prelude: { statusCode: 400, headers: { 'content-type': 'text/plain; charset=utf-8' }, cookies: [] },
      body: 'faasport/aws: this HTTP function cannot read the event: expected an API Gateway HTTP API / Function URL (payload 2.0) event (version "2.0", requestContext.http); got an empty object',
    });
  });

  it('answers a REST API event, a kind this handler does not read, with a 400 naming it', async () => {
    expect(await run(fixture('apigw-v1-head.json'))).toMatchObject({
      prelude: { statusCode: 400, headers: { 'content-type': 'text/plain; charset=utf-8' }, cookies: [] },
      body:
        'faasport/aws: this HTTP function got an API Gateway REST API (payload 1.0) event, but it was built to read only API Gateway HTTP API / Function URL (payload 2.0) events; ' +
        'rebuild it with `faasport build --aws-http-events apigw-v2,apigw-v1` (or `all`)',
    });
  });

  it('answers a malformed payload 2.0 event with the 400 of its shape', async () => {
    expect(await run(fixture('malformed-apigw-v2-no-method.json'))).toMatchObject({
      prelude: { statusCode: 400, headers: { 'content-type': 'text/plain; charset=utf-8' }, cookies: [] },
      body: 'faasport/aws: malformed API Gateway HTTP API / Function URL (payload 2.0) event: requestContext.http.method is missing; expected an HTTP method such as "GET"',
    });
  });

  it("hands the handler the event's request", async () => {
    const echo = http({ route: '/echo', stream: true }, (req) => new Response(`${req.method} ${new URL(req.url).pathname}`));
    const stream = new RuntimeResponseStream();
    await adaptStreamingHttpFor([apiGatewayV2Events], echo, { name: 'streamer' })(functionUrlEvent(), stream as unknown as LambdaResponseStream, lambdaContext());
    expect(stream.parsed()).toMatchObject({ prelude: { statusCode: 200 }, body: 'GET /echo' });
  });

  it('rejects with the error of an event whose fields cannot be read', async () => {
    const boom = new Error('getter broke');
    const event = Object.defineProperty(functionUrlEvent(), 'body', { get: () => { throw boom; }, enumerable: true });
    const handler = adaptStreamingHttpFor([apiGatewayV2Events], fn, { name: 'streamer' });
    await expect(handler(event, new RuntimeResponseStream() as unknown as LambdaResponseStream, lambdaContext())).rejects.toBe(boom);
  });
});
