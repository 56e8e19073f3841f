import { describe, expect, it } from 'vitest';
import { storage } from '../../../core/define.js';
import { DeliveryFailedError } from '../../../core/events.js';
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
