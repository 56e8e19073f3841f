/**
 * Blob-created through Event Grid without Azurite: an in-memory Blob and Queue service, the host's blobs webhook, and the
 * emulated Event Grid's push to it (the rules are in delivery.ts's header).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { QueueSettings } from './app-config.js';
import { BLOB_TRIGGER_QUEUE, BlobTriggerHost, blobCreatedEvent, blobOfUrl, deliverBlobCreated, deliverBlobDeleted, type WebhookPost } from './blob-delivery.js';
import { BLOB_POISON_QUEUE, EVENT_GRID_MAX_DELIVERY_ATTEMPTS, type DeadLetter, type EventHost, type InvokeResult } from './delivery.js';
import type { RegisteredFunction, RpcInvocationRequest } from './protocol.js';
import { StorageRequestError, type BlobProperties, type ReceivedQueueMessage, type StorageRest } from './storage-rest.js';

interface StoredMessage {
  id: string;
  text: string;
  dequeueCount: number;
  visibleAt: number;
}

/** Blobs and queues in memory, with the visibility and DequeueCount rules the shared queue listener relies on. */
class MemoryStorage {
  readonly blobs = new Map<string, { body: Uint8Array; contentType: string | undefined }>();
  readonly queues = new Map<string, StoredMessage[]>();
  /** The ETag getBlob reports (undefined: none). */
  etag: string | undefined = '"0x8DC0FFEE"';
  /** The Last-Modified and x-ms-creation-time getBlob reports (undefined: none). */
  lastModified: Date | undefined = new Date(0);
  createdOn: Date | undefined = new Date(0);
  /** Thrown by getBlob instead of answering. */
  getBlobError: Error | undefined;
  #ids = 0;

  async createContainer(): Promise<void> {}
  async putBlob(container: string, key: string, body: Uint8Array, contentType: string | undefined): Promise<void> {
    this.blobs.set(`${container}/${key}`, { body, contentType });
  }
  async getBlob(container: string, key: string): Promise<{ body: Uint8Array; properties: BlobProperties }> {
    if (this.getBlobError) throw this.getBlobError;
    const blob = this.blobs.get(`${container}/${key}`);
    if (!blob) throw new StorageRequestError(`blob ${container}/${key} not found`, 404, 'BlobNotFound');
    return { body: blob.body, properties: { contentLength: blob.body.byteLength, contentType: blob.contentType, etag: this.etag, lastModified: this.lastModified, createdOn: this.createdOn } };
  }
  async deleteBlob(container: string, key: string): Promise<void> {
    this.blobs.delete(`${container}/${key}`);
  }
  async createQueue(queue: string): Promise<void> {
    if (!this.queues.has(queue)) this.queues.set(queue, []);
  }
  async putMessage(queue: string, text: string): Promise<{ id: string; popReceipt: string }> {
    await this.createQueue(queue);
    const message = { id: `m${++this.#ids}`, text, dequeueCount: 0, visibleAt: 0 };
    this.queues.get(queue)!.push(message);
    return { id: message.id, popReceipt: 'p' };
  }
  async getMessages(queue: string, count: number, visibilitySeconds: number): Promise<ReceivedQueueMessage[]> {
    const now = Date.now();
    return (this.queues.get(queue) ?? [])
      .filter((m) => m.visibleAt <= now)
      .slice(0, count)
      .map((m) => {
        m.dequeueCount += 1;
        m.visibleAt = now + visibilitySeconds * 1000;
        const at = new Date(now);
        return { id: m.id, popReceipt: `p${m.dequeueCount}`, insertionTime: at, expirationTime: at, nextVisibleTime: at, dequeueCount: m.dequeueCount, text: m.text };
      });
  }
  async deleteMessage(queue: string, id: string): Promise<void> {
    this.queues.set(queue, (this.queues.get(queue) ?? []).filter((m) => m.id !== id));
  }
  async releaseMessage(queue: string, id: string, _popReceipt: string, visibilitySeconds: number): Promise<void> {
    const m = this.queues.get(queue)?.find((x) => x.id === id);
    if (m) m.visibleAt = Date.now() + visibilitySeconds * 1000;
  }
}

const SETTINGS: QueueSettings = { batchSize: 16, newBatchThreshold: 8, visibilityTimeoutMs: 0, maxDequeueCount: 2 };
const FN: RegisteredFunction = { functionId: 'up', name: 'onUpload', bindings: { blob: { type: 'blobTrigger', direction: 'in', path: 'uploads/{name}' } } };

function setup(answer: (request: RpcInvocationRequest) => Promise<InvokeResult> = async () => ({ ok: true }), functions: readonly RegisteredFunction[] = [FN]) {
  const storage = new MemoryStorage();
  const requests: RpcInvocationRequest[] = [];
  const deadLetters: DeadLetter[] = [];
  const warnings: string[] = [];
  const host: EventHost = {
    invoke: async (_fn, request) => (requests.push(request), answer(request)),
    storage: async () => ({ rest: storage as unknown as StorageRest, endpoints: { blob: 'http://127.0.0.1:10000/devstoreaccount1' } as never }),
    deadLetter: (entry) => deadLetters.push(entry),
    warn: (message) => warnings.push(message),
  };
  const blobHost = new BlobTriggerHost(host, () => functions, SETTINGS);
  /** What Event Grid posted: path, headers and events. */
  const posts: { path: string; headers: Record<string, string>; events: { id: string; data: Record<string, unknown> }[] }[] = [];
  /** The webhook as the host serves it. */
  const webhook: WebhookPost = async (path, headers, body) => {
    posts.push({ path, headers, events: JSON.parse(body) as never });
    const functionName = new URL(path, 'http://host').searchParams.get('functionName') ?? '';
    return (await blobHost.webhook(functionName, headers['aeg-event-type'], body)).status;
  };
  return { storage, host, blobHost, requests, deadLetters, warnings, posts, webhook };
}

const triggerMessages = (storage: MemoryStorage) =>
  (storage.queues.get(BLOB_TRIGGER_QUEUE) ?? []).map((m) => JSON.parse(Buffer.from(m.text, 'base64').toString('utf8')) as Record<string, unknown>);

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('the host\'s blobs webhook', () => {
  it('answers the validation handshake with the validation code', async () => {
    const { blobHost } = setup();
    expect(await blobHost.webhook('Host.Functions.onUpload', 'SubscriptionValidation', JSON.stringify([{ data: { validationCode: 'c0de' } }]))).toEqual({
      status: 200,
      body: JSON.stringify({ validationResponse: 'c0de' }),
    });
    expect(await blobHost.webhook('Host.Functions.onUpload', 'SubscriptionValidation', JSON.stringify({ data: {} }))).toEqual({
      status: 200,
      body: JSON.stringify({ validationResponse: '' }),
    });
    // No event at all, and an event without data: an empty code rather than a failure.
    for (const body of ['[]', '[{}]']) {
      expect(await blobHost.webhook('Host.Functions.onUpload', 'SubscriptionValidation', body)).toEqual({ status: 200, body: JSON.stringify({ validationResponse: '' }) });
    }
  });

  it('answers unsubscribe with 202, and an unknown event type or a body that is not JSON with 400', async () => {
    const { blobHost, storage } = setup();
    expect(await blobHost.webhook('Host.Functions.onUpload', 'Unsubscribe', '[]')).toEqual({ status: 202 });
    expect(await blobHost.webhook('Host.Functions.onUpload', 'SomethingElse', '[]')).toEqual({ status: 400 });
    expect(await blobHost.webhook('Host.Functions.onUpload', undefined, '[]')).toEqual({ status: 400 });
    expect(await blobHost.webhook('Host.Functions.onUpload', 'Notification', 'not json')).toEqual({ status: 400 });
    expect(storage.queues.size).toBe(0);
  });

  it('refuses with 400 a notification whose event names no blob', async () => {
    const { blobHost, storage } = setup();
    expect(await blobHost.webhook('Host.Functions.onUpload', 'Notification', JSON.stringify([{ data: {} }]))).toEqual({ status: 400 });
    expect(await blobHost.webhook('Host.Functions.onUpload', 'Notification', JSON.stringify([{}]))).toEqual({ status: 400 });
    // A container's URL, no blob in it.
    expect(await blobHost.webhook('Host.Functions.onUpload', 'Notification', JSON.stringify([{ data: { url: 'http://127.0.0.1:10000/devstoreaccount1/uploads' } }]))).toEqual({ status: 400 });
    expect(triggerMessages(storage)).toEqual([]);
  });

  it('queues one BlobTriggerMessage per event, the ETag quoted again, BlockBlob unless the event says', async () => {
    const { blobHost, storage } = setup();
    const events = [
      { data: { url: 'http://127.0.0.1:10000/devstoreaccount1/uploads/dir/a%20b.txt', eTag: '0x1', blobType: 'AppendBlob' } },
      { data: { url: 'http://127.0.0.1:10000/devstoreaccount1/uploads/c.txt' } },
    ];
    expect(await blobHost.webhook('Host.Functions.onUpload', 'Notification', JSON.stringify(events))).toEqual({ status: 202 });
    expect(triggerMessages(storage)).toEqual([
      { Type: 'BlobTrigger', FunctionId: 'Host.Functions.onUpload', BlobType: 'AppendBlob', ContainerName: 'uploads', BlobName: 'dir/a b.txt', ETag: '"0x1"' },
      { Type: 'BlobTrigger', FunctionId: 'Host.Functions.onUpload', BlobType: 'BlockBlob', ContainerName: 'uploads', BlobName: 'c.txt', ETag: '""' },
    ]);
    // The host's shared queue is azure-webjobs-blobtrigger-<hostId> (HostQueueNames.GetHostBlobTriggerQueueName,
    // https://github.com/Azure/azure-webjobs-sdk HostQueueNamesTest); the emulator's host id is faasport-emulator.
    expect([...storage.queues.keys()]).toEqual(['azure-webjobs-blobtrigger-faasport-emulator']);
  });
});

describe('the container and blob of an event\'s url', () => {
  // Azurite's IP-style URLs carry the account in the path (http://<address>:<port>/<account>/<container>/<blob>); its
  // production-style URLs and Azure's carry it in the host name
  // (https://learn.microsoft.com/azure/storage/common/storage-use-azurite, "IP-style URL", "Production-style URL").
  it.each([
    ['http://127.0.0.1:10000/devstoreaccount1/uploads/dir/a%20b.txt', { container: 'uploads', blob: 'dir/a b.txt' }],
    ['http://localhost:10000/devstoreaccount1/uploads/a.txt', { container: 'uploads', blob: 'a.txt' }],
    ['http://[::1]:10000/devstoreaccount1/uploads/a.txt', { container: 'uploads', blob: 'a.txt' }],
    // Azurite listening on another interface (--blobHost 0.0.0.0), reached at a LAN address.
    ['http://192.168.100.200:10000/devstoreaccount1/uploads/a.txt', { container: 'uploads', blob: 'a.txt' }],
    ['http://devstoreaccount1.blob.localhost:10000/uploads/a.txt', { container: 'uploads', blob: 'a.txt' }],
    ['https://myaccount.blob.core.windows.net/uploads/dir/a.txt', { container: 'uploads', blob: 'dir/a.txt' }],
    // An account whose name begins with "localhost" is still a host name.
    ['https://localhoststore.blob.core.windows.net/uploads/a.txt', { container: 'uploads', blob: 'a.txt' }],
    ['http://127.0.0.1:10000/devstoreaccount1/uploads', undefined],
    ['https://myaccount.blob.core.windows.net/uploads', undefined],
    ['not a url', undefined],
  ])('%s', (url, expected) => {
    expect(blobOfUrl(url)).toEqual(expected);
  });
});

describe('the BlobCreated event', () => {
  it('has the storage system topic\'s Event Grid schema, the ETag unquoted, octet-stream without a content type', () => {
    // https://learn.microsoft.com/azure/event-grid/event-schema-blob-storage: Microsoft.Storage.BlobCreated, its data
    // (sequencer: 32 hex digits), dataVersion "", metadataVersion "1". Put Blob's default content type is
    // application/octet-stream (https://learn.microsoft.com/rest/api/storageservices/put-blob).
    const uuid = expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const url = 'http://127.0.0.1:10000/devstoreaccount1/test-container/new-file.txt';
    const event = blobCreatedEvent({ container: 'test-container', key: 'new-file.txt', url, contentType: undefined, contentLength: 524288, etag: '"0x8D4BCC2E4835CD0"' }, new Date('2024-05-01T12:00:00.120Z'));
    expect(event).toEqual({
      topic: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/faasport/providers/Microsoft.Storage/storageAccounts/devstoreaccount1',
      subject: '/blobServices/default/containers/test-container/blobs/new-file.txt',
      eventType: 'Microsoft.Storage.BlobCreated',
      id: uuid,
      data: {
        api: 'PutBlob',
        clientRequestId: uuid,
        requestId: uuid,
        eTag: '0x8D4BCC2E4835CD0',
        contentType: 'application/octet-stream',
        contentLength: 524288,
        blobType: 'BlockBlob',
        url,
        // 2024-05-01T12:00:00.120Z is 0x18f34069e78 ms after the epoch.
        sequencer: '00000000000000000000018f34069e78',
        storageDiagnostics: { batchId: uuid },
      },
      dataVersion: '',
      metadataVersion: '1',
      eventTime: '2024-05-01T12:00:00.12Z',
    });
  });
});

describe('blob created through Event Grid', () => {
  it('runs the blob trigger once with the blob written, through the webhook and the shared queue', async () => {
    const { host, blobHost, requests, storage, posts, webhook } = setup();
    const outcome = await deliverBlobCreated(host, FN, { bucket: 'uploads', key: 'a.txt', body: 'hello', contentType: 'text/plain' }, { blobHost, post: webhook, systemKey: 'k/1' });
    expect(outcome).toEqual({ attempts: 1, outcome: 'acked' });
    expect(posts.map((p) => p.path)).toEqual(['/runtime/webhooks/blobs?functionName=Host.Functions.onUpload&code=k%2F1']);
    // Event Grid posts JSON with aeg-event-type: Notification (https://learn.microsoft.com/azure/event-grid/webhook-event-delivery).
    expect(posts[0]!.headers).toEqual({ 'content-type': 'application/json', 'aeg-event-type': 'Notification' });
    expect(posts[0]!.events[0]!.data).toMatchObject({ eTag: '0x8DC0FFEE', contentLength: 5, contentType: 'text/plain' });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.triggerMetadata?.BlobTrigger).toEqual({ string: 'uploads/a.txt' });
    expect(storage.queues.get(BLOB_TRIGGER_QUEUE)).toEqual([]);
  });

  it('writes an empty blob when the stimulus has no body, and an event without ETag when storage gives none', async () => {
    const { host, blobHost, storage, posts, webhook } = setup();
    storage.etag = undefined;
    const outcome = await deliverBlobCreated(host, FN, { bucket: 'uploads', key: 'empty' }, { blobHost, post: webhook, systemKey: 'k' });
    expect(outcome).toEqual({ attempts: 1, outcome: 'acked' });
    expect(storage.blobs.get('uploads/empty')?.body.byteLength).toBe(0);
    expect(posts[0]!.events[0]!.data).toMatchObject({ eTag: '', contentLength: 0 });
  });

  it('skips, as handled without a run, a blob that is gone before its trigger runs', async () => {
    const { host, blobHost, requests, storage, webhook } = setup();
    const post: WebhookPost = async (...args) => {
      await storage.deleteBlob('uploads', 'gone.txt');
      return webhook(...args);
    };
    expect(await deliverBlobCreated(host, FN, { bucket: 'uploads', key: 'gone.txt', body: 'x' }, { blobHost, post, systemKey: 'k' })).toEqual({ attempts: 1, outcome: 'acked' });
    expect(requests).toEqual([]);
  });

  it('skips a message for a function the app does not have', async () => {
    const { host, blobHost, requests, webhook } = setup(undefined, []);
    expect(await deliverBlobCreated(host, FN, { bucket: 'uploads', key: 'a.txt', body: 'x' }, { blobHost, post: webhook, systemKey: 'k' })).toEqual({ attempts: 1, outcome: 'acked' });
    expect(requests).toEqual([]);
  });

  it('runs the trigger of the function the message names, not another function of the app', async () => {
    const other: RegisteredFunction = { ...FN, functionId: 'other', name: 'onOther' };
    const { host, blobHost, requests, webhook } = setup(undefined, [other, FN]);
    expect(await deliverBlobCreated(host, FN, { bucket: 'uploads', key: 'a.txt', body: 'x' }, { blobHost, post: webhook, systemKey: 'k' })).toEqual({ attempts: 1, outcome: 'acked' });
    expect(requests.map((r) => r.functionId)).toEqual(['up']);
  });

  describe('hands the trigger the blob\'s Uri and Properties, CreatedOn falling back to LastModified, then to the time of the run', () => {
    afterEach(() => {
      vi.useRealTimers();
    });
    const lastModified = new Date('2024-05-01T12:00:00.120Z');
    it.each([
      ['both reported', { lastModified, createdOn: new Date('2024-04-30T08:00:00Z') }, { LastModified: '2024-05-01T12:00:00.12+00:00', CreatedOn: '2024-04-30T08:00:00+00:00' }],
      ['no creation time', { lastModified, createdOn: undefined }, { LastModified: '2024-05-01T12:00:00.12+00:00', CreatedOn: '2024-05-01T12:00:00.12+00:00' }],
      ['neither', { lastModified: undefined, createdOn: undefined }, { LastModified: '2024-05-02T09:30:00+00:00', CreatedOn: '2024-05-02T09:30:00+00:00' }],
    ])('%s', async (_case, properties, dates) => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date('2024-05-02T09:30:00Z'));
      const { host, blobHost, requests, storage, webhook } = setup();
      Object.assign(storage, properties);
      const outcome = await deliverBlobCreated(host, FN, { bucket: 'uploads', key: 'dir/a b.txt', body: 'hello', contentType: 'text/plain' }, { blobHost, post: webhook, systemKey: 'k' });
      expect(outcome).toEqual({ attempts: 1, outcome: 'acked' });
      const metadata = requests[0]!.triggerMetadata!;
      expect(metadata.Uri).toEqual({ json: JSON.stringify('http://127.0.0.1:10000/devstoreaccount1/uploads/dir/a%20b.txt') });
      expect(JSON.parse(metadata.Properties!.json!)).toEqual({ ...dates, Metadata: {}, BlobType: 0, ContentLength: 5, ContentType: 'text/plain', ETag: '"0x8DC0FFEE"' });
    });
  });

  it('poisons after the stimulus\'s maxAttempts instead of host.json\'s maxDequeueCount', async () => {
    const { host, blobHost, deadLetters, requests, webhook } = setup(async () => ({ ok: false, reason: 'boom' }));
    const outcome = await deliverBlobCreated(host, FN, { bucket: 'uploads', key: 'a.txt', body: 'x' }, { blobHost, post: webhook, systemKey: 'k', maxAttempts: 1 });
    expect(outcome).toEqual({ attempts: 1, outcome: 'dead-lettered' });
    expect(requests).toHaveLength(1);
    expect(deadLetters.map((d) => [d.functionName, d.place, d.attempts, d.reason])).toEqual([['onUpload', BLOB_POISON_QUEUE, 1, 'boom']]);
  });

  it('runs the trigger a second time when the stimulus draws a duplicate', async () => {
    const { host, blobHost, requests, storage, webhook } = setup();
    const outcome = await deliverBlobCreated(host, FN, { bucket: 'uploads', key: 'a.txt', body: 'x' }, { blobHost, post: webhook, systemKey: 'k', duplicate: () => true });
    expect(outcome).toEqual({ attempts: 1, outcome: 'acked', duplicates: 1 });
    expect(storage.queues.get(BLOB_TRIGGER_QUEUE)).toEqual([]);
    expect(requests.map((r) => r.triggerMetadata?.BlobTrigger)).toEqual([{ string: 'uploads/a.txt' }, { string: 'uploads/a.txt' }]);
  });

  it('fails the delivery when reading the blob fails otherwise, with a warning', async () => {
    const { host, blobHost, storage, warnings, webhook } = setup();
    const post: WebhookPost = async (...args) => {
      storage.getBlobError = new StorageRequestError('blob service answered 500', 500, 'InternalError');
      return webhook(...args);
    };
    await expect(deliverBlobCreated(host, FN, { bucket: 'uploads', key: 'a.txt', body: 'x' }, { blobHost, post, systemKey: 'k' })).rejects.toThrow('blob service answered 500');
    expect(warnings).toEqual([`queue listener of ${BLOB_TRIGGER_QUEUE}: blob service answered 500`]);
  });

  it('moves a message after maxDequeueCount failed runs to webjobs-blobtrigger-poison', async () => {
    const { host, blobHost, deadLetters, storage, webhook } = setup(async () => ({ ok: false, reason: 'boom' }));
    const outcome = await deliverBlobCreated(host, FN, { bucket: 'uploads', key: 'a.txt', body: 'x' }, { blobHost, post: webhook, systemKey: 'k' });
    expect(outcome).toEqual({ attempts: 2, outcome: 'dead-lettered' });
    expect(deadLetters).toMatchObject([{ functionName: 'onUpload', place: BLOB_POISON_QUEUE, id: 'uploads/a.txt', attempts: 2, reason: 'boom' }]);
    expect(triggerMessages({ queues: new Map([[BLOB_TRIGGER_QUEUE, storage.queues.get(BLOB_POISON_QUEUE)!]]) } as MemoryStorage)).toMatchObject([{ BlobName: 'a.txt' }]);
  });

  it('settles a delivery only with its own blob\'s message, not another whose container and name run together the same', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { host, blobHost, requests, storage, webhook } = setup(async () => (await gate, { ok: true }));
    // container "a", blob "bc.txt" (gone): skipped as handled when it is run
    const other = { Type: 'BlobTrigger', FunctionId: 'Host.Functions.onUpload', BlobType: 'BlockBlob', ContainerName: 'a', BlobName: 'bc.txt', ETag: storage.etag };
    await storage.putMessage(BLOB_TRIGGER_QUEUE, Buffer.from(JSON.stringify(other)).toString('base64'));
    let settled = false;
    const outcome = deliverBlobCreated(host, FN, { bucket: 'ab', key: 'c.txt', body: 'x' }, { blobHost, post: webhook, systemKey: 'k' });
    void outcome.then(() => (settled = true));
    await until(() => requests.length === 1 && storage.queues.get(BLOB_TRIGGER_QUEUE)!.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false); // the other blob's message was handled, but this delivery's trigger still runs
    open();
    expect(await outcome).toEqual({ attempts: 1, outcome: 'acked' });
  });

  it('poisons, under function "?", messages on the shared queue that are not BlobTriggerMessages', async () => {
    const { blobHost, deadLetters, storage } = setup();
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
    const full = { Type: 'BlobTrigger', FunctionId: 'Host.Functions.onUpload', BlobType: 'BlockBlob', ContainerName: 'uploads', BlobName: 'a.txt', ETag: '"1"' };
    const bad = [
      encode({ ...full, FunctionId: undefined }),
      encode({ ...full, ContainerName: undefined }),
      encode({ ...full, BlobName: undefined }),
      Buffer.from('not json').toString('base64'),
    ];
    const ids: string[] = [];
    for (const text of bad) ids.push((await storage.putMessage(BLOB_TRIGGER_QUEUE, text)).id);
    // The listener polls while a delivery is awaited; this one never comes.
    const waiting = blobHost.listener.track('nobody');
    await blobHost.listener.wake();
    await until(() => storage.queues.get(BLOB_TRIGGER_QUEUE)!.length === 0);
    blobHost.listener.stop();
    await expect(waiting).rejects.toThrow('stopped');
    expect(deadLetters.map((d) => [d.functionName, d.id, d.reason]).sort()).toEqual(ids.map((id) => ['?', id, 'invalid blob trigger message']).sort());
  });

  it('names a poisoned message by its FunctionId without a leading "Host.Functions.", and keeps other ids whole', async () => {
    const { blobHost, deadLetters, requests, storage } = setup();
    const message = (FunctionId: string, BlobName: string) =>
      Buffer.from(JSON.stringify({ Type: 'BlobTrigger', FunctionId, BlobType: 'BlockBlob', ContainerName: 'uploads', BlobName, ETag: '"1"' })).toString('base64');
    // Messages whose leases ran out maxDequeueCount (2) times already: the next dequeue poisons them without a run.
    // A WebJobs SDK function id is <namespace>.<class>.<method>, here namespace Contoso.Host, class Functions.
    for (const text of [message('Host.Functions.onUpload', 'a.txt'), message('Contoso.Host.Functions.ProcessBlob', 'b.txt')]) {
      await storage.putMessage(BLOB_TRIGGER_QUEUE, text);
      storage.queues.get(BLOB_TRIGGER_QUEUE)!.at(-1)!.dequeueCount = SETTINGS.maxDequeueCount;
    }
    const waiting = blobHost.listener.track('nobody');
    await blobHost.listener.wake();
    await until(() => storage.queues.get(BLOB_TRIGGER_QUEUE)!.length === 0);
    blobHost.listener.stop();
    await expect(waiting).rejects.toThrow('stopped');
    expect(requests).toEqual([]);
    expect(deadLetters.map((d) => [d.functionName, d.id, d.attempts, d.reason]).sort()).toEqual([
      ['Contoso.Host.Functions.ProcessBlob', 'uploads/b.txt', 3, 'dequeued more often than maxDequeueCount'],
      ['onUpload', 'uploads/a.txt', 3, 'dequeued more often than maxDequeueCount'],
    ]);
  });
});

describe('Event Grid push to the blobs webhook', () => {
  const deliverWith = (post: WebhookPost, eventGridTimeoutMs?: number) => {
    const { host, blobHost, deadLetters, requests } = setup();
    const calls: number[] = [];
    const counted: WebhookPost = async (...args) => (calls.push(calls.length + 1), post(...args));
    const outcome = deliverBlobCreated(host, FN, { bucket: 'uploads', key: 'a.txt', body: 'x' }, { blobHost, post: counted, systemKey: 'k', eventGridTimeoutMs });
    return { outcome, calls, deadLetters, requests };
  };

  it('retries a delivery the webhook did not accept until it does', async () => {
    const { host, blobHost, requests, webhook } = setup();
    let n = 0;
    const post: WebhookPost = async (...args) => (++n < 3 ? 503 : webhook(...args));
    expect(await deliverBlobCreated(host, FN, { bucket: 'uploads', key: 'a.txt', body: 'x' }, { blobHost, post, systemKey: 'k' })).toEqual({ attempts: 1, outcome: 'acked' });
    expect(n).toBe(3);
    expect(requests).toHaveLength(1);
  });

  it.each([400, 413])('dead-letters the event at once when the webhook answers %i', async (status) => {
    const { outcome, calls, deadLetters, requests } = deliverWith(async () => status);
    expect(await outcome).toEqual({ attempts: 0, outcome: 'dead-lettered' });
    expect(calls).toEqual([1]);
    expect(deadLetters).toMatchObject([{ functionName: 'onUpload', place: 'eventgrid-deadletter', attempts: 1, reason: `the endpoint answered ${status}` }]);
    expect(requests).toEqual([]);
  });

  it('dead-letters the event after Event Grid\'s 30 attempts that failed', async () => {
    const { outcome, calls, deadLetters } = deliverWith(async () => 500);
    expect(await outcome).toEqual({ attempts: 0, outcome: 'dead-lettered' });
    expect(calls).toHaveLength(EVENT_GRID_MAX_DELIVERY_ATTEMPTS);
    expect(deadLetters).toMatchObject([{ attempts: EVENT_GRID_MAX_DELIVERY_ATTEMPTS, reason: 'the endpoint answered 500' }]);
    expect(typeof deadLetters[0]!.id).toBe('string');
    expect(deadLetters[0]!.id).not.toBe('');
  });

  it('counts no answer within the timeout, and a connection error, as failed attempts, naming the last', async () => {
    const silent = deliverWith((_path, _headers, _body, signal) => new Promise<number>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))), 5);
    expect(await silent.outcome).toEqual({ attempts: 0, outcome: 'dead-lettered' });
    expect(silent.deadLetters).toMatchObject([{ attempts: EVENT_GRID_MAX_DELIVERY_ATTEMPTS, reason: 'no answer within 5 ms' }]);
    const refused = deliverWith(async () => {
      throw new Error('connect ECONNREFUSED');
    });
    expect(await refused.outcome).toEqual({ attempts: 0, outcome: 'dead-lettered' });
    expect(refused.deadLetters).toMatchObject([{ reason: 'connect ECONNREFUSED' }]);
  });
});

describe('blob deleted through Event Grid', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('deletes the blob and delivers BlobDeleted, naming the blob by its URL-encoded address, to the Event Grid function', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2024-05-01T12:00:00.120Z'));
    const deleted: RegisteredFunction = { functionId: 'del', name: 'onUpload-deleted', bindings: { event: { type: 'eventGridTrigger', direction: 'in' } } };
    const { host, requests, storage } = setup();
    await storage.putBlob('uploads', 'dir/a b.txt', new Uint8Array([1]), 'text/plain');
    expect(await deliverBlobDeleted(host, deleted, { bucket: 'uploads', key: 'dir/a b.txt', contentType: 'text/plain' }, 1)).toEqual({ attempts: 1, outcome: 'acked' });
    expect([...storage.blobs.keys()]).toEqual([]);
    expect(requests.map((r) => r.functionId)).toEqual(['del']);
    const uuid = expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    // https://learn.microsoft.com/azure/event-grid/event-schema-blob-storage (Microsoft.Storage.BlobDeleted).
    expect(JSON.parse(requests[0]!.inputData![0]!.data!.string!)).toEqual({
      topic: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/faasport/providers/Microsoft.Storage/storageAccounts/devstoreaccount1',
      subject: '/blobServices/default/containers/uploads/blobs/dir/a b.txt',
      eventType: 'Microsoft.Storage.BlobDeleted',
      id: uuid,
      data: {
        api: 'DeleteBlob',
        requestId: uuid,
        contentType: 'text/plain',
        blobType: 'BlockBlob',
        url: 'http://127.0.0.1:10000/devstoreaccount1/uploads/dir/a%20b.txt',
        sequencer: '00000000000000000000018f34069e78',
        storageDiagnostics: { batchId: uuid },
      },
      dataVersion: '',
      metadataVersion: '1',
      eventTime: '2024-05-01T12:00:00.12Z',
    });
  });
});
