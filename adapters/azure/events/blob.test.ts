import { describe, expect, it } from 'vitest';
import { storage } from '../../../core/define.js';
import { DeliveryFailedError } from '../../../core/events.js';
import { BadEventError } from '../../../core/errors.js';
import type { StorageEvent } from '../../../core/types.js';
import { adapt } from '../adapt.js';
import { blobDeletedHandler, toBlobDeletedEvent } from './blob-deleted.js';
import { toBlobCreatedEvent } from './blob.js';
import { toCloudEvent } from './event-grid.js';
import { invocationContext, libraryParsedString } from './test-helpers.js';

const key = 'in box/ü+1 (copy).txt';
/** Blob trigger metadata as the library hands it: BlobTrigger, Uri, Properties (BlobProperties), Metadata, name. */
const metadata = {
  blobTrigger: `uploads/${key}`,
  uri: 'https://acct.blob.core.windows.net/uploads/in%20box/%C3%BC%2B1%20(copy).txt',
  properties: {
    contentLength: 13,
    contentType: 'text/plain',
    eTag: '"0x8DC6A1B2C3D4E5F"',
    lastModified: '2024-05-01T12:00:00+00:00',
    createdOn: '2024-05-01T11:59:59+00:00',
    blobType: 'Block',
  },
  metadata: {},
  name: key,
};

/** Microsoft.Storage.BlobDeleted in Event Grid schema (azure docs sample shape). */
const deleted = {
  topic: '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct',
  subject: `/blobServices/default/containers/uploads/blobs/${key}`,
  eventType: 'Microsoft.Storage.BlobDeleted',
  eventTime: '2024-05-01T12:30:00.5674003Z',
  id: '831e1650-001e-001b-66ab-eeb76e069631',
  data: {
    api: 'DeleteBlob',
    requestId: '831e1650-001e-001b-66ab-eeb76e000000',
    contentType: 'text/plain',
    blobType: 'BlockBlob',
    url: 'https://acct.blob.core.windows.net/uploads/in%20box/%C3%BC%2B1%20(copy).txt',
    sequencer: '0000000000000281000000000002F5CA',
  },
  dataVersion: '',
  metadataVersion: '1',
};

describe('Blob trigger -> StorageEvent created', () => {
  it('takes container and key from BlobTrigger, size, etag, content type and time from Properties', () => {
    expect(toBlobCreatedEvent(Buffer.from('hello storage'), metadata, 'uploads', new Date(0))).toEqual({
      type: 'created',
      bucket: 'uploads',
      key,
      size: 13,
      etag: '"0x8DC6A1B2C3D4E5F"',
      contentType: 'text/plain',
      time: new Date('2024-05-01T12:00:00Z'),
    });
  });

  it('a BlobTrigger without a container part is refused naming the metadata field (issue 10, found by events.fuzz.test.ts)', () => {
    expect(() => toBlobCreatedEvent(undefined, { ...metadata, blobTrigger: 'no-slash' }, 'uploads', new Date())).toThrow(
      'faasport/azure: the blob trigger path (metadata "blobTrigger") "no-slash" has no container part',
    );
  });

  it('a BlobDeleted event whose subject is a BigInt and with no data.url is refused in faasport\'s words (JSON.stringify threw)', () => {
    const event = { ...toCloudEvent(deleted), subject: 10n, data: {} } as never;
    expect(() => toBlobDeletedEvent(event, new Date())).toThrow(/names no blob \(subject is the bigint 10, no data\.url\)/);
  });

  it('keeps a number-like key that the library parsed in "name" (BlobTrigger always has a "/")', () => {
    const event = toBlobCreatedEvent(Buffer.from('x'), { blobTrigger: 'uploads/123', name: libraryParsedString('123') }, 'uploads', new Date(5));
    expect([event.key, event.size, event.time]).toEqual(['123', 1, new Date(5)]);
  });

  it('fails the invocation when the handler throws (the host retries, then writes a poison message)', async () => {
    const fn = storage({ bucket: 'uploads' }, () => {
      throw new Error('x');
    });
    await expect(adapt(fn)(Buffer.from('x') as never, invocationContext(metadata).context)).rejects.toBeInstanceOf(DeliveryFailedError);
  });
});

describe('Event Grid BlobDeleted -> StorageEvent deleted', () => {
  it('reads container and key (as stored) from the subject', () => {
    expect(toBlobDeletedEvent(toCloudEvent(deleted), new Date(0))).toEqual({
      type: 'deleted',
      bucket: 'uploads',
      key,
      contentType: 'text/plain',
      time: new Date('2024-05-01T12:30:00.567Z'),
    });
  });

  it('falls back to the decoded data.url, path-style emulator URLs included', () => {
    const { subject: _, ...noSubject } = deleted;
    expect(toBlobDeletedEvent(toCloudEvent(noSubject), new Date(0))).toMatchObject({ bucket: 'uploads', key });
    const emulator = { ...noSubject, data: { ...deleted.data, url: 'http://127.0.0.1:10000/devstoreaccount1/uploads/a%2Bb%20c.txt' } };
    expect(toBlobDeletedEvent(toCloudEvent(emulator), new Date(0))).toMatchObject({ bucket: 'uploads', key: 'a+b c.txt' });
  });

  it('reads the CloudEvents schema of the same event', () => {
    const ce = { specversion: '1.0', id: 'x', source: deleted.topic, type: deleted.eventType, subject: deleted.subject, time: deleted.eventTime, data: deleted.data };
    expect(toBlobDeletedEvent(toCloudEvent(ce), new Date(0))).toMatchObject({ type: 'deleted', bucket: 'uploads', key });
  });

  it('runs the handler for deletes in its container and skips other events', async () => {
    const seen: StorageEvent[] = [];
    const fn = storage({ bucket: 'uploads', events: ['deleted'] }, (obj) => void seen.push(obj));
    const handler = blobDeletedHandler(fn);
    await handler(deleted, invocationContext().context);
    await handler({ ...deleted, eventType: 'Microsoft.Storage.BlobCreated' }, invocationContext().context);
    await handler({ ...deleted, subject: '/blobServices/default/containers/other/blobs/x' }, invocationContext().context);
    expect(seen.map((e) => [e.type, e.bucket, e.key])).toEqual([['deleted', 'uploads', key]]);
  });
});

describe('Blob trigger metadata edge cases', () => {
  it('a BlobTrigger starting with "/" has an empty container and is refused', () => {
    expect(() => toBlobCreatedEvent(undefined, { blobTrigger: '/x' }, 'uploads', new Date(0))).toThrow(
      new BadEventError('faasport/azure: the blob trigger path (metadata "blobTrigger") "/x" has no container part'),
    );
  });

  it('an empty key, or neither BlobTrigger nor name, is refused', () => {
    const message = 'faasport/azure: the blob trigger metadata has neither "BlobTrigger" nor "name"';
    expect(() => toBlobCreatedEvent(undefined, { blobTrigger: 'uploads/' }, 'uploads', new Date(0))).toThrow(new BadEventError(message));
    expect(() => toBlobCreatedEvent(undefined, {}, 'uploads', new Date(0))).toThrow(new BadEventError(message));
  });

  it('takes the container from BlobTrigger, not the configured one; the configured one only with "name"', () => {
    expect(toBlobCreatedEvent(undefined, { blobTrigger: 'other/x' }, 'uploads', new Date(0)).bucket).toBe('other');
    expect(toBlobCreatedEvent(undefined, { name: 'x' }, 'uploads', new Date(0)).bucket).toBe('uploads');
  });

  it('takes the size from "length" when there is no "contentLength"', () => {
    expect(toBlobCreatedEvent(undefined, { blobTrigger: 'uploads/x', properties: { length: 7 } }, 'uploads', new Date(0)).size).toBe(7);
  });

  it('leaves out size, etag and content type it does not have, or that are empty', () => {
    const bare = { type: 'created', bucket: 'uploads', key: 'x', time: new Date(0) };
    expect(toBlobCreatedEvent(undefined, { blobTrigger: 'uploads/x' }, 'uploads', new Date(0))).toStrictEqual(bare);
    expect(toBlobCreatedEvent(undefined, { blobTrigger: 'uploads/x', properties: { eTag: '', contentType: '' } }, 'uploads', new Date(0))).toStrictEqual(bare);
  });

  it('hands the handler the trigger and context as native, and a failure names the blob', async () => {
    let native: unknown;
    const trigger = Buffer.from('x');
    const { context } = invocationContext(metadata);
    await adapt(storage({ bucket: 'uploads' }, (_obj, ctx) => void (native = ctx.native)))(trigger as never, context);
    expect(native).toEqual({ trigger, context });
    const failing = storage({ bucket: 'uploads' }, () => {
      throw new Error('x');
    });
    await expect(adapt(failing)(trigger as never, invocationContext(metadata).context)).rejects.toThrow(`faasport/azure: the storage handler of "azureName" failed on blob uploads/${key}`);
  });
});

describe('BlobDeleted edge cases', () => {
  const at = (data: Record<string, unknown>, subject?: unknown) =>
    ({ specversion: '1.0', id: 'd-1', source: '/s', type: 'Microsoft.Storage.BlobDeleted', subject, data }) as never;

  it('reads a key longer than one character from the subject alone, and no contentType key without one', () => {
    expect(toBlobDeletedEvent(at({}, '/blobServices/default/containers/uploads/blobs/ab/c'), new Date(0))).toStrictEqual({
      type: 'deleted', bucket: 'uploads', key: 'ab/c', time: new Date(0),
    });
  });

  it('a subject with something before /blobServices is no subject match: data.url decides', () => {
    const event = at({ url: 'https://acct.blob.core.windows.net/fromurl/k' }, 'x/blobServices/default/containers/uploads/blobs/k');
    expect(toBlobDeletedEvent(event, new Date(0))).toMatchObject({ bucket: 'fromurl', key: 'k' });
  });

  it('a subject that is no string is not read, even if its text would match', () => {
    const subject = { toString: () => '/blobServices/default/containers/uploads/blobs/k' };
    expect(() => toBlobDeletedEvent(at({}, subject), new Date(0))).toThrow(new BadEventError('faasport/azure: BlobDeleted event d-1 names no blob (subject is an object, no data.url)'));
  });

  it('a data.url with no key, no container, or bad percent-encoding names no blob', () => {
    for (const url of ['https://acct.blob.core.windows.net/uploads', 'https://acct.blob.core.windows.net/', 'https://acct.blob.core.windows.net/uploads/%E0%A4%A']) {
      expect(() => toBlobDeletedEvent(at({ url }), new Date(0))).toThrow(new BadEventError('faasport/azure: BlobDeleted event d-1 names no blob (subject is missing, no data.url)'));
    }
  });

  it('logs the skipped event id, type and subject at debug level', async () => {
    const handler = blobDeletedHandler(storage({ bucket: 'uploads', events: ['deleted'] }, () => undefined));
    const { context, logs } = invocationContext();
    await handler({ ...deleted, eventType: 'Microsoft.Storage.BlobCreated' }, context);
    expect(logs).toEqual([
      { level: 'debug', args: ['faasport/azure: skipped an Event Grid event that is not a delete in this container', { id: deleted.id, type: 'Microsoft.Storage.BlobCreated', subject: deleted.subject }] },
    ]);
  });

  it('hands the handler the trigger and context as native, and a failure names the blob', async () => {
    let native: unknown;
    const { context } = invocationContext();
    await blobDeletedHandler(storage({ bucket: 'uploads', events: ['deleted'] }, (_obj, ctx) => void (native = ctx.native)))(deleted, context);
    expect(native).toEqual({ trigger: deleted, context });
    const failing = blobDeletedHandler(storage({ bucket: 'uploads', events: ['deleted'] }, () => {
      throw new Error('x');
    }));
    await expect(failing(deleted, invocationContext().context)).rejects.toThrow(`faasport/azure: the storage handler of "azureName" failed on blob uploads/${key}`);
  });
});
