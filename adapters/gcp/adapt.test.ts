import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { event, schedule, storage } from '../../core/define.js';
import type { CloudEvent, ScheduleEvent, StorageEvent } from '../../core/types.js';
import { adapt } from './adapt.js';
import type { GcpCloudEvent } from './types.js';

// Samples from the functions-framework conformance tests (see fixtures/SOURCES.md).
const fixture = (name: string): GcpCloudEvent => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as GcpCloudEvent;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('adapt() per kind', () => {
  it('serves a storage function the StorageEvent of a storage CloudEvent', async () => {
    const seen: StorageEvent[] = [];
    await adapt(storage({ bucket: 'some-bucket' }, (input) => void seen.push(input)))(fixture('storage-cloudevent-input'));
    expect(seen.map((input) => [input.type, input.bucket, input.key])).toEqual([['created', 'some-bucket', 'folder/Test.cs']]);
  });

  it('serves a schedule function the publish time of a messagePublished CloudEvent', async () => {
    const seen: ScheduleEvent[] = [];
    await adapt(schedule({ cron: '0 3 * * *' }, (input) => void seen.push(input)))(fixture('pubsub_text-cloudevent-input'));
    expect(seen.map((input) => input.scheduledTime.toISOString())).toEqual(['2020-09-29T11:32:00.123Z']);
  });

  it('serves an event function the CloudEvent as it came', async () => {
    const seen: CloudEvent[] = [];
    const sample = fixture('storage-cloudevent-input');
    await adapt(event({ type: 'google.cloud.storage.object.v1.finalized' }, (input) => void seen.push(input)))(sample);
    expect(seen).toEqual([sample]);
  });

  it('acknowledges a CloudEvent the event function does not take, with a debug line naming its type and source', async () => {
    const logs: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void logs.push(line));
    const seen: CloudEvent[] = [];
    const sample = fixture('storage-cloudevent-input');
    await adapt(event({ type: 'com.example.other' }, (input) => void seen.push(input)), { name: 'e-other' })(sample);
    expect(seen).toEqual([]);
    expect(logs.map((line) => JSON.parse(line) as unknown)).toEqual([
      {
        severity: 'DEBUG',
        message: `faasport: acknowledged without running the handler: the function does not take CloudEvents of type "${sample.type}" from "${sample.source}"`,
        type: sample.type,
        source: sample.source,
        function: 'e-other',
        invocationId: sample.id,
        'logging.googleapis.com/labels': { execution_id: sample.id },
      },
    ]);
  });

  it('refuses an unknown kind, naming it and the function', () => {
    const fn = { kind: 'cron', handler: () => undefined, options: {} };
    expect(() => adapt(fn as never, { name: 'nightly' })).toThrow(new TypeError('faasport/gcp: unknown function kind "cron" (function "nightly")'));
    expect(() => adapt(fn as never)).toThrow(new TypeError('faasport/gcp: unknown function kind "cron"'));
  });
});
