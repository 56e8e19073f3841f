import { describe, expect, it, onTestFinished, vi } from 'vitest';
import type { QueueSettings } from './app-config.js';
import { blobCreatedEvent, blobOfUrl } from './blob-delivery.js';
import {
  base64,
  BLOB_POISON_QUEUE,
  deliverEventGrid,
  deliverServiceBus,
  deliverTimer,
  EVENT_GRID_SUCCESS,
  functionQueueListener,
  never,
  QueueListener,
  structuredCloudEvent,
  TimerSchedules,
  type DeadLetter,
  type EventHost,
  type InvokeResult,
  type QueueService,
} from './delivery.js';
import type { RegisteredFunction, RpcInvocationRequest } from './protocol.js';
import { StorageRequestError, type ReceivedQueueMessage, type StorageRest } from './storage-rest.js';

/** An in-memory Queue service with the visibility and DequeueCount rules the listener relies on. */
class MemoryQueues implements QueueService {
  readonly fetches: number[] = [];
  readonly queues = new Map<string, { id: string; text: string; dequeueCount: number; visibleAt: number; popReceipt: string }[]>();
  #ids = 0;
  async createQueue(queue: string) {
    if (!this.queues.has(queue)) this.queues.set(queue, []);
  }
  async putMessage(queue: string, text: string) {
    await this.createQueue(queue);
    const message = { id: `m${++this.#ids}`, text, dequeueCount: 0, visibleAt: 0, popReceipt: 'p0' };
    this.queues.get(queue)!.push(message);
    return { id: message.id, popReceipt: message.popReceipt };
  }
  async getMessages(queue: string, count: number, visibilitySeconds: number): Promise<ReceivedQueueMessage[]> {
    const now = Date.now();
    const visible = (this.queues.get(queue) ?? []).filter((m) => m.visibleAt <= now).slice(0, count);
    if (visible.length > 0) this.fetches.push(visible.length);
    return visible.map((m) => {
      m.dequeueCount += 1;
      m.visibleAt = now + visibilitySeconds * 1000;
      m.popReceipt = `p${m.dequeueCount}`;
      const at = new Date(now);
      return { id: m.id, popReceipt: m.popReceipt, insertionTime: at, expirationTime: at, nextVisibleTime: at, dequeueCount: m.dequeueCount, text: m.text };
    });
  }
  async deleteMessage(queue: string, id: string) {
    this.queues.set(queue, (this.queues.get(queue) ?? []).filter((m) => m.id !== id));
  }
  async releaseMessage(queue: string, id: string, _popReceipt: string, visibilitySeconds: number) {
    const m = this.queues.get(queue)?.find((x) => x.id === id);
    if (m) m.visibleAt = Date.now() + visibilitySeconds * 1000;
  }
}

function hostWith(queues: MemoryQueues): EventHost & { deadLetters: unknown[] } {
  const deadLetters: unknown[] = [];
  return {
    deadLetters,
    invoke: async () => ({ ok: true }),
    storage: async () => ({ rest: queues as unknown as StorageRest, endpoints: { blob: 'http://127.0.0.1:1/devstoreaccount1' } as never }),
    deadLetter: (entry) => deadLetters.push(entry),
    warn: () => {},
  };
}

const settings = (s: Partial<QueueSettings>): QueueSettings => ({ batchSize: 16, newBatchThreshold: 8, visibilityTimeoutMs: 0, maxDequeueCount: 5, ...s });

function listenerOn(queues: MemoryQueues, run: (text: string, m: ReceivedQueueMessage) => Promise<InvokeResult>, s: Partial<QueueSettings>) {
  return new QueueListener({
    host: hostWith(queues),
    queue: 'q',
    poisonQueue: 'q-poison',
    settings: settings(s),
    pollMs: 5,
    handler: { keyOf: (m) => m.id, run: (m) => run(m.text, m), describe: (m) => ({ functionName: 'f', id: m.id }) },
  });
}

describe('queue listener (host.json queues settings)', () => {
  it('fetches the next batch once the messages still running are down to newBatchThreshold, not when all are done', async () => {
    const queues = new MemoryQueues();
    let releaseSlow!: () => void;
    const slow = new Promise<void>((resolve) => (releaseSlow = resolve));
    const startedWhileSlowRan: string[] = [];
    let slowRunning = false;
    const listener = listenerOn(
      queues,
      async (text) => {
        if (text === 'slow') {
          slowRunning = true;
          await slow;
          slowRunning = false;
        } else if (slowRunning) startedWhileSlowRan.push(text);
        if (startedWhileSlowRan.length === 3) releaseSlow();
        return { ok: true };
      },
      { batchSize: 2, newBatchThreshold: 1 },
    );
    const settled = [];
    for (const text of ['slow', 'a', 'b', 'c']) settled.push(listener.track((await queues.putMessage('q', text)).id));
    await listener.wake();
    const outcomes = await Promise.all(settled);
    expect(outcomes.map((o) => o.outcome)).toEqual(['acked', 'acked', 'acked', 'acked']);
    // 'a' shares the first batch; 'b' and 'c' came in the next batch while 'slow' still ran.
    expect(startedWhileSlowRan).toEqual(['a', 'b', 'c']);
    expect(queues.fetches).toEqual([2, 2]);
  });

  it('poisons a message after maxDequeueCount failures, waiting visibilityTimeout between them', async () => {
    const queues = new MemoryQueues();
    const seen: number[] = [];
    const listener = listenerOn(
      queues,
      async (_text, m) => {
        seen.push(m.dequeueCount);
        return { ok: false, reason: 'boom' };
      },
      { maxDequeueCount: 2, visibilityTimeoutMs: 1000 },
    );
    const started = Date.now();
    const outcome = listener.track((await queues.putMessage('q', 'x')).id);
    await listener.wake();
    expect(await outcome).toEqual({ attempts: 2, outcome: 'dead-lettered' });
    expect(seen).toEqual([1, 2]);
    // The second delivery came only after the visibility timeout (1 s, whole seconds as the service takes it).
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(queues.queues.get('q-poison')?.map((m) => m.text)).toEqual(['x']);
  });

  it('delivers a handled message once more with the same id and DequeueCount + 1 when a duplicate is drawn', async () => {
    const queues = new MemoryQueues();
    const deliveries: string[] = [];
    const listener = listenerOn(queues, async (_text, m) => (deliveries.push(`${m.id}#${m.dequeueCount}`), { ok: true }), {});
    const { id } = await queues.putMessage('q', 'x');
    const outcome = listener.track(id, { duplicate: () => true });
    await listener.wake();
    expect(await outcome).toEqual({ attempts: 1, outcome: 'acked', duplicates: 1 });
    expect(deliveries).toEqual([`${id}#1`, `${id}#2`]);
    expect(queues.queues.get('q')).toEqual([]);
  });
});

describe('timer schedule status', () => {
  it('marks only ticks scheduled before the host started as past due, and carries the previous invocation as Last', () => {
    const started = new Date('2024-05-01T03:00:30Z');
    const schedules = new TimerSchedules(started);
    const missed = schedules.tick('t', new Date('2024-05-01T03:00:00Z'), new Date('2024-05-01T03:00:31Z'));
    expect(missed).toEqual({ scheduledTime: new Date('2024-05-01T03:00:00Z'), last: undefined, isPastDue: true });
    // A regular tick that fires five minutes late is still not past due.
    const late = schedules.tick('t', new Date('2024-05-01T03:01:00Z'), new Date('2024-05-01T03:06:00Z'));
    expect(late).toEqual({ scheduledTime: new Date('2024-05-01T03:01:00Z'), last: new Date('2024-05-01T03:00:31Z'), isPastDue: false });
    // An early tick is recorded at its scheduled time.
    schedules.tick('t', new Date('2024-05-01T03:07:00Z'), new Date('2024-05-01T03:06:59.5Z'));
    expect(schedules.tick('t', new Date('2024-05-01T03:08:00Z'), new Date('2024-05-01T03:08:00Z')).last).toEqual(new Date('2024-05-01T03:07:00Z'));
  });
});

describe('blob created through Event Grid', () => {
  it('writes Microsoft.Storage.BlobCreated with the unquoted ETag and the blob URL', () => {
    const event = blobCreatedEvent({ container: 'up', key: 'a b.txt', url: 'http://127.0.0.1:9/devstoreaccount1/up/a%20b.txt', contentType: 'text/plain', contentLength: 3, etag: '"0x8D1"' }, new Date(0));
    expect(event).toMatchObject({
      eventType: 'Microsoft.Storage.BlobCreated',
      subject: '/blobServices/default/containers/up/blobs/a b.txt',
      data: { api: 'PutBlob', eTag: '0x8D1', contentLength: 3, blobType: 'BlockBlob', url: 'http://127.0.0.1:9/devstoreaccount1/up/a%20b.txt' },
      dataVersion: '',
      metadataVersion: '1',
    });
  });

  it('reads container and blob from path-style (Azurite) and host-style URLs', () => {
    expect(blobOfUrl('http://127.0.0.1:9/devstoreaccount1/up/dir/a%20b.txt')).toEqual({ container: 'up', blob: 'dir/a b.txt' });
    expect(blobOfUrl('https://acct.blob.core.windows.net/up/x.txt')).toEqual({ container: 'up', blob: 'x.txt' });
    expect(blobOfUrl('not a url')).toBeUndefined();
  });
});

describe('Event Grid response timeout', () => {
  it('retries a delivery the function did not answer within the timeout, while the first run goes on', async () => {
    const queues = new MemoryQueues();
    const runs: string[] = [];
    const host: EventHost = {
      ...hostWith(queues),
      invoke: async () => {
        const n = runs.push('started');
        // The first run outlives Event Grid's wait; the second answers at once.
        if (n === 1) await new Promise((resolve) => setTimeout(resolve, 300));
        runs.push(`finished ${n}`);
        return { ok: true };
      },
    };
    const fn: RegisteredFunction = { functionId: 'e', name: 'e', bindings: { e: { type: 'eventGridTrigger', direction: 'in' } } };
    const outcome = await deliverEventGrid(host, fn, { id: 'evt', type: 't' }, 5, { responseTimeoutMs: 50 });
    expect(outcome).toEqual({ attempts: 2, outcome: 'acked' });
    expect(runs.slice(0, 3)).toEqual(['started', 'started', 'finished 2']);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(runs).toContain('finished 1');
  });
});

/** Lets pending promise callbacks and a few poll rounds run. */
async function ticks(ms = 30): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

describe('queue listener: waiting, stopping and storage failures', () => {
  it('names its queue', () => {
    expect(listenerOn(new MemoryQueues(), async () => ({ ok: true }), {}).queue).toBe('q');
  });

  it('does not poll for a delivery it was told to forget', async () => {
    const queues = new MemoryQueues();
    const listener = listenerOn(queues, async () => ({ ok: true }), {});
    const { id } = await queues.putMessage('q', 'x');
    void listener.track(id);
    listener.forget(id);
    await listener.wake();
    await ticks();
    expect(queues.queues.get('q')?.map((m) => m.dequeueCount)).toEqual([0]);
  });

  it('rejects the deliveries still waiting when it stops', async () => {
    const queues = new MemoryQueues();
    const listener = listenerOn(queues, async () => ({ ok: true }), {});
    const waiting = listener.track('never-put');
    listener.stop();
    await expect(waiting).rejects.toThrow('the emulator stopped before the message settled');
  });

  it('fails every waiting delivery with the error of a Get Messages that failed', async () => {
    const queues = new MemoryQueues();
    queues.getMessages = async () => {
      throw new Error('azurite is gone');
    };
    const listener = listenerOn(queues, async () => ({ ok: true }), {});
    const waiting = [listener.track('a'), listener.track('b')];
    await listener.wake();
    for (const w of waiting) await expect(w).rejects.toThrow('azurite is gone');
  });

  it('poisons without a run a message dequeued more often than maxDequeueCount', async () => {
    const queues = new MemoryQueues();
    const host = hostWith(queues);
    const runs: string[] = [];
    const listener = new QueueListener({
      host,
      queue: 'q',
      poisonQueue: 'q-poison',
      settings: settings({ maxDequeueCount: 2 }),
      pollMs: 5,
      handler: { keyOf: (m) => m.id, run: async (m) => (runs.push(m.id), { ok: true }), describe: (m) => ({ functionName: 'f', id: m.id }) },
    });
    const { id } = await queues.putMessage('q', 'x');
    queues.queues.get('q')![0]!.dequeueCount = 2; // leases that ran out twice
    const outcome = listener.track(id);
    await listener.wake();
    expect(await outcome).toEqual({ attempts: 0, outcome: 'dead-lettered' });
    expect(runs).toEqual([]);
    expect(host.deadLetters).toEqual([{ functionName: 'f', id, place: 'q-poison', attempts: 3, reason: 'dequeued more often than maxDequeueCount' }]);
    expect(queues.queues.get('q-poison')?.map((m) => m.text)).toEqual(['x']);
  });

  function failingDelete(status: number) {
    const queues = new MemoryQueues();
    queues.deleteMessage = async () => {
      throw new StorageRequestError(`delete answered ${status}`, status, undefined);
    };
    const warnings: string[] = [];
    const host: EventHost = { ...hostWith(queues), warn: (message) => warnings.push(message) };
    const listener = new QueueListener({
      host,
      queue: 'q',
      poisonQueue: 'q-poison',
      settings: settings({}),
      pollMs: 5,
      handler: { keyOf: (m) => m.id, run: async () => ({ ok: true }), describe: (m) => ({ functionName: 'f', id: m.id }) },
    });
    return { queues, warnings, listener };
  }

  it('warns about a storage call that failed and fails that delivery with its error', async () => {
    const { queues, warnings, listener } = failingDelete(500);
    const outcome = listener.track((await queues.putMessage('q', 'x')).id);
    await listener.wake();
    await expect(outcome).rejects.toThrow('delete answered 500');
    expect(warnings).toEqual(['queue listener of q: delete answered 500']);
  });

  it('takes a 404 from the Queue service as a message already gone: no warning, the delivery still waits', async () => {
    const { queues, warnings, listener } = failingDelete(404);
    let settled = false;
    const outcome = listener.track((await queues.putMessage('q', 'x')).id);
    void outcome.then(
      () => (settled = true),
      () => (settled = true),
    );
    await listener.wake();
    await until(() => queues.fetches.length > 0);
    await ticks();
    expect(warnings).toEqual([]);
    expect(settled).toBe(false);
    listener.stop();
    await expect(outcome).rejects.toThrow('the emulator stopped');
  });

  it('refuses a queue trigger without a queue name', () => {
    const fn: RegisteredFunction = { functionId: 'f', name: 'f', bindings: { m: { type: 'queueTrigger', direction: 'in' } } };
    expect(() => functionQueueListener(hostWith(new MemoryQueues()), fn, settings({}))).toThrow('function "f" has a queue trigger without queueName');
  });
});

async function until(check: () => boolean): Promise<void> {
  while (!check()) await ticks(5);
}

/** A host whose invocations answer with `answer`, recording each request. */
function recordingHost(answer: (request: RpcInvocationRequest, n: number) => Promise<InvokeResult>, queues = new MemoryQueues()) {
  const requests: RpcInvocationRequest[] = [];
  const deadLetters: DeadLetter[] = [];
  const host: EventHost = {
    ...hostWith(queues),
    invoke: async (_fn, request) => answer(request, requests.push(request)),
    deadLetter: (entry) => deadLetters.push(entry),
  };
  return { host, requests, deadLetters };
}

const metadata = (request: RpcInvocationRequest, name: string) => request.triggerMetadata?.[name];

describe('Event Grid retries', () => {
  it('dead-letters after maxAttempts deliveries that got no answer in time, and sends no duplicate of a dead-lettered event', async () => {
    const { host, requests, deadLetters } = recordingHost(() => new Promise<InvokeResult>(() => {}));
    const fn: RegisteredFunction = { functionId: 'e', name: 'e', bindings: { e: { type: 'eventGridTrigger', direction: 'in' } } };
    const outcome = await deliverEventGrid(host, fn, { id: 'evt', type: 't' }, 2, { responseTimeoutMs: 20, duplicate: () => true });
    expect(outcome).toEqual({ attempts: 2, outcome: 'dead-lettered' });
    expect(requests).toHaveLength(2);
    expect(deadLetters).toEqual([{ functionName: 'e', place: 'eventgrid-deadletter', id: 'evt', attempts: 2, reason: 'no answer within 20 ms: Event Grid retries the delivery' }]);
  });
});

describe('Service Bus (simulated)', () => {
  const fn: RegisteredFunction = {
    functionId: 's',
    name: 's',
    bindings: { msg: { type: 'serviceBusTrigger', direction: 'in', topicName: 'orders', subscriptionName: 'all' } },
  };

  it('gives each message a MessageId without dashes and a growing SequenceNumber; its duplicate keeps the id with DeliveryCount + 1', async () => {
    const { host, requests } = recordingHost(async () => ({ ok: true }));
    const outcomes = await deliverServiceBus(host, fn, [{ body: 'a' }, { body: 'b' }], 3, () => true);
    expect(outcomes).toEqual([
      { attempts: 1, outcome: 'acked', duplicates: 1 },
      { attempts: 1, outcome: 'acked', duplicates: 1 },
    ]);
    const byId = new Map<string, { deliveryCounts: unknown[]; sequence: number }>();
    for (const request of requests) {
      const id = metadata(request, 'MessageId')?.string as string;
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      const entry = byId.get(id) ?? { deliveryCounts: [], sequence: JSON.parse(metadata(request, 'SequenceNumber')?.json as string) as number };
      entry.deliveryCounts.push(JSON.parse(metadata(request, 'DeliveryCount')?.json as string));
      byId.set(id, entry);
    }
    const entries = [...byId.values()].sort((x, y) => x.sequence - y.sequence);
    expect(entries.map((e) => e.deliveryCounts)).toEqual([
      [1, 2],
      [1, 2],
    ]);
    expect(entries[1]!.sequence).toBeGreaterThan(entries[0]!.sequence);
    expect(entries[0]!.sequence).toBeGreaterThan(0);
  });

  it('dead-letters to the subscription\'s $DeadLetterQueue after MaxDeliveryCount deliveries', async () => {
    const { host, requests, deadLetters } = recordingHost(async () => ({ ok: false, reason: 'boom' }));
    expect(await deliverServiceBus(host, fn, [{ body: 'a' }], 2)).toEqual([{ attempts: 2, outcome: 'dead-lettered' }]);
    expect(requests.map((r) => JSON.parse(metadata(r, 'DeliveryCount')?.json as string))).toEqual([1, 2]);
    expect(deadLetters).toEqual([{ functionName: 's', place: 'orders/Subscriptions/all/$DeadLetterQueue', id: metadata(requests[0]!, 'MessageId')?.string, attempts: 2, reason: 'boom' }]);
  });
});

describe('timer retries', () => {
  const fn: RegisteredFunction = { functionId: 't', name: 't', bindings: { tick: { type: 'timerTrigger', direction: 'in' } } };
  const scheduledTime = new Date('2024-05-01T03:00:00Z');

  it('passes the retry context when maxAttempts allows retries, and drops a tick that failed every attempt', async () => {
    const { host, requests, deadLetters } = recordingHost(async () => ({ ok: false, reason: 'boom' }));
    const outcome = await deliverTimer(host, fn, scheduledTime, 3, new TimerSchedules(new Date(0)));
    expect(outcome).toEqual({ attempts: 3, outcome: 'dead-lettered' });
    expect(requests.map((r) => r.retryContext)).toEqual([
      { retryCount: 0, maxRetryCount: 2 },
      { retryCount: 1, maxRetryCount: 2 },
      { retryCount: 2, maxRetryCount: 2 },
    ]);
    expect(deadLetters).toEqual([{ functionName: 't', place: 'timer (tick dropped)', id: '2024-05-01T03:00:00.000Z', attempts: 3, reason: 'boom' }]);
  });

  it('passes no retry context when a tick gets one attempt', async () => {
    const { host, requests } = recordingHost(async () => ({ ok: true }));
    expect(await deliverTimer(host, fn, scheduledTime, 1, new TimerSchedules(new Date(0)))).toEqual({ attempts: 1, outcome: 'acked' });
    expect(requests.map((r) => r.retryContext)).toEqual([null]);
  });
});

/** A queue listener on `q` whose host and Queue service count the calls made to them. */
function countingListener(run: (m: ReceivedQueueMessage) => Promise<InvokeResult>, s: Partial<QueueSettings>, options: { pollMs?: number; keyOf?: (m: ReceivedQueueMessage) => string | undefined } = {}) {
  const queues = new MemoryQueues();
  const calls = { storage: 0, getMessages: 0 };
  const getMessages = queues.getMessages.bind(queues);
  queues.getMessages = async (queue, count, visibilitySeconds) => {
    calls.getMessages += 1;
    return getMessages(queue, count, visibilitySeconds);
  };
  const warnings: string[] = [];
  const base = hostWith(queues);
  const host: EventHost = {
    ...base,
    storage: async () => {
      calls.storage += 1;
      return base.storage();
    },
    warn: (message) => warnings.push(message),
  };
  const listener = new QueueListener({
    host,
    queue: 'q',
    poisonQueue: 'q-poison',
    settings: settings(s),
    ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
    handler: { keyOf: options.keyOf ?? ((m) => m.id), run, describe: (m) => ({ functionName: 'f', id: m.id }) },
  });
  onTestFinished(() => listener.stop());
  return { queues, calls, warnings, listener };
}

describe('queue listener: when it polls', () => {
  it('fetches no next batch while more than newBatchThreshold messages still run', async () => {
    const gates = new Map<string, () => void>();
    const started: string[] = [];
    const { queues, listener } = countingListener(
      async (m) => {
        started.push(m.text);
        if (m.text !== 'c') await new Promise<void>((resolve) => gates.set(m.text, resolve));
        return { ok: true };
      },
      { batchSize: 2, newBatchThreshold: 1 },
      { pollMs: 5 },
    );
    const settled = [];
    for (const text of ['s1', 's2', 'c']) settled.push(listener.track((await queues.putMessage('q', text)).id));
    await listener.wake();
    await until(() => gates.size === 2);
    await ticks(); // several poll intervals
    expect(started).toEqual(['s1', 's2']);
    expect(queues.fetches).toEqual([2]);
    // One of the two done: one still running, down to newBatchThreshold, so 'c' is fetched.
    gates.get('s1')!();
    await until(() => started.length === 3);
    expect(started).toEqual(['s1', 's2', 'c']);
    expect(queues.fetches).toEqual([2, 1]);
    gates.get('s2')!();
    expect((await Promise.all(settled)).map((o) => o.outcome)).toEqual(['acked', 'acked', 'acked']);
  });

  it('asks for no storage when woken with nothing to wait for', async () => {
    const { calls, listener } = countingListener(async () => ({ ok: true }), {}, { pollMs: 5 });
    await listener.wake();
    await ticks();
    expect(calls).toEqual({ storage: 0, getMessages: 0 });
  });

  it('stops polling once every delivery it waits for has settled, and polls again for the next one', async () => {
    const { queues, calls, listener } = countingListener(async () => ({ ok: true }), {}, { pollMs: 5 });
    const first = listener.track((await queues.putMessage('q', 'a')).id);
    await listener.wake();
    expect(await first).toEqual({ attempts: 1, outcome: 'acked' });
    await ticks();
    const polls = calls.getMessages;
    await ticks();
    expect(calls.getMessages).toBe(polls);
    const second = listener.track((await queues.putMessage('q', 'b')).id);
    await listener.wake();
    expect(calls.storage).toBe(2);
    expect(await second).toEqual({ attempts: 1, outcome: 'acked' });
    expect(queues.queues.get('q')).toEqual([]);
  });

  it('polls for a delivery tracked while a message nobody waits on still runs after the others settled', async () => {
    let releaseStray!: () => void;
    const stray = new Promise<void>((resolve) => (releaseStray = resolve));
    const { queues, calls, listener } = countingListener(
      async (m) => {
        if (m.text === 'stray') await stray;
        return { ok: true };
      },
      {},
      // 'stray' is nobody's delivery (e.g. the second BlobTriggerMessage of an Event Grid retry): no key.
      { pollMs: 5, keyOf: (m) => (m.text === 'stray' ? undefined : m.id) },
    );
    await queues.putMessage('q', 'stray');
    const first = listener.track((await queues.putMessage('q', 'a')).id);
    await listener.wake();
    expect(await first).toEqual({ attempts: 1, outcome: 'acked' });
    await ticks();
    // The poll waits for 'stray' now; a delivery tracked meanwhile is polled for once it is done.
    const second = listener.track((await queues.putMessage('q', 'b')).id);
    await listener.wake();
    expect(calls.storage).toBe(1);
    releaseStray();
    expect(await second).toEqual({ attempts: 1, outcome: 'acked' });
    expect(queues.queues.get('q')).toEqual([]);
  });

  it('polls an empty queue every 50 ms unless told another interval', async () => {
    vi.useFakeTimers();
    onTestFinished(() => void vi.useRealTimers());
    const { calls, listener } = countingListener(async () => ({ ok: true }), {});
    void listener.track('not-put-yet').catch(() => {});
    await listener.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.getMessages).toBe(1);
    await vi.advanceTimersByTimeAsync(49);
    expect(calls.getMessages).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.getMessages).toBe(2);
  });

  it('fetches nothing for a delivery tracked after it stopped', async () => {
    const { queues, calls, listener } = countingListener(async () => ({ ok: true }), {}, { pollMs: 5 });
    listener.stop();
    void listener.track((await queues.putMessage('q', 'x')).id).catch(() => {});
    await listener.wake();
    await ticks();
    expect(calls.getMessages).toBe(0);
    expect(queues.queues.get('q')?.map((m) => m.dequeueCount)).toEqual([0]);
  });
});

describe('queue listener: which delivery a message settles', () => {
  it("poisons a delivery after its own maxAttempts rather than host.json's maxDequeueCount", async () => {
    const seen: number[] = [];
    const { queues, listener } = countingListener(
      async (m) => {
        seen.push(m.dequeueCount);
        return { ok: false, reason: 'boom' };
      },
      { maxDequeueCount: 5 },
      { pollMs: 5 },
    );
    const outcome = listener.track((await queues.putMessage('q', 'x')).id, { maxAttempts: 2 });
    await listener.wake();
    expect(await outcome).toEqual({ attempts: 2, outcome: 'dead-lettered' });
    expect(seen).toEqual([1, 2]);
    expect(queues.queues.get('q-poison')?.map((m) => m.text)).toEqual(['x']);
  });

  it('runs and deletes messages nobody waits on without a warning', async () => {
    const runs: string[] = [];
    const { queues, warnings, listener } = countingListener(
      async (m) => (runs.push(m.text), { ok: true }),
      {},
      // 'orphan' belongs to no delivery; 'stray' has a key nobody tracks (e.g. written by another function's output binding).
      { pollMs: 5, keyOf: (m) => (m.text === 'orphan' ? undefined : m.id) },
    );
    await queues.putMessage('q', 'orphan');
    await queues.putMessage('q', 'stray');
    const outcome = listener.track((await queues.putMessage('q', 'x')).id);
    await listener.wake();
    expect(await outcome).toEqual({ attempts: 1, outcome: 'acked' });
    await until(() => queues.queues.get('q')!.length === 0);
    await ticks();
    expect(runs).toEqual(['orphan', 'stray', 'x']);
    expect(warnings).toEqual([]);
  });

  it('warns about a failed storage call on a message nobody waits on and goes on with the next batch', async () => {
    const { queues, warnings, listener } = countingListener(async () => ({ ok: true }), { batchSize: 1, newBatchThreshold: 0 }, { pollMs: 5 });
    const stray = (await queues.putMessage('q', 'stray')).id;
    const deleteMessage = queues.deleteMessage.bind(queues);
    queues.deleteMessage = async (queue, id) => {
      if (id === stray) throw new StorageRequestError('delete answered 500', 500, undefined);
      return deleteMessage(queue, id);
    };
    const outcome = listener.track((await queues.putMessage('q', 'x')).id);
    await listener.wake();
    await until(() => warnings.length > 0);
    await ticks();
    expect(warnings).toEqual(['queue listener of q: delete answered 500']);
    expect(queues.fetches).toEqual([1, 1]);
    expect(await outcome).toEqual({ attempts: 1, outcome: 'acked' });
  });
});

describe("a queue trigger function's listener", () => {
  const fn: RegisteredFunction = { functionId: 'q', name: 'onOrder', bindings: { order: { type: 'queueTrigger', direction: 'in', queueName: 'Orders' } } };

  it('poisons to <queue>-poison after the delivery\'s maxAttempts, naming the function and the message id', async () => {
    const queues = new MemoryQueues();
    const { host, requests, deadLetters } = recordingHost(async () => ({ ok: false, reason: 'boom' }), queues);
    const listener = functionQueueListener(host, fn, settings({ maxDequeueCount: 5 }));
    const outcomes = listener.deliver([{ body: 'hello' }], 2);
    await until(() => deadLetters.length > 0);
    expect(deadLetters).toEqual([{ functionName: 'onOrder', id: 'm1', place: 'orders-poison', attempts: 2, reason: 'boom' }]);
    expect(await outcomes).toEqual([{ attempts: 2, outcome: 'dead-lettered' }]);
    expect(requests.map((r) => metadata(r, 'DequeueCount'))).toEqual([{ json: '1' }, { json: '2' }]);
    // The poison copy keeps the message text as stored: base64, the host's default messageEncoding.
    expect(queues.queues.get('orders-poison')?.map((m) => m.text)).toEqual([Buffer.from('hello').toString('base64')]);
  });

  it('listens on the lower-cased queueName and hands the function each message body decoded', async () => {
    const queues = new MemoryQueues();
    const stored: string[] = [];
    const putMessage = queues.putMessage.bind(queues);
    queues.putMessage = async (queue, text) => (stored.push(`${queue}:${text}`), putMessage(queue, text));
    const { host, requests } = recordingHost(async () => ({ ok: true }), queues);
    // The host lower-cases the trigger's queue name (QueueTriggerAttributeBindingProvider.NormalizeAndValidate,
    // https://github.com/Azure/azure-sdk-for-net/blob/main/sdk/storage/Microsoft.Azure.WebJobs.Extensions.Storage.Queues/src/Triggers/QueueTriggerAttributeBindingProvider.cs).
    const listener = functionQueueListener(host, fn, settings({}));
    expect(listener.queue).toBe('orders');
    const outcomes = await listener.deliver([{ body: 'hello' }, { body: new TextEncoder().encode('héllo') }], 3);
    expect(outcomes).toEqual([
      { attempts: 1, outcome: 'acked' },
      { attempts: 1, outcome: 'acked' },
    ]);
    expect(stored).toEqual([`orders:${Buffer.from('hello').toString('base64')}`, `orders:${Buffer.from('héllo').toString('base64')}`]);
    expect(requests.map((r) => [metadata(r, 'Id'), r.inputData?.[0]?.data])).toEqual([
      [{ string: 'm1' }, { string: 'hello' }],
      [{ string: 'm2' }, { string: 'héllo' }],
    ]);
    expect(queues.queues.get('orders')).toEqual([]);
  });

  it('delivers a handled message once more when a duplicate is drawn', async () => {
    const queues = new MemoryQueues();
    const { host, requests } = recordingHost(async () => ({ ok: true }), queues);
    const outcomes = await functionQueueListener(host, fn, settings({})).deliver([{ body: 'hello' }], 3, () => true);
    expect(outcomes).toEqual([{ attempts: 1, outcome: 'acked', duplicates: 1 }]);
    expect(requests.map((r) => [metadata(r, 'Id'), metadata(r, 'DequeueCount')])).toEqual([
      [{ string: 'm1' }, { json: '1' }],
      [{ string: 'm1' }, { json: '2' }],
    ]);
  });

  it('refuses a queue trigger whose queueName is empty', () => {
    const empty: RegisteredFunction = { functionId: 'f', name: 'f', bindings: { m: { type: 'queueTrigger', direction: 'in', queueName: '' } } };
    expect(() => functionQueueListener(hostWith(new MemoryQueues()), empty, settings({}))).toThrow('function "f" has a queue trigger without queueName');
  });
});

describe('delivery constants', () => {
  it('draws no duplicate unless asked to', () => {
    expect(never()).toBe(false);
  });

  it('names the blob trigger poison queue as the host does', () => {
    // https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-blob-trigger#poison-blobs
    expect(BLOB_POISON_QUEUE).toBe('webjobs-blobtrigger-poison');
  });

  it('encodes queue message text as base64 of its UTF-8 bytes', () => {
    expect(base64('héllo')).toBe('aMOpbGxv');
  });

  it('takes 200, 201, 202, 203 and 204 as a delivered Event Grid event', () => {
    // https://learn.microsoft.com/azure/event-grid/delivery-and-retry#success-codes
    expect([...EVENT_GRID_SUCCESS]).toEqual([200, 201, 202, 203, 204]);
  });
});

describe('Service Bus message properties', () => {
  const fn: RegisteredFunction = { functionId: 's', name: 's', bindings: { msg: { type: 'serviceBusTrigger', direction: 'in', topicName: 'orders', subscriptionName: 'all' } } };

  it('hands the attributes to the trigger as ApplicationProperties and UserProperties, {} for a message without any', async () => {
    const { host, requests } = recordingHost(async () => ({ ok: true }));
    await deliverServiceBus(host, fn, [{ body: 'a', attributes: { kind: 'new' } }, { body: new TextEncoder().encode('b') }], 1);
    expect(requests.map((r) => [r.inputData?.[0]?.data, metadata(r, 'ApplicationProperties'), metadata(r, 'UserProperties')])).toEqual([
      [{ string: 'a' }, { json: '{"kind":"new"}' }, { json: '{"kind":"new"}' }],
      [{ string: 'b' }, { json: '{}' }, { json: '{}' }],
    ]);
  });
});

describe('Event Grid delivery', () => {
  const fn: RegisteredFunction = { functionId: 'e', name: 'e', bindings: { e: { type: 'eventGridTrigger', direction: 'in' } } };

  it('sends an acked event once more, with the same id, when a duplicate is drawn', async () => {
    const { host, requests } = recordingHost(async () => ({ ok: true }));
    expect(await deliverEventGrid(host, fn, { id: 'evt', type: 't' }, 3, { duplicate: () => true })).toEqual({ attempts: 1, outcome: 'acked', duplicates: 1 });
    expect(requests.map((r) => r.inputData?.[0]?.data)).toEqual([{ string: '{"id":"evt","type":"t"}' }, { string: '{"id":"evt","type":"t"}' }]);
  });

  it('leaves no response timer running once the function answered', async () => {
    vi.useFakeTimers();
    onTestFinished(() => void vi.useRealTimers());
    const { host } = recordingHost(async () => ({ ok: true }));
    expect(await deliverEventGrid(host, fn, { id: 'evt', type: 't' }, 1)).toEqual({ attempts: 1, outcome: 'acked' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sends a CloudEvent in structured JSON: bytes as data_base64, other data as data, no data member without data', () => {
    // https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/formats/json-format.md#31-handling-of-data
    const base = { specversion: '1.0', id: '1', source: '/s', type: 't' };
    expect(structuredCloudEvent({ ...base, data: Uint8Array.from([255, 0, 1]) })).toStrictEqual({ ...base, data_base64: '/wAB' });
    expect(structuredCloudEvent({ ...base, data: { a: 1 } })).toStrictEqual({ ...base, data: { a: 1 } });
    expect(structuredCloudEvent({ ...base, data: 'text' })).toStrictEqual({ ...base, data: 'text' });
    expect(structuredCloudEvent(base)).toStrictEqual(base);
  });
});

describe('timer schedule status: edges', () => {
  it('does not mark a tick scheduled exactly at host start as past due', () => {
    // Past due only when now > the recorded next occurrence (ScheduleMonitor.CheckPastDueAsync,
    // https://github.com/Azure/azure-webjobs-sdk-extensions/blob/dev/src/WebJobs.Extensions/Extensions/Timers/Scheduling/ScheduleMonitor.cs).
    const started = new Date('2024-05-01T03:00:00Z');
    expect(new TimerSchedules(started).tick('t', new Date('2024-05-01T03:00:00Z'), new Date('2024-05-01T03:00:00.2Z'))).toEqual({
      scheduledTime: new Date('2024-05-01T03:00:00Z'),
      last: undefined,
      isPastDue: false,
    });
  });

  it('records a late regular tick at the time it fired, which the next tick carries as Last', () => {
    // TimerListener.InvokeJobFunction keeps the invocation time unless the tick fired before ScheduleStatus.Next
    // (https://github.com/Azure/azure-webjobs-sdk-extensions/blob/dev/src/WebJobs.Extensions/Extensions/Timers/Listener/TimerListener.cs).
    const schedules = new TimerSchedules(new Date('2024-05-01T03:00:00Z'));
    schedules.tick('t', new Date('2024-05-01T03:01:00Z'), new Date('2024-05-01T03:06:00Z'));
    expect(schedules.tick('t', new Date('2024-05-01T03:07:00Z'), new Date('2024-05-01T03:07:00Z'))).toEqual({
      scheduledTime: new Date('2024-05-01T03:07:00Z'),
      last: new Date('2024-05-01T03:06:00Z'),
      isPastDue: false,
    });
  });
});
