import type { SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../duplicates.js';
import { EventSourceMapping, MAX_PAYLOAD_BYTES, type EventSourceMappingConfig } from './event-source-mapping.js';
import { SqsQueue, deadLetterQueueName } from './sqs-queue.js';

// The mapping runs against a real in-memory queue and real timers; the "function" is a recorder, so these tests
// need no Lambda runtime. Settings are short, as a test build's faasport.json would give them.

const mappings: EventSourceMapping[] = [];
afterEach(() => {
  for (const m of mappings.splice(0)) m.stop();
});

interface Setup {
  readonly queue: SqsQueue;
  readonly batches: string[][];
  send(body: string, extra?: { groupId?: string }): Promise<unknown>;
}

function setup(
  name: string,
  config: Partial<EventSourceMappingConfig> & { visibilityTimeoutMs?: number; failedVisibilityTimeoutMs?: number; seed?: number } = {},
  handle: (event: SQSEvent, call: number) => Promise<string> = async () => 'null',
): Setup {
  const visibilityTimeoutMs = config.visibilityTimeoutMs ?? 60_000;
  const dlq = new SqsQueue(deadLetterQueueName(name), { visibilityTimeoutMs });
  const queue = new SqsQueue(name, {
    visibilityTimeoutMs,
    failedVisibilityTimeoutMs: config.failedVisibilityTimeoutMs,
    contentBasedDeduplication: name.endsWith('.fifo'),
    deadLetterQueue: dlq,
  });
  const batches: string[][] = [];
  let calls = 0;
  mappings.push(
    new EventSourceMapping(queue, {
      functionName: 'fn',
      batchSize: config.batchSize ?? 10,
      batchingWindowMs: config.batchingWindowMs ?? 0,
      concurrency: config.concurrency ?? 2,
      random: seededRandom(config.seed ?? 1),
      invoke: async (event) => {
        batches.push(event.Records.map((r) => r.body));
        return { functionError: undefined, text: await handle(event, ++calls) };
      },
      note: () => {},
    }),
  );
  return {
    queue,
    batches,
    send: (body, extra = {}) => queue.send({ body, attributes: {}, maxReceiveCount: 3, ...extra }).settled,
  };
}

const bodies = (n: number, prefix = 'm') => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

async function splitsWith(seed: number): Promise<number[]> {
  const { batches, send } = setup(`split-${seed}`, { seed, concurrency: 1 });
  await Promise.all(bodies(10).map((b) => send(b)));
  expect(batches.flat().sort()).toEqual(bodies(10).sort());
  return batches.map((b) => b.length);
}

describe('EventSourceMapping batches', () => {
  it('splits messages sent together into batches by seeded draws, the same way for the same seed', async () => {
    const first = await splitsWith(7);
    expect(await splitsWith(7)).toEqual(first);
    // Over a few seeds, some run splits ten messages that a batch of 10 could have held.
    const runs = [first, await splitsWith(1), await splitsWith(2), await splitsWith(3)];
    expect(runs.some((sizes) => sizes.length > 1)).toBe(true);
    for (const sizes of runs) for (const size of sizes) expect(size).toBeLessThanOrEqual(10);
  });

  it('keeps gathering during the batching window, so messages sent apart share a batch', async () => {
    const { batches, send } = setup('window', { batchSize: 20, batchingWindowMs: 300 });
    const early = [send('a'), send('b')];
    await new Promise((resolve) => setTimeout(resolve, 50));
    await Promise.all([...early, send('c'), send('d')]);
    expect(batches).toEqual([['a', 'b', 'c', 'd']]);
  });

  it('invokes as soon as the batch is full, without waiting for the rest of the window', async () => {
    // A 10-minute window: waiting it out would time the test out.
    const { batches, send } = setup('full', { batchSize: 12, batchingWindowMs: 600_000 });
    await Promise.all(bodies(12).map((b) => send(b)));
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(12);
  });

  it('stops a batch before the 6 MB payload limit', async () => {
    const megabyte = 'x'.repeat(1024 * 1024);
    const { batches, send } = setup('big', { batchSize: 20, batchingWindowMs: 200, concurrency: 1 });
    await Promise.all(bodies(8).map((b) => send(`${b}:${megabyte}`)));
    expect(batches.map((b) => b.length)).toEqual([5, 3]);
    for (const batch of batches) expect(batch.reduce((sum, body) => sum + body.length, 0)).toBeLessThan(MAX_PAYLOAD_BYTES);
  });

  it('never splits a FIFO receive and keeps the message order', async () => {
    const { batches, send } = setup('jobs.fifo', { batchSize: 10 });
    await Promise.all(bodies(10).map((b) => send(b)));
    expect(batches).toEqual([bodies(10)]);
  });
});

describe('EventSourceMapping visibility', () => {
  it('delivers a message again while a slow invocation still holds it past the visibility timeout', async () => {
    const started: number[] = [];
    const { send, batches } = setup('slow', { visibilityTimeoutMs: 100 }, async (_event, call) => {
      started.push(call);
      if (call === 1) await new Promise((resolve) => setTimeout(resolve, 400));
      return 'null';
    });
    const settlement = await send('slow');
    expect(batches).toEqual([['slow'], ['slow']]);
    // the second delivery started while the first was still running, and both handled it
    expect(settlement).toEqual({ outcome: 'acked', attempts: 1, duplicates: 1 });
  });

  it('redelivers a failed message after the failure visibility timeout', async () => {
    const { send, batches } = setup('fails', { visibilityTimeoutMs: 60_000, failedVisibilityTimeoutMs: 20 }, async (event, call) =>
      call === 1 ? JSON.stringify({ batchItemFailures: [{ itemIdentifier: event.Records[0]!.messageId }] }) : 'null',
    );
    await expect(send('once')).resolves.toEqual({ outcome: 'acked', attempts: 2, duplicates: 0 });
    expect(batches).toEqual([['once'], ['once']]);
  });
});
