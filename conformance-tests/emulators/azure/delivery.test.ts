import { describe, expect, it } from 'vitest';
import type { QueueSettings } from './app-config.js';
import { blobCreatedEvent, blobOfUrl } from './blob-delivery.js';
import {
  deliverEventGrid,
  deliverServiceBus,
  deliverTimer,
  functionQueueListener,
  QueueListener,
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
function recordingHost(answer: (request: RpcInvocationRequest, n: number) => Promise<InvokeResult>) {
  const requests: RpcInvocationRequest[] = [];
  const deadLetters: DeadLetter[] = [];
  const host: EventHost = {
    ...hostWith(new MemoryQueues()),
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
