import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { storage } from '../../core/define.js';
import { BadEventError } from '../../core/errors.js';
import type { StorageEvent } from '../../core/types.js';
import { adaptStorage, toStorageEvent } from './storage.js';
import type { GcpCloudEvent } from './types.js';

// The storage sample CloudEvent the framework's own conformance tests send (see fixtures/SOURCES.md).
const sample = JSON.parse(readFileSync(new URL('./fixtures/storage-cloudevent-input.json', import.meta.url), 'utf8')) as GcpCloudEvent & {
  data: Record<string, unknown>;
};
const TYPE = 'google.cloud.storage.object.v1.finalized';

const withData = (data: Record<string, unknown>, attributes: Record<string, unknown> = {}): GcpCloudEvent =>
  ({ ...sample, ...attributes, data: { ...sample.data, ...data } }) as GcpCloudEvent;
const inputOf = (cloudEvent: GcpCloudEvent): StorageEvent => {
  const conversion = toStorageEvent(cloudEvent);
  if (!('input' in conversion)) throw new Error(`skipped: ${conversion.skip}`);
  return conversion.input;
};
const sizeOf = (size: unknown) => inputOf(withData({ size })).size;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('toStorageEvent', () => {
  it('maps the sample finalized event with exactly the fields it has', () => {
    expect(inputOf(sample)).toStrictEqual({
      type: 'created',
      bucket: 'some-bucket',
      key: 'folder/Test.cs',
      time: new Date('2020-09-29T11:32:00.123Z'),
      size: 352,
      etag: 'CNHZkbuF/ugCEAE=',
      contentType: 'text/plain',
    });
  });

  it('leaves out size, etag and contentType when the metadata lacks them', () => {
    const input = inputOf(withData({ size: undefined, etag: undefined, contentType: undefined }));
    expect(Object.keys(input)).toEqual(['type', 'bucket', 'key', 'time']);
  });

  it('reads the size from an int64 decimal string or a non-negative safe integer, and nothing else', () => {
    expect(sizeOf('352')).toBe(352);
    expect(sizeOf(0)).toBe(0);
    expect(sizeOf(352)).toBe(352);
    expect(sizeOf(-1)).toBeUndefined();
    expect(sizeOf(1.5)).toBeUndefined();
    expect(sizeOf(2 ** 53)).toBeUndefined();
    expect(sizeOf('-5')).toBeUndefined();
    expect(sizeOf('5x')).toBeUndefined();
    expect(sizeOf('abc')).toBeUndefined();
  });

  it('takes the bucket from data.bucket, else from the source "//storage.googleapis.com/projects/<p>/buckets/<b>"', () => {
    const source = '//storage.googleapis.com/projects/my-project/buckets/source-bucket';
    expect(inputOf(withData({ bucket: 'data-bucket' }, { source })).bucket).toBe('data-bucket');
    expect(inputOf(withData({ bucket: '' }, { source })).bucket).toBe('source-bucket');
    expect(inputOf(withData({ bucket: undefined }, { source })).bucket).toBe('source-bucket');
  });

  it('rejects an event whose bucket neither data.bucket nor the source names', () => {
    const noBucket = new BadEventError(`faasport: the ${TYPE} CloudEvent names no bucket (neither data.bucket nor its source)`);
    for (const source of [
      'x//storage.googleapis.com/projects/p/buckets/b',
      '//storage.googleapis.com/projects/p/buckets/b/extra',
      '//example.com/b',
      42,
    ]) {
      expect(() => toStorageEvent(withData({ bucket: undefined }, { source }))).toThrow(noBucket);
    }
  });

  it('rejects a type that is not a storage object event, naming the two it takes', () => {
    expect(() => toStorageEvent({ ...sample, type: 'google.cloud.storage.object.v1.created' } as GcpCloudEvent)).toThrow(
      new BadEventError(
        'faasport: expected a Cloud Storage CloudEvent (google.cloud.storage.object.v1.finalized or google.cloud.storage.object.v1.deleted), got type the string "google.cloud.storage.object.v1.created"',
      ),
    );
  });

  it('rejects data that is not object metadata, or that has no object name', () => {
    expect(() => toStorageEvent({ ...sample, data: 'folder/Test.cs' } as GcpCloudEvent)).toThrow(
      new BadEventError(`faasport: the ${TYPE} CloudEvent has no object metadata in its data`),
    );
    expect(() => toStorageEvent(withData({ name: '' }))).toThrow(new BadEventError(`faasport: the ${TYPE} CloudEvent's data has no object "name"`));
  });

  it('rejects an event with no valid time anywhere', () => {
    expect(() => toStorageEvent(withData({ updated: undefined, timeCreated: 'soon' }, { time: undefined }))).toThrow(
      new BadEventError(`faasport: the ${TYPE} CloudEvent has no valid time (nor data.updated/timeCreated)`),
    );
  });

  it('skips an archived event, keeping its subject for the debug line', () => {
    const type = 'google.cloud.storage.object.v1.archived';
    expect(toStorageEvent({ ...sample, type } as GcpCloudEvent)).toEqual({
      skip: `a ${type} event is neither created nor deleted`,
      fields: { subject: 'objects/folder/Test.cs' },
    });
  });
});

describe('adaptStorage', () => {
  it('acknowledges an event type the function did not ask for with a debug line naming it and the key', async () => {
    const logs: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void logs.push(line));
    const handled: StorageEvent[] = [];
    const fn = storage({ bucket: 'some-bucket', events: ['created'] }, (event) => void handled.push(event));
    await adaptStorage(fn, { name: 's-created-only' })({ ...sample, type: 'google.cloud.storage.object.v1.deleted' } as GcpCloudEvent);
    expect(handled).toEqual([]);
    expect(logs.map((line) => JSON.parse(line) as unknown)).toEqual([
      {
        severity: 'DEBUG',
        message: 'faasport: acknowledged without running the handler: the function does not take "deleted" events',
        key: 'folder/Test.cs',
        function: 's-created-only',
        invocationId: sample.id,
        'logging.googleapis.com/labels': { execution_id: sample.id },
      },
    ]);
  });
});
