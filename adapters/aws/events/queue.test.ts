import type { SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { queue } from '../../../core/define.js';
import { BadEventError } from '../../../core/errors.js';
import type { Message } from '../../../core/types.js';
import { adapt } from '../adapt.js';
import type { AwsQueueContext } from '../types.js';
import { captureLogs, fixture, lambdaContext, REQUEST_ID, sharedFixture, sqsBatch } from './test-helpers.js';

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => (logs = captureLogs()));
afterEach(() => logs.restore());

/** A queue function that records what it saw and fails on the ids in `failOn`. */
function recorder(failOn: string[] = []) {
  const seen: { msg: Message; ctx: AwsQueueContext }[] = [];
  const fn = queue({ queue: 'my-queue' }, async (msg, ctx) => {
    seen.push({ msg, ctx: ctx as AwsQueueContext });
    if (failOn.includes(msg.id)) throw new Error(`boom on ${msg.id}`, { cause: new Error('root cause') });
  });
  return { seen, handler: adapt(fn, { name: 'onOrder' }) };
}

describe('queue on SQS', () => {
  it('delivers each record as a Message and answers an empty partial batch response', async () => {
    const { seen, handler } = recorder();
    const event = sharedFixture('sqs/base.json');
    expect(await handler(event, lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(seen.map((s) => s.msg.text())).toEqual(['Test message.', '{"message": "foo1"}']);
    expect(seen[1]!.msg.json()).toEqual({ message: 'foo1' });
  });

  it('gives the context: provider, request id as invocation id, name, deadline, native event/context/record', async () => {
    const { seen, handler } = recorder();
    const event = sharedFixture('sqs/base.json');
    const context = lambdaContext();
    const before = Date.now();
    await handler(event, context);
    const { ctx } = seen[1]!;
    expect(ctx.provider).toBe('aws');
    expect(ctx.functionName).toBe('onOrder');
    expect(ctx.invocationId).toBe(REQUEST_ID);
    expect(seen[0]!.ctx.invocationId).toBe(REQUEST_ID);
    expect(ctx.deadline).toBeGreaterThanOrEqual(before + 3000);
    expect(ctx.deadline).toBeLessThanOrEqual(Date.now() + 3000);
    expect(ctx.native.event).toBe(event);
    expect(ctx.native.context).toBe(context);
    expect(ctx.native.record).toBe(event.Records[1]);
  });

  it('reports exactly message 3 of 10 when only it throws, after running all ten in order', async () => {
    const { seen, handler } = recorder(['m3']);
    const result = await handler(sqsBatch(10), lambdaContext());
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm3' }] });
    expect(seen.map((s) => s.msg.id)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10']);
  });

  it('reports every failed message and no other', async () => {
    const { handler } = recorder(['m1', 'm4', 'm10']);
    expect(await handler(sqsBatch(10), lambdaContext())).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'm4' }, { itemIdentifier: 'm10' }],
    });
  });

  it('runs messages one at a time, never overlapping', async () => {
    let running = 0;
    let most = 0;
    const handler = adapt(
      queue({ queue: 'q' }, async () => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 2));
        running--;
      }),
    );
    await handler(sqsBatch(5), lambdaContext());
    expect(most).toBe(1);
  });

  it('on a FIFO queue, stops at the first failure and reports it and every later message unrun', async () => {
    const { seen, handler } = recorder(['f1f0-0002']);
    const result = await handler(fixture('sqs-fifo.json'), lambdaContext());
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['f1f0-0002', 'f1f0-0003', 'f1f0-0004', 'f1f0-0005']);
    expect(seen.map((s) => s.msg.id)).toEqual(['f1f0-0001', 'f1f0-0002']);
    expect(logs.lines().some((l) => l.level === 'warn' && /FIFO batch stopped at the failed message f1f0-0002; 3 later/.test(l.message))).toBe(true);
  });

  it('on a FIFO queue, runs the whole batch in order when nothing fails', async () => {
    const { seen, handler } = recorder();
    expect(await handler(fixture('sqs-fifo.json'), lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(seen.map((s) => s.msg.json())).toEqual([{ seq: 1 }, { seq: 2 }, { seq: 3 }, { seq: 4 }, { seq: 5 }]);
  });

  it('on a FIFO queue, a failing last message reports only itself', async () => {
    const { handler } = recorder(['f1f0-0005']);
    expect(await handler(fixture('sqs-fifo.json'), lambdaContext())).toEqual({ batchItemFailures: [{ itemIdentifier: 'f1f0-0005' }] });
  });

  it('on a FIFO queue, a failing last message logs only its own error, no "batch stopped" warning', async () => {
    const { handler } = recorder(['f1f0-0005']);
    await handler(fixture('sqs-fifo.json'), lambdaContext());
    expect(logs.lines().map((l) => [l.level, l.message])).toEqual([['error', 'faasport: the queue handler failed on f1f0-0005; it will be retried']]);
  });

  it('on a FIFO queue, logs the stop once: a warning naming the failed message and how many later ones went back unrun', async () => {
    const { handler } = recorder(['f1f0-0002']);
    await handler(fixture('sqs-fifo.json'), lambdaContext());
    expect(logs.lines().filter((l) => l.level === 'warn')).toEqual([
      {
        level: 'warn',
        message: 'faasport: FIFO batch stopped at the failed message f1f0-0002; 3 later message(s) returned unrun to keep order',
        function: 'onOrder',
        invocationId: REQUEST_ID,
        provider: 'aws',
      },
    ]);
  });

  it('runs messages whose handler returns no promise back to back, yielding to no other task between them', async () => {
    const order: string[] = [];
    const handler = adapt(
      queue({ queue: 'q' }, (msg) => {
        order.push(`run ${msg.id}`);
        queueMicrotask(() => order.push(`microtask ${msg.id}`));
      }),
    );
    expect(await handler(sqsBatch(3), lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(order).toEqual(['run m1', 'run m2', 'run m3', 'microtask m1', 'microtask m2', 'microtask m3']);
  });

  it("releases each message's context once its handler is done, returned or threw: no ctx.signal deadline timer outlives the batch", async () => {
    vi.useFakeTimers({ now: 0 });
    try {
      const signals: AbortSignal[] = [];
      const handler = adapt(
        queue({ queue: 'q' }, (msg, ctx) => {
          signals.push(ctx.signal);
          if (msg.id === 'm2') return Promise.resolve();
          if (msg.id === 'm3') throw new Error('boom on m3');
          return undefined;
        }),
      );
      // lambdaContext() has 3000 ms left, so each signal would abort 500 ms before that deadline.
      expect(await handler(sqsBatch(3), lambdaContext())).toEqual({ batchItemFailures: [{ itemIdentifier: 'm3' }] });
      expect(signals).toHaveLength(3);
      expect(vi.getTimerCount()).toBe(0);
      vi.advanceTimersByTime(10_000);
      expect(signals.map((s) => s.aborted)).toEqual([false, false, false]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('delivers an SNS envelope body as is (raw message delivery is the way to get the bare message)', async () => {
    const { seen, handler } = recorder();
    const event = sharedFixture('sqs/sns-body.json');
    await handler(event, lambdaContext());
    expect(seen[0]!.msg.text()).toBe(event.Records[0].body);
    expect(seen[0]!.msg.id).toBe('79406a00-bf15-46ca-978c-22c3613fcb30');
    expect(seen[0]!.msg.source).toBe('powertools265');
  });

  it('logs a failure with its cause, the invocation id and the message id', async () => {
    const { handler } = recorder(['m2']);
    await handler(sqsBatch(3), lambdaContext());
    const errors = logs.lines().filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      message: 'faasport: the queue handler failed on m2; it will be retried',
      invocationId: REQUEST_ID,
      messageId: 'm2',
      function: 'onOrder',
      provider: 'aws',
      error: { name: 'Error', message: 'boom on m2', cause: { message: 'root cause' } },
    });
  });

  it('puts the message id on the lines ctx.log writes', async () => {
    const handler = adapt(queue({ queue: 'q' }, (msg, ctx) => ctx.log.info('got it', { size: msg.body.length })));
    await handler(sqsBatch(2), lambdaContext());
    expect(logs.lines().filter((l) => l.message === 'got it').map((l) => [l.messageId, l.invocationId, l.size])).toEqual([
      ['m1', REQUEST_ID, 7],
      ['m2', REQUEST_ID, 7],
    ]);
  });

  it('throws for an event with no Records (Lambda never sends one, so the trigger is not SQS)', async () => {
    const { handler } = recorder();
    await expect(handler({ Records: [] } as SQSEvent, lambdaContext())).rejects.toThrow(/got an event with no Records\./);
  });
});

describe('queue given a wrong event', () => {
  const { handler } = recorder();

  it('throws a clear error for an SNS event', async () => {
    await expect(handler(sharedFixture('sns/base.json'), lambdaContext())).rejects.toThrow(
      new BadEventError(
        'faasport/aws: this queue function cannot read the event: expected an SQS event (Records from aws:sqs); got an SNS event. Check the function\'s trigger.',
      ),
    );
  });

  it('names what arrived: an S3 event, an empty object, a string', async () => {
    await expect(handler(sharedFixture('s3/base.json'), lambdaContext())).rejects.toThrow(/got an S3 event\./);
    await expect(handler({} as never, lambdaContext())).rejects.toThrow(/got an empty object\./);
    await expect(handler('hello' as never, lambdaContext())).rejects.toThrow(/got a string\./);
    await expect(handler({ Records: [{ eventSource: 'aws:kinesis' }] } as never, lambdaContext())).rejects.toThrow(/got an event whose Records\[0\]\.eventSource is the string "aws:kinesis"/);
  });

  it('throws, running nothing, when a record has no messageId (no failure could be reported for it)', async () => {
    const { seen, handler: h } = recorder();
    const event = sqsBatch(3);
    delete event.Records[2].messageId;
    await expect(h(event, lambdaContext())).rejects.toThrow('SQS record 2 has no string messageId and body');
    expect(seen).toHaveLength(0);
  });
});
