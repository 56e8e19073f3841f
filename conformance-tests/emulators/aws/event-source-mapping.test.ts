import type { SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
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

// ---- The mapping's rules one at a time: a recorder that can hold invocations open, and the notes the mapping writes.

interface Harness {
  readonly queue: SqsQueue;
  readonly mapping: EventSourceMapping;
  readonly batches: string[][];
  readonly notes: string[];
  /** ReceiveMessage calls the mapping made. */
  receives: number;
  send(body: string, extra?: { groupId?: string }): Promise<unknown>;
}

function harness(
  name: string,
  config: Partial<Omit<EventSourceMappingConfig, 'invoke'>> & {
    visibilityTimeoutMs?: number;
    failedVisibilityTimeoutMs?: number;
    invoke?: (event: SQSEvent) => Promise<{ functionError: string | undefined; text: string }>;
  } = {},
): Harness {
  const queue = new SqsQueue(name, {
    visibilityTimeoutMs: config.visibilityTimeoutMs ?? 60_000,
    failedVisibilityTimeoutMs: config.failedVisibilityTimeoutMs,
    contentBasedDeduplication: name.endsWith('.fifo'),
    now: () => Date.now(),
  });
  const batches: string[][] = [];
  const notes: string[] = [];
  const h = { queue, batches, notes, receives: 0 } as Harness;
  const receive = queue.receive.bind(queue);
  queue.receive = (...args) => (h.receives++, receive(...args));
  const invoke = config.invoke ?? (async () => ({ functionError: undefined, text: 'null' }));
  const mapping = new EventSourceMapping(queue, {
    functionName: 'fn',
    batchSize: config.batchSize ?? 10,
    batchingWindowMs: config.batchingWindowMs ?? 0,
    concurrency: config.concurrency ?? 1,
    random: config.random ?? (() => 0.99),
    invoke: (event) => (batches.push(event.Records.map((r) => r.body)), invoke(event)),
    note: config.note ?? ((line) => notes.push(line)),
  });
  mappings.push(mapping);
  return Object.assign(h, {
    mapping,
    send: (body: string, extra: { groupId?: string } = {}) => queue.send({ body, attributes: {}, maxReceiveCount: 100, ...extra }).settled,
  });
}

/** Lets queued microtasks and immediates run (the mapping polls on a microtask). */
const settle = async (rounds = 5) => {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
};

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** An invocation that stays open until `open()`. */
function gate() {
  let open!: () => void;
  const closed = new Promise<void>((resolve) => (open = resolve));
  return { closed, open };
}

describe('EventSourceMapping receives', () => {
  it('lets the draw decide how many waiting messages one receive of a standard queue returns: 1 + floor(draw x waiting)', async () => {
    const { batches, send } = harness('draw', { random: () => 0.5 });
    await Promise.all(bodies(4).map((b) => send(b)));
    // 4 waiting: 1 + floor(0.5 x 4) = 3; then 1 waiting: 1.
    expect(batches).toEqual([['m1', 'm2', 'm3'], ['m4']]);
  });

  it('takes at most BatchSize messages in one receive', async () => {
    const { batches, send } = harness('small.fifo', { batchSize: 3, concurrency: 2 });
    await Promise.all(bodies(5).map((b) => send(b)));
    expect(batches).toEqual([['m1', 'm2', 'm3'], ['m4', 'm5']]);
  });

  it('during the batching window receives only as many as the batch has room for, and no more once it is full', async () => {
    const held = gate();
    const h = harness('room.fifo', { batchSize: 4, batchingWindowMs: 600_000, invoke: async () => (await held.closed, { functionError: undefined, text: 'null' }) });
    const { batches, send } = h;
    // One message group per message, so a FIFO receive is not blocked by the messages already gathered.
    void send('a', { groupId: 'a' });
    void send('b', { groupId: 'b' });
    await settle();
    expect(batches).toEqual([]);
    for (const b of ['c', 'd', 'e', 'f', 'g']) void send(b, { groupId: b });
    await until(() => batches.length > 0);
    await settle();
    expect(batches).toEqual([['a', 'b', 'c', 'd']]);
    // a and b, the gather that found nothing more, c and d: no receive after the batch was full
    expect(h.receives).toBe(3);
  });

  it('invokes as soon as the next message would take the event past 6 MB, without waiting for the window', async () => {
    const megabyte = 'x'.repeat(1024 * 1024);
    // One message per receive: the bytes gathered so far must count.
    const { batches, send } = harness('six-mb', { batchSize: 20, batchingWindowMs: 600_000, random: () => 0 });
    for (const b of bodies(8)) void send(`${b}:${megabyte}`);
    await until(() => batches.length > 0);
    expect(batches[0]!.map((body) => body.split(':')[0])).toEqual(bodies(5));
  });

  it('sends a single message above 6 MB alone', async () => {
    const { batches, send } = harness('huge');
    await Promise.all([send(`big:${'x'.repeat(7 * 1024 * 1024)}`), send('small')]);
    expect(batches.map((batch) => batch.map((body) => body.slice(0, 5)))).toEqual([['big:x'], ['small']]);
  });

  it.each([
    ['without a batching window', 0],
    ['with a batching window the first receive fills', 600_000],
  ])('receives once for messages sent in one go (one poll per wake), %s', async (_label, batchingWindowMs) => {
    const held = gate();
    const h = harness(`one-poll-${batchingWindowMs}.fifo`, {
      concurrency: 10,
      batchSize: 3,
      batchingWindowMs,
      invoke: async () => (await held.closed, { functionError: undefined, text: 'null' }),
    });
    await settle();
    h.receives = 0;
    for (const b of bodies(3)) void h.send(b);
    await settle();
    expect(h.batches).toEqual([bodies(3)]);
    // the receive that took the three, and the one that found the queue empty
    expect(h.receives).toBe(2);
  });
});

describe('EventSourceMapping concurrency', () => {
  it('never has more than `concurrency` batches in flight', async () => {
    const held = gate();
    let running = 0;
    let most = 0;
    const { batches, send } = harness('busy', {
      concurrency: 2,
      random: () => 0,
      invoke: async () => {
        most = Math.max(most, ++running);
        await held.closed;
        running--;
        return { functionError: undefined, text: 'null' };
      },
    });
    const settled = bodies(5).map((b) => send(b));
    await settle();
    expect(batches).toHaveLength(2);
    held.open();
    await Promise.all(settled);
    expect(batches.flat().sort()).toEqual(bodies(5));
    expect(most).toBe(2);
  });
});

describe('EventSourceMapping timers', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sets no poll timer while it gathers, while all its batches are in flight, or when the queue is empty', async () => {
    vi.useFakeTimers();
    const gathering = harness('gathering', { batchingWindowMs: 1_000, batchSize: 10 });
    void gathering.send('a');
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(1); // the window only
    gathering.mapping.stop();
    expect(vi.getTimerCount()).toBe(0); // stop clears the window

    const held = gate();
    const saturated = harness('saturated', { random: () => 0, invoke: async () => (await held.closed, { functionError: undefined, text: 'null' }) });
    const settled = [saturated.send('a'), saturated.send('b')];
    await vi.advanceTimersByTimeAsync(0);
    expect(saturated.batches).toEqual([['a']]);
    expect(vi.getTimerCount()).toBe(0);
    held.open();
    await vi.advanceTimersByTimeAsync(0);
    await Promise.all(settled);
    expect(saturated.queue.depth).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('polls again when a failed message becomes visible, not before', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
    let calls = 0;
    const h = harness('retry-at', {
      failedVisibilityTimeoutMs: 50,
      invoke: async () => ({ functionError: ++calls === 1 ? 'Unhandled' : undefined, text: 'null' }),
    });
    const settled = h.send('a');
    await vi.advanceTimersByTimeAsync(0);
    expect(h.batches).toHaveLength(1);
    const receivesAfterFailure = h.receives;
    await vi.advanceTimersByTimeAsync(49);
    expect(h.receives).toBe(receivesAfterFailure);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.batches).toHaveLength(2);
    await expect(settled).resolves.toMatchObject({ outcome: 'acked', attempts: 2 });
  });
});

describe('EventSourceMapping stop', () => {
  it('receives nothing once stopped, even a poll already queued', async () => {
    const queue = new SqsQueue('stopped', { visibilityTimeoutMs: 60_000 });
    void queue.send({ body: 'a', attributes: {}, maxReceiveCount: 3 }).settled;
    const batches: unknown[] = [];
    const mapping = new EventSourceMapping(queue, {
      functionName: 'fn',
      batchSize: 10,
      batchingWindowMs: 0,
      concurrency: 1,
      random: () => 0.99,
      invoke: async (event) => (batches.push(event), { functionError: undefined, text: 'null' }),
      note: () => {},
    });
    mapping.stop();
    await settle();
    expect(batches).toEqual([]);
    expect(queue.nextVisibleAt()).toBe(0); // never received
  });

  it('leaves a batch that ends after stop in the queue, and polls no more', async () => {
    const held = gate();
    const h = harness('stop-in-flight', { invoke: async () => (await held.closed, { functionError: undefined, text: 'null' }) });
    void h.send('a');
    await settle();
    expect(h.batches).toEqual([['a']]);
    h.mapping.stop();
    void h.send('b');
    held.open();
    await settle();
    expect(h.batches).toEqual([['a']]);
    expect(h.queue.depth).toBe(2);
  });
});

describe('EventSourceMapping verdicts', () => {
  const failure = (text: string) => async () => ({ functionError: 'Unhandled', text });

  it('deletes the messages that succeeded, keeps those batchItemFailures lists, and notes how many failed', async () => {
    const h = harness('partial', {
      invoke: async (event) => ({ functionError: undefined, text: JSON.stringify({ batchItemFailures: [{ itemIdentifier: event.Records[1]!.messageId }] }) }),
    });
    for (const b of bodies(3)) void h.send(b);
    await until(() => h.queue.depth === 1);
    await settle();
    expect(h.batches).toEqual([bodies(3)]);
    expect(h.queue.peek().map((m) => m.body)).toEqual(['m2']);
    expect(h.notes).toEqual(['faasport: SQS batch from partial: 1 of 3 reported in batchItemFailures']);
  });

  it('deletes a batch that fully succeeded and notes nothing', async () => {
    const h = harness('success');
    await Promise.all(bodies(2).map((b) => h.send(b)));
    expect(h.queue.depth).toBe(0);
    expect(h.notes).toEqual([]);
  });

  it('keeps the whole batch when the function failed, naming its errorType', async () => {
    const h = harness('failed', { invoke: failure(JSON.stringify({ errorType: 'TypeError', errorMessage: 'x is undefined' })) });
    for (const b of bodies(2)) void h.send(b);
    await until(() => h.notes.length > 0);
    expect(h.notes).toEqual([
      'faasport: SQS batch of 2 from failed failed as a whole: the function failed (TypeError); the messages return after the visibility timeout',
    ]);
    expect(h.queue.depth).toBe(2);
    expect(h.queue.nextVisibleAt()).toBeGreaterThan(Date.now()); // released, hidden until its visibility ends
  });

  it('names the function error itself when the response has no string errorType', async () => {
    for (const [name, text] of [['not-json', 'Task timed out'], ['number-type', '{"errorType":42}'], ['null-body', 'null']] as const) {
      const h = harness(name, { invoke: failure(text) });
      void h.send('a');
      await until(() => h.notes.length > 0);
      expect(h.notes).toEqual([`faasport: SQS batch of 1 from ${name} failed as a whole: the function failed (Unhandled); the messages return after the visibility timeout`]);
      expect(h.queue.depth).toBe(1);
    }
  });

  it('keeps the whole batch when the invocation itself failed', async () => {
    const h = harness('rejected', {
      invoke: async () => {
        throw new Error('the runtime is gone');
      },
    });
    void h.send('a');
    await until(() => h.notes.length > 0);
    expect(h.notes).toEqual([
      'faasport: SQS batch of 1 from rejected failed as a whole: the invocation failed: Error: the runtime is gone; the messages return after the visibility timeout',
    ]);
    expect(h.queue.depth).toBe(1);
  });

  it('writes to the log when handling a batch broke, and keeps polling', async () => {
    const notes: string[] = [];
    let broke = false;
    const h = harness('broken', {
      invoke: async (event) => ({ functionError: event.Records[0]!.body === 'a' ? 'Unhandled' : undefined, text: '' }),
      note: (line) => {
        if (!broke && line.includes('failed as a whole')) {
          broke = true;
          throw new Error('log closed');
        }
        notes.push(line);
      },
    });
    void h.send('a');
    await until(() => notes.length > 0);
    expect(notes).toEqual(['faasport: the SQS event source mapping of broken broke: Error: log closed']);
    await h.send('b');
    expect(h.batches).toContainEqual(['b']);
  });
});
