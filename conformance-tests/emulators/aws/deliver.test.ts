import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsEmulator, type AwsEmulator } from './index.js';

// Hand-written native Lambda handlers (plain ESM, no faasport adapter) that POST what they saw to a probe.
const PRELUDE = `
const report = (what) => fetch(process.env.FAASPORT_PROBE_URL, {
  method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ fn: process.env.AWS_LAMBDA_FUNCTION_NAME, ...what }),
});
const count = (record) => Number(record.attributes.ApproximateReceiveCount);
`;

/**
 * What `faasport build` writes in faasport.json `settings` for each function, here short so the tests run quickly
 * (a test build: times may be fractions of a second, which AWS would round up to whole seconds).
 */
type Settings = Record<string, unknown>;
const sqs = (more: Record<string, unknown> = {}) => ({
  timeout: 3,
  memory: 128,
  environment: {},
  sqs: { batchSize: 10, maximumBatchingWindowInSeconds: 0, visibilityTimeout: 3, maxReceiveCount: 5, fifo: false, contentBasedDeduplication: false, ...more },
});
const asyncRetries = (maximumRetryAttempts: number) => ({ timeout: 3, memory: 128, environment: {}, maximumRetryAttempts });

const HANDLERS: Record<string, { kind: string; options: Record<string, unknown>; code: string; settings?: Settings }> = {
  partial: {
    kind: 'queue',
    options: { queue: 'orders', maxAttempts: 3 },
    settings: sqs({ maxReceiveCount: 3 }),
    code: `export const handler = async (event) => {
      await report({ event });
      return { batchItemFailures: event.Records.filter((r) => r.body.startsWith('fail')).map((r) => ({ itemIdentifier: r.messageId })) };
    };`,
  },
  thrower: {
    kind: 'queue',
    options: { queue: 'throws' },
    settings: sqs(),
    code: `export const handler = async (event) => {
      await report({ event });
      if (count(event.Records[0]) === 1) throw new Error('first try fails');
      return { batchItemFailures: [] };
    };`,
  },
  crasher: {
    kind: 'queue',
    options: { queue: 'crashes' },
    settings: sqs(),
    code: `export const handler = async (event) => {
      await report({ event, pid: process.pid });
      if (count(event.Records[0]) === 1) process.exit(1);
      return null;
    };`,
  },
  sleeper: {
    kind: 'queue',
    options: { queue: 'slow' },
    settings: { ...sqs({ visibilityTimeout: 5 }), timeout: 5 },
    code: `export const handler = async (event) => {
      await report({ event });
      if (count(event.Records[0]) === 1) await new Promise((resolve) => setTimeout(resolve, 60_000));
      return {};
    };`,
  },
  batcher: {
    kind: 'queue',
    options: { queue: 'batches', batchSize: 2 },
    settings: sqs({ batchSize: 2 }),
    code: `export const handler = async (event) => { await report({ event }); };`,
  },
  invalid: {
    kind: 'queue',
    options: { queue: 'invalid', maxAttempts: 2 },
    settings: sqs({ maxReceiveCount: 2 }),
    code: `export const handler = async (event) => {
      await report({ event });
      const body = event.Records[0].body;
      if (body === 'unknown-id') return { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] };
      if (body === 'missing-id') return { batchItemFailures: [{ messageId: event.Records[0].messageId }] };
      if (body === 'empty-id') return { batchItemFailures: [{ itemIdentifier: '' }] };
      return 'done';
    };`,
  },
  lingers: {
    kind: 'queue',
    options: { queue: 'lingering', batchSize: 20 },
    // Visibility 1 s = the function timeout (the least Lambda accepts); a 0.5 s batching window holds the message
    // before the invocation starts, and the first invocation then runs 0.6 s: it outlives the visibility timeout.
    settings: { ...sqs({ batchSize: 20, maximumBatchingWindowInSeconds: 0.5, visibilityTimeout: 1 }), timeout: 1 },
    code: `export const handler = async (event) => {
      await report({ event });
      if (count(event.Records[0]) === 1) await new Promise((resolve) => setTimeout(resolve, 600));
      await report({ event, done: true });
    };`,
  },
  ordered: {
    kind: 'queue',
    options: { queue: 'jobs.fifo' },
    settings: sqs({ fifo: true, contentBasedDeduplication: true }),
    code: `export const handler = async (event) => { await report({ event }); };`,
  },
  tooBig: {
    kind: 'queue',
    options: { queue: 'big.fifo', batchSize: 20 },
    settings: sqs({ fifo: true, contentBasedDeduplication: true, batchSize: 20, maximumBatchingWindowInSeconds: 1 }),
    code: `export const handler = async () => {};`,
  },
  notify: {
    kind: 'topic',
    options: { topic: 'alerts' },
    code: `export const handler = async (event, context) => {
      await report({ event, requestId: context.awsRequestId });
      if (event.Records[0].Sns.Message === 'fail') throw new Error('cannot handle this one');
    };`,
  },
  store: {
    kind: 'storage',
    options: { bucket: 'uploads' },
    code: `export const handler = async (event) => { await report({ event }); };`,
  },
  createdOnly: {
    kind: 'storage',
    options: { bucket: 'photos', events: ['created'] },
    code: `export const handler = async () => {};`,
  },
  tick: {
    kind: 'schedule',
    options: { cron: '0 * * * *' },
    code: `let calls = 0;
      export const handler = async (event) => {
        await report({ event });
        if (++calls === 1) throw new Error('the first tick fails');
      };`,
  },
  bus: {
    kind: 'event',
    // The source wishes for 5 attempts; the template deploys MaximumRetryAttempts 1: the emulator follows the template.
    options: { type: 'order.created', maxAttempts: 5 },
    settings: asyncRetries(1),
    code: `export const handler = async (event) => {
      await report({ event });
      if (event.detail.fail) throw new Error('bad order');
    };`,
  },
  web: {
    kind: 'http',
    options: { route: '/web' },
    code: `export const handler = async () => ({ statusCode: 200, body: 'ok' });`,
  },
};

interface Seen {
  fn: string;
  event: Record<string, unknown>;
  requestId?: string;
}

let dir: string;
let emu: AwsEmulator;
let probe: http.Server;
const seen: Seen[] = [];

async function writeApp(into: string): Promise<void> {
  const functions = Object.entries(HANDLERS)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, fn]) => ({
      name,
      kind: fn.kind,
      options: fn.options,
      export: name,
      source: 'src/app.ts',
      entry: `${name}/index.mjs`,
      handler: `${name}/index.handler`,
      ...(fn.settings ? { settings: fn.settings } : {}),
    }));
  for (const [name, fn] of Object.entries(HANDLERS)) {
    await mkdir(path.join(into, name));
    await writeFile(path.join(into, name, 'index.mjs'), PRELUDE + fn.code);
  }
  await writeFile(path.join(into, 'faasport.json'), JSON.stringify({ provider: 'aws', functions }, null, 2) + '\n');
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'faasport-aws-deliver-'));
  await writeApp(dir);
  probe = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Seen);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  emu = await startAwsEmulator({
    dir,
    // Long enough for a cold runtime on a loaded machine to answer the retry, short against the first attempt's 60 s sleep.
    timeoutMs: { sleeper: 5_000 },
    env: { FAASPORT_PROBE_URL: `http://127.0.0.1:${(probe.address() as AddressInfo).port}/` },
    asyncRetryDelayMs: 20,
  });
});

afterAll(async () => {
  await emu?.stop();
  probe?.closeAllConnections();
  await new Promise((resolve) => probe?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

type SqsRecord = {
  messageId: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, unknown>;
  [key: string]: unknown;
};

/** The SQS batches a function received, in order. */
const batchesOf = (fn: string): SqsRecord[][] =>
  seen.filter((s) => s.fn === fn).map((s) => (s.event as { Records: SqsRecord[] }).Records);

/** Every delivery of a body to a function, with its receive count. */
const deliveriesOf = (fn: string, body: string): number[] =>
  batchesOf(fn)
    .flat()
    .filter((r) => r.body === body)
    .map((r) => Number(r.attributes.ApproximateReceiveCount));

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

describe('SQS through the event source mapping', () => {
  /** Three messages to the function that reports `fail…` bodies in batchItemFailures; each test its own bodies. */
  const deliverPartial = (tag: string) =>
    emu.deliver('partial', { messages: [{ body: `one${tag}`, attributes: { color: 'red' } }, { body: `fail${tag}` }, { body: `three${tag}` }] });

  it('redelivers a message reported in batchItemFailures until maxAttempts, then dead-letters it; the others run once', async () => {
    const report = await deliverPartial('-redelivered');
    expect(report.outcomes).toEqual([
      { attempts: 1, outcome: 'acked' },
      { attempts: 3, outcome: 'dead-lettered' },
      { attempts: 1, outcome: 'acked' },
    ]);
    expect(deliveriesOf('partial', 'one-redelivered')).toEqual([1]);
    expect(deliveriesOf('partial', 'three-redelivered')).toEqual([1]);
    expect(deliveriesOf('partial', 'fail-redelivered')).toEqual([1, 2, 3]);
    // every delivery of the failing message carried the same id; the redeliveries carried it alone
    const batches = batchesOf('partial');
    const failedId = batches.flat().find((r) => r.body === 'fail-redelivered')!.messageId;
    const redeliveries = batches.filter((b) => b.some((r) => r.messageId === failedId && Number(r.attributes.ApproximateReceiveCount) > 1));
    expect(redeliveries.map((b) => b.map((r) => r.messageId))).toEqual([[failedId], [failedId]]);
    const dlq = emu.deadLetters('orders').filter((m) => m.body === 'fail-redelivered');
    expect(dlq).toHaveLength(1);
    expect(dlq[0]).toMatchObject({ messageId: failedId, body: 'fail-redelivered', deadLetterSourceArn: 'arn:aws:sqs:us-east-1:000000000000:orders' });
    expect(emu.deadLetters('orders-dlq').filter((m) => m.body === 'fail-redelivered')).toEqual(dlq);
  });

  it('builds records as Lambda does: ids, receipt handle, MD5, attributes, message attributes, ARN', async () => {
    await deliverPartial('-record');
    const record = batchesOf('partial').flat().find((r) => r.body === 'one-record')!;
    expect(record).toEqual({
      messageId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      receiptHandle: expect.stringMatching(/^[A-Za-z0-9+/=]{40,}$/),
      body: 'one-record',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: expect.stringMatching(/^\d{13}$/),
        SenderId: expect.stringMatching(/^AIDA[A-Z0-9]+$/),
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
      },
      messageAttributes: { color: { stringValue: 'red', stringListValues: [], binaryListValues: [], dataType: 'String' } },
      md5OfMessageAttributes: expect.stringMatching(/^[0-9a-f]{32}$/),
      md5OfBody: md5('one-record'),
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:orders',
      awsRegion: 'us-east-1',
    });
    expect(Object.keys(batchesOf('partial').flat().find((r) => r.body === 'three-record')!)).not.toContain('md5OfMessageAttributes');
    // each receive hands out a new receipt handle
    const handles = batchesOf('partial')
      .flat()
      .filter((r) => r.body === 'fail-record')
      .map((r) => r.receiptHandle);
    expect(new Set(handles).size).toBe(3);
  });

  it('returns the whole batch to the queue when the handler throws', async () => {
    const report = await emu.deliver('thrower', { messages: [{ body: 'a' }, { body: 'b' }] });
    expect(report.outcomes).toEqual([
      { attempts: 2, outcome: 'acked' },
      { attempts: 2, outcome: 'acked' },
    ]);
    for (const body of ['a', 'b']) expect(deliveriesOf('thrower', body)).toEqual([1, 2]);
    expect(emu.logs('thrower').some((l) => l.includes('failed as a whole: the function failed (Error)'))).toBe(true);
  });

  it('loses nothing when the runtime exits mid-batch: the messages come back and run on a fresh process', async () => {
    const report = await emu.deliver('crasher', { messages: [{ body: 'x' }, { body: 'y' }, { body: 'z' }] });
    expect(report.outcomes).toEqual([1, 2, 3].map(() => ({ attempts: 2, outcome: 'acked' })));
    for (const body of ['x', 'y', 'z']) expect(deliveriesOf('crasher', body)).toEqual([1, 2]);
    // the redeliveries ran on processes other than the ones that exited
    const runs = seen.filter((s) => s.fn === 'crasher') as unknown as { pid: number; event: { Records: SqsRecord[] } }[];
    const pidsAt = (count: number) => new Set(runs.filter((r) => r.event.Records.some((x) => x.attributes.ApproximateReceiveCount === String(count))).map((r) => r.pid));
    for (const pid of pidsAt(2)) expect(pidsAt(1).has(pid)).toBe(false);
    expect(emu.logs('crasher').some((l) => l.includes('Runtime.ExitError'))).toBe(true);
  });

  it('returns the whole batch to the queue when the function times out', async () => {
    const report = await emu.deliver('sleeper', { messages: [{ body: 'nap' }] });
    expect(report.outcomes).toEqual([{ attempts: 2, outcome: 'acked' }]);
    expect(emu.logs('sleeper').some((l) => l.includes('Sandbox.Timedout'))).toBe(true);
  });

  it('never puts more than batchSize messages in one invocation, and runs each once', async () => {
    const bodies = ['m1', 'm2', 'm3', 'm4', 'm5'];
    const report = await emu.deliver('batcher', { messages: bodies.map((body) => ({ body })) });
    expect(report.outcomes).toEqual(bodies.map(() => ({ attempts: 1, outcome: 'acked' })));
    const batches = batchesOf('batcher');
    for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(2);
    expect(batches.flat().map((r) => r.body).sort()).toEqual(bodies);
  });

  it.each([
    ['an itemIdentifier that is not in the batch', 'unknown-id'],
    ['an item without itemIdentifier', 'missing-id'],
    ['an empty itemIdentifier', 'empty-id'],
    ['a response that is not an object', 'string-response'],
  ])('treats %s as a whole-batch failure', async (_, body) => {
    const report = await emu.deliver('invalid', { messages: [{ body }] });
    expect(report.outcomes).toEqual([{ attempts: 2, outcome: 'dead-lettered' }]);
    expect(deliveriesOf('invalid', body)).toEqual([1, 2]);
    expect(emu.deadLetters('invalid').map((m) => m.body)).toContain(body);
  });

  it('lets the stimulus override the attempt limit', async () => {
    const report = await emu.deliver('partial', { messages: [{ body: 'fail' }], maxAttempts: 1 });
    expect(report.outcomes).toEqual([{ attempts: 1, outcome: 'dead-lettered' }]);
  });

  it('delivers a message again when its invocation outlived the visibility timeout, and counts the second success as a duplicate', async () => {
    const report = await emu.deliver('lingers', { messages: [{ body: 'slow-one' }] });
    // Cold starts count against the visibility timeout too, as on Lambda, so a loaded machine may add a delivery
    // (or a timeout): what holds is that the message was delivered again and that the counts add up.
    const [outcome] = report.outcomes;
    expect(outcome).toMatchObject({ outcome: 'acked', duplicates: expect.any(Number) });
    expect(outcome!.duplicates).toBeGreaterThanOrEqual(1);
    const runs = seen.filter((s) => s.fn === 'lingers') as unknown as { done?: boolean; event: { Records: SqsRecord[] } }[];
    const record = (r: (typeof runs)[number]) => r.event.Records[0]!;
    expect(new Set(runs.map((r) => record(r).messageId)).size).toBe(1);
    const receives = Math.max(...runs.map((r) => Number(record(r).attributes.ApproximateReceiveCount)));
    expect(outcome!.attempts + outcome!.duplicates!).toBe(receives);
    // every successful delivery ran to the end: the first one's late delete stopped nothing (a run that finished
    // just past the function's timeout on a loaded machine counts as done here but failed for Lambda)
    const done = runs.filter((r) => r.done).length;
    expect(done).toBeGreaterThanOrEqual(1 + outcome!.duplicates!);
    expect(done).toBeLessThanOrEqual(receives);
  });

  it('delivers a handled message once more at the stimulus duplicate rate, with the same message id', async () => {
    const report = await emu.deliver('batcher', { messages: [{ body: 'twice' }], duplicateRate: 1 });
    expect(report.outcomes).toEqual([{ attempts: 1, outcome: 'acked', duplicates: 1 }]);
    const records = batchesOf('batcher').flat().filter((r) => r.body === 'twice');
    expect(records.map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2']);
    expect(records[0]!.messageId).toBe(records[1]!.messageId);
  });
});

describe('FIFO queues as the template deploys them', () => {
  it('delivers in order and drops a body sent again within 5 minutes (content-based deduplication)', async () => {
    const report = await emu.deliver('ordered', { messages: [{ body: 'f1' }, { body: 'f2' }, { body: 'f1' }, { body: 'f3' }] });
    expect(report.outcomes).toEqual([
      { attempts: 1, outcome: 'acked' },
      { attempts: 1, outcome: 'acked' },
      { attempts: 0, outcome: 'acked' },
      { attempts: 1, outcome: 'acked' },
    ]);
    const records = batchesOf('ordered').flat();
    expect(records.map((r) => r.body)).toEqual(['f1', 'f2', 'f3']);
    expect(records[0]!.attributes).toMatchObject({ MessageGroupId: expect.any(String), MessageDeduplicationId: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('refuses a FIFO mapping with more than 10 messages per batch, as Lambda does', async () => {
    await expect(emu.deliver('tooBig', { messages: [{ body: 'x' }] })).rejects.toThrow(/batchSize is 20; a FIFO queue takes 1 to 10/);
  });
});

describe('SNS, S3 and EventBridge through asynchronous invocation', () => {
  it('sends one SNS notification per message, shaped as SNS sends it', async () => {
    const report = await emu.deliver('notify', { messages: [{ body: 'hello', attributes: { level: 'high' } }, { body: 'world' }] });
    expect(report.outcomes).toEqual([
      { attempts: 1, outcome: 'acked' },
      { attempts: 1, outcome: 'acked' },
    ]);
    const events = seen.filter((s) => s.fn === 'notify').map((s) => s.event as { Records: Record<string, unknown>[] });
    expect(events.map((e) => e.Records.length)).toEqual([1, 1]);
    const hello = events.map((e) => e.Records[0]!).find((r) => (r.Sns as { Message: string }).Message === 'hello')!;
    expect(hello).toEqual({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: expect.stringMatching(/^arn:aws:sns:us-east-1:000000000000:alerts:[0-9a-f-]{36}$/),
      Sns: {
        Type: 'Notification',
        MessageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        TopicArn: 'arn:aws:sns:us-east-1:000000000000:alerts',
        Subject: null,
        Message: 'hello',
        Timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        SignatureVersion: '1',
        Signature: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
        SigningCertUrl: expect.stringMatching(/^https:\/\/sns\.us-east-1\.amazonaws\.com\/SimpleNotificationService-\w+\.pem$/),
        UnsubscribeUrl: expect.stringContaining('https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:'),
        MessageAttributes: { level: { Type: 'String', Value: 'high' } },
      },
    });
  });

  it('retries a failed async invocation with the same request id, then sends it to the on-failure destination', async () => {
    const report = await emu.deliver('notify', { messages: [{ body: 'fail' }, { body: 'fine' }] });
    // topic functions without options.maxAttempts get Lambda's default: the try plus 2 retries
    expect(report.outcomes).toEqual([
      { attempts: 3, outcome: 'dead-lettered' },
      { attempts: 1, outcome: 'acked' },
    ]);
    const tries = seen.filter((s) => s.fn === 'notify' && (s.event as { Records: { Sns: { Message: string } }[] }).Records[0]!.Sns.Message === 'fail');
    expect(tries).toHaveLength(3);
    expect(new Set(tries.map((t) => t.requestId)).size).toBe(1);
    const failures = emu.asyncFailures('notify');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      version: '1.0',
      requestContext: {
        requestId: tries[0]!.requestId,
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:notify:$LATEST',
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: { Records: [{ Sns: { Message: 'fail' } }] },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'cannot handle this one' },
    });
  });

  it('sends an S3 ObjectCreated:Put notification with the key form-encoded, the size and the MD5 ETag', async () => {
    const report = await emu.deliver('store', {
      object: { bucket: 'uploads', key: 'dir/my file+name é.txt', body: 'hello' },
      type: 'created',
    });
    expect(report.outcomes).toEqual([{ attempts: 1, outcome: 'acked' }]);
    const event = seen.filter((s) => s.fn === 'store').at(-1)!.event as { Records: Record<string, unknown>[] };
    expect(event.Records).toHaveLength(1);
    expect(event.Records[0]).toEqual({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: expect.stringMatching(/^AWS:/) },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: { 'x-amz-request-id': expect.stringMatching(/^[0-9A-F]{16}$/), 'x-amz-id-2': expect.any(String) },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: expect.any(String),
        bucket: { name: 'uploads', ownerIdentity: { principalId: expect.any(String) }, arn: 'arn:aws:s3:::uploads' },
        object: { key: 'dir%2Fmy+file%2Bname+%C3%A9.txt', size: 5, eTag: md5('hello'), sequencer: expect.stringMatching(/^[0-9A-F]{18}$/) },
      },
    });
  });

  it('sends ObjectRemoved:Delete with only key and sequencer, sequencers growing', async () => {
    await emu.deliver('store', { object: { bucket: 'uploads', key: 'before.txt', body: 'x' }, type: 'created' });
    await emu.deliver('store', { object: { bucket: 'uploads', key: 'gone.txt' }, type: 'deleted' });
    const events = seen.filter((s) => s.fn === 'store').map((s) => (s.event as { Records: { eventName: string; s3: { object: Record<string, unknown> } }[] }).Records[0]!);
    const last = events.at(-1)!;
    expect(last.eventName).toBe('ObjectRemoved:Delete');
    expect(last.s3.object).toEqual({ key: 'gone.txt', sequencer: expect.stringMatching(/^[0-9A-F]{18}$/) });
    expect(String(last.s3.object.sequencer) > String(events.at(-2)!.s3.object.sequencer)).toBe(true);
  });

  it('sends the EventBridge Scheduled Event of the rule, retrying a failure', async () => {
    const report = await emu.deliver('tick', { scheduledTime: '2024-05-01T12:00:00.000Z' });
    expect(report.outcomes).toEqual([{ attempts: 2, outcome: 'acked' }]);
    const event = seen.filter((s) => s.fn === 'tick')[0]!.event;
    expect(event).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      time: '2024-05-01T12:00:00Z',
      region: 'us-east-1',
      resources: ['arn:aws:events:us-east-1:000000000000:rule/tick-schedule'],
      detail: {},
    });
  });

  it('refuses an attempt limit Lambda cannot deploy for an asynchronous invocation', async () => {
    await expect(emu.deliver('notify', { messages: [{ body: 'x' }], maxAttempts: 4 })).rejects.toThrow(/at most 2 times \(3 attempts\)/);
  });

  it('delivers an event once more at the duplicate rate: the same SNS message again', async () => {
    const report = await emu.deliver('notify', { messages: [{ body: 'again' }], duplicateRate: 1 });
    expect(report.outcomes).toEqual([{ attempts: 1, outcome: 'acked', duplicates: 1 }]);
    const ids = seen
      .filter((s) => s.fn === 'notify')
      .map((s) => (s.event as { Records: { Sns: { Message: string; MessageId: string } }[] }).Records[0]!.Sns)
      .filter((sns) => sns.Message === 'again')
      .map((sns) => sns.MessageId);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });

  it('puts a CloudEvent on the bus as an EventBridge event and dead-letters after the deployed retries', async () => {
    const ok = await emu.deliver('bus', {
      cloudEvent: { specversion: '1.0', id: 'ce-1', source: 'shop', type: 'order.created', subject: 'orders/42', time: '2024-05-01T12:00:00.250Z', data: { id: 42 } },
    });
    expect(ok.outcomes).toEqual([{ attempts: 1, outcome: 'acked' }]);
    expect(seen.filter((s) => s.fn === 'bus')[0]!.event).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'detail-type': 'order.created',
      source: 'shop',
      account: '000000000000',
      time: '2024-05-01T12:00:00Z',
      region: 'us-east-1',
      resources: ['orders/42'],
      detail: { id: 42 },
    });
    const bad = await emu.deliver('bus', { cloudEvent: { specversion: '1.0', id: 'ce-2', source: 'shop', type: 'order.created', data: { fail: true } } });
    expect(bad.outcomes).toEqual([{ attempts: 2, outcome: 'dead-lettered' }]);
    expect(emu.asyncFailures('bus')).toHaveLength(1);
  });
});

describe('CloudEvents carried whole (eventBridgeDetail: cloudevent)', () => {
  it('puts the structured CloudEvent in detail, id and extensions included', async () => {
    const other = await mkdtemp(path.join(tmpdir(), 'faasport-aws-deliver-ce-'));
    await writeApp(other);
    const whole = await startAwsEmulator({
      dir: other,
      env: { FAASPORT_PROBE_URL: `http://127.0.0.1:${(probe.address() as AddressInfo).port}/` },
      eventBridgeDetail: 'cloudevent',
    });
    try {
      const cloudEvent = { specversion: '1.0', id: 'ce-whole', source: 'shop', type: 'order.created', traceparent: 'tp', data: { id: 7 } };
      expect((await whole.deliver('bus', { cloudEvent })).outcomes).toEqual([{ attempts: 1, outcome: 'acked' }]);
      const event = seen.filter((s) => s.fn === 'bus').at(-1)!.event;
      expect(event).toMatchObject({ 'detail-type': 'order.created', source: 'shop', resources: [], detail: cloudEvent });
      expect(event.id).not.toBe('ce-whole');
    } finally {
      await whole.stop();
      await rm(other, { recursive: true, force: true });
    }
  });
});

describe('at-least-once on demand (atLeastOnce option)', () => {
  it('delivers every handled event once more at the emulator-wide rate; a stimulus rate of 0 turns it off', async () => {
    const other = await mkdtemp(path.join(tmpdir(), 'faasport-aws-deliver-twice-'));
    await writeApp(other);
    const twice = await startAwsEmulator({
      dir: other,
      env: { FAASPORT_PROBE_URL: `http://127.0.0.1:${(probe.address() as AddressInfo).port}/` },
      atLeastOnce: { duplicateRate: 1, seed: 3 },
    });
    try {
      const keyOf = (s: Seen) => (s.event as { Records: { s3: { object: { key: string } } }[] }).Records[0]!.s3.object.key;
      const runsOf = (key: string) => seen.filter((s) => s.fn === 'store' && keyOf(s) === key);
      const report = await twice.deliver('store', { object: { bucket: 'uploads', key: 'twice.txt', body: 'x' }, type: 'created' });
      expect(report.outcomes).toEqual([{ attempts: 1, outcome: 'acked', duplicates: 1 }]);
      expect(runsOf('twice.txt')).toHaveLength(2);
      const once = await twice.deliver('store', { object: { bucket: 'uploads', key: 'once.txt', body: 'x' }, type: 'created', duplicateRate: 0 });
      expect(once.outcomes).toEqual([{ attempts: 1, outcome: 'acked' }]);
      expect(runsOf('once.txt')).toHaveLength(1);
    } finally {
      await twice.stop();
      await rm(other, { recursive: true, force: true });
    }
  });
});

describe('deliver refuses what AWS could not deliver, clearly', () => {
  it.each([
    ['an unknown function', 'nope', { messages: [{ body: 'x' }] }, /no function named "nope"/],
    ['an http function', 'web', { messages: [{ body: 'x' }] }, /"web" is an http function/],
    ['a stimulus of another kind', 'partial', { scheduledTime: new Date() }, /"partial" is a queue function and takes \{ messages/],
    ['an unknown stimulus', 'partial', { foo: 1 }, /unknown stimulus/],
    ['no messages', 'partial', { messages: [] }, /non-empty array/],
    ['an empty SQS body', 'partial', { messages: [{ body: '' }] }, /empty message body/],
    ['bytes that are not UTF-8', 'partial', { messages: [{ body: new Uint8Array([0xff, 0xfe]) }] }, /not valid UTF-8/],
    ['a character SQS refuses', 'partial', { messages: [{ body: 'a\u0000b' }] }, /U\+0000/],
    ['a bad maxAttempts', 'partial', { messages: [{ body: 'x' }], maxAttempts: 0 }, /maxAttempts/],
    ['a redrive limit SQS refuses', 'partial', { messages: [{ body: 'x' }], maxAttempts: 1001 }, /maxReceiveCount \(1 to 1000\)/],
    ['a bad duplicateRate', 'partial', { messages: [{ body: 'x' }], duplicateRate: 2 }, /duplicateRate/],
    ['another bucket', 'store', { object: { bucket: 'other', key: 'k' }, type: 'created' }, /bucket "uploads", not "other"/],
    ['an event type the bucket does not send', 'createdOnly', { object: { bucket: 'photos', key: 'k' }, type: 'deleted' }, /created objects only/],
    ['a CloudEvent type the rule does not match', 'bus', { cloudEvent: { specversion: '1.0', id: '1', source: 's', type: 'other' } }, /matches types order\.created/],
    ['CloudEvent data that is not an object', 'bus', { cloudEvent: { specversion: '1.0', id: '1', source: 's', type: 'order.created', data: 'text' } }, /detail; the CloudEvent's data is a string/],
  ])('rejects %s', async (_, fn, stimulus, message) => {
    await expect(emu.deliver(fn, stimulus as never)).rejects.toThrow(message);
  });

  it('sends nothing when one message of several is refused', async () => {
    const before = batchesOf('batcher').length;
    await expect(emu.deliver('batcher', { messages: [{ body: 'ok' }, { body: '' }] })).rejects.toThrow(/messages\[1\]/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(batchesOf('batcher').length).toBe(before);
  });
});

describe('settling guards', () => {
  let other: string;
  beforeAll(async () => {
    other = await mkdtemp(path.join(tmpdir(), 'faasport-aws-deliver-guards-'));
    await writeApp(other);
  });
  afterAll(() => rm(other, { recursive: true, force: true }));

  const start = (deliveryTimeoutMs: number) =>
    startAwsEmulator({
      dir: other,
      timeoutMs: 20_000,
      env: { FAASPORT_PROBE_URL: `http://127.0.0.1:${(probe.address() as AddressInfo).port}/` },
      deliveryTimeoutMs,
    });

  it('rejects with what is still pending when messages do not settle in time', async () => {
    const slow = await start(300);
    try {
      // the first delivery sleeps 60 s, far past the delivery timeout
      await expect(slow.deliver('sleeper', { messages: [{ body: 'zz' }] })).rejects.toThrow(
        /^deliver: sleeper did not settle within 300 ms: 1 of 1 messages of queue slow still unsettled \([0-9a-f-]{36}\)$/,
      );
    } finally {
      await slow.stop();
    }
  });

  it('rejects a pending delivery at once when the emulator stops, without waiting for the invocation', async () => {
    const slow = await start(60_000);
    const pending = slow.deliver('sleeper', { messages: [{ body: 'stop-me' }] });
    pending.catch(() => {}); // asserted below, after stop()
    const deadline = Date.now() + 5000;
    while (!seen.some((s) => s.fn === 'sleeper' && JSON.stringify(s.event).includes('stop-me')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const started = Date.now();
    await slow.stop();
    await expect(pending).rejects.toThrow(/the emulator stopped before every message settled/);
    // The invocation holds the message for 60 s: settling in under half of that shows stop() did not wait for it,
    // with room for a loaded machine (no tighter bound: time is not what this test is about).
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
