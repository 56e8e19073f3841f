/** The queue (Pub/Sub push) handler driven directly with framework-shaped requests and a recording response. */
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { queue } from '../../core/define.js';
import { BadEventError } from '../../core/errors.js';
import type { Context, Message } from '../../core/types.js';
import { adaptQueue, pushBody } from './queue.js';
import type { GcpPushNative } from './types.js';

afterEach(() => {
  vi.restoreAllMocks();
});

const envelope = {
  message: { data: 'aGk=', messageId: 'm-1', publishTime: '2021-02-26T19:13:55.749Z' },
  subscription: 'projects/p/subscriptions/orders-push',
};
const envelopeBytes = Buffer.from(JSON.stringify(envelope));

/** What the framework hands over after its JSON parser read an application/json body (req.is as Express answers it). */
const parsedRequest = (body: unknown, rawBody: Buffer | undefined, contentType = 'application/json') =>
  Object.assign(Readable.from([]), {
    method: 'POST',
    headers: { 'content-type': contentType },
    is: (types: string[]) => (types.includes(contentType) ? contentType : false),
    body,
    rawBody,
  });

/** A body no parser read (no Content-Type): the stream is still unread. */
const unreadRequest = (stream: Readable) =>
  Object.assign(stream, { method: 'POST', headers: {}, is: () => null, body: undefined, rawBody: undefined });

function recordingResponse() {
  const calls: unknown[][] = [];
  const res = {
    statusCode: 200,
    statusMessage: '',
    headersSent: false,
    setHeader: (name: string, value: unknown) => void calls.push(['setHeader', name, value]),
    end: (...args: unknown[]) => void calls.push(['end', ...args]),
  };
  return { res, calls };
}

const captureConsole = () => {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
  return lines;
};

describe('pushBody', () => {
  it("hands over the framework's parsed JSON object itself", async () => {
    const body = structuredClone(envelope);
    expect(await pushBody(parsedRequest(body, envelopeBytes) as never)).toBe(body);
  });

  it('hands over the parsed object for application/cloudevents+json too (the framework parses it as JSON)', async () => {
    const body = structuredClone(envelope);
    expect(await pushBody(parsedRequest(body, envelopeBytes, 'application/cloudevents+json') as never)).toBe(body);
  });

  it('reads and parses the stream when no parser ran', async () => {
    const req = unreadRequest(Readable.from([envelopeBytes.subarray(0, 10), envelopeBytes.subarray(10)]));
    expect(await pushBody(req as never)).toEqual(envelope);
  });

  it('refuses a request whose body a parser consumed without keeping bytes (an empty body)', async () => {
    const req = parsedRequest({}, undefined);
    for await (const chunk of req) expect(chunk).toBeUndefined(); // ends the stream, as the parser did
    await expect(pushBody(req as never)).rejects.toThrow(new BadEventError('faasport: the push request has no body (expected a Pub/Sub push envelope)'));
  });

  it('refuses bytes that are not JSON, keeping the parse error as the cause', async () => {
    const error = await pushBody(unreadRequest(Readable.from([Buffer.from('{nope')])) as never).catch((e: unknown) => e);
    expect(error).toEqual(new BadEventError('faasport: the push request body is not JSON (expected a Pub/Sub push envelope)'));
    expect((error as Error).cause).toBeInstanceOf(SyntaxError);
  });
});

describe('the queue handler', () => {
  it('answers 405 with Allow: POST to other methods', async () => {
    const { res, calls } = recordingResponse();
    const req = Object.assign(Readable.from([]), { method: 'GET', headers: {} });
    await adaptQueue(queue({ queue: 'orders' }, () => undefined), { name: 'q' })(req as never, res as never);
    expect(res.statusCode).toBe(405);
    expect(calls).toEqual([
      ['setHeader', 'content-type', 'text/plain; charset=utf-8'],
      ['setHeader', 'allow', 'POST'],
      ['end', Buffer.from('Method Not Allowed')],
    ]);
  });

  it('runs the handler on the envelope the framework parsed, logging with the function name and message id', async () => {
    const lines = captureConsole();
    const seen: { message: Message; native: GcpPushNative }[] = [];
    const fn = queue({ queue: 'orders' }, (message, ctx: Context) => {
      ctx.log.info('got it');
      seen.push({ message, native: (ctx as Context<GcpPushNative>).native });
    });
    const body = structuredClone(envelope);
    const { res, calls } = recordingResponse();
    await adaptQueue(fn, { name: 'q-orders' })(parsedRequest(body, envelopeBytes) as never, res as never);
    expect(res.statusCode).toBe(204);
    expect(calls).toEqual([['end']]);
    expect(seen.map(({ message }) => [message.id, message.text()])).toEqual([['m-1', 'hi']]);
    expect(seen[0]!.native.envelope).toBe(body);
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      {
        severity: 'INFO',
        message: 'got it',
        function: 'q-orders',
        invocationId: 'm-1',
        'logging.googleapis.com/labels': { execution_id: 'm-1' },
      },
    ]);
  });

  it('answers 400 to a body that is no envelope and logs a warning naming the function', async () => {
    const lines = captureConsole();
    const { res, calls } = recordingResponse();
    await adaptQueue(queue({ queue: 'orders' }, () => undefined), { name: 'q-orders' })(unreadRequest(Readable.from([Buffer.from('{nope')])) as never, res as never);
    const reason = 'faasport: the push request body is not JSON (expected a Pub/Sub push envelope)';
    expect(res.statusCode).toBe(400);
    expect(calls.at(-1)).toEqual(['end', Buffer.from(`Bad Request: ${reason}`)]);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      severity: 'WARNING',
      message: 'faasport: malformed push request answered 400 (Pub/Sub counts it as a failed delivery)',
      reason,
      function: 'q-orders',
    });
  });

  it('lets an error reading the body through (the client went away), answering nothing', async () => {
    const gone = new Error('aborted');
    const stream = new Readable({ read() { this.destroy(gone); } });
    const { res, calls } = recordingResponse();
    await expect(adaptQueue(queue({ queue: 'orders' }, () => undefined), { name: 'q' })(unreadRequest(stream) as never, res as never)).rejects.toBe(gone);
    expect(calls).toEqual([]);
  });
});
