import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { event } from '../../core/define.js';
import { BadEventError } from '../../core/errors.js';
import type { CloudEvent, Context } from '../../core/types.js';
import { cloudEventHandler, isRecord, type Conversion } from './cloudevent.js';
import type { GcpCloudEvent } from './types.js';

// The storage sample CloudEvent the framework's own conformance tests send (see fixtures/SOURCES.md).
const storageEvent = JSON.parse(readFileSync(new URL('./fixtures/storage-cloudevent-input.json', import.meta.url), 'utf8')) as GcpCloudEvent;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let logs: string[] = [];
let errors: string[] = [];
beforeEach(() => {
  logs = [];
  errors = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logs.push(args.map(String).join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.map(String).join(' ')));
});
afterEach(() => {
  vi.restoreAllMocks();
});

const passThrough = (cloudEvent: GcpCloudEvent): Conversion<CloudEvent> => ({ input: cloudEvent as unknown as CloudEvent });

function recorder() {
  const calls: Context[] = [];
  const fn = event({ type: 'google.cloud.storage.object.v1.finalized' }, (_input, ctx) => void calls.push(ctx));
  return { fn, calls };
}

describe('isRecord', () => {
  it('is true for plain objects only', () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord(null)).toBe(false);
    expect(isRecord([])).toBe(false);
    expect(isRecord('{}')).toBe(false);
    expect(isRecord(undefined)).toBe(false);
  });
});

describe('cloudEventHandler', () => {
  it("names the function by options.name and the invocation by the event's id", async () => {
    const { fn, calls } = recorder();
    await cloudEventHandler(fn, { name: 'my-fn' }, passThrough)(storageEvent);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.functionName).toBe('my-fn');
    expect(calls[0]!.invocationId).toBe(storageEvent.id);
  });

  it('makes a fresh invocation id when the event id is empty or not a string', async () => {
    const { fn, calls } = recorder();
    const handler = cloudEventHandler(fn, { name: 'my-fn' }, passThrough);
    await handler({ ...storageEvent, id: '' });
    await handler({ ...storageEvent, id: 42 as never });
    expect(calls.map((ctx) => UUID.test(ctx.invocationId))).toEqual([true, true]);
  });

  it('rejects something that is not an object with BadEventError and logs it with the function name', async () => {
    const { fn, calls } = recorder();
    const handler = cloudEventHandler(fn, { name: 'my-fn' }, passThrough);
    await expect(handler(null as never)).rejects.toThrow(new BadEventError('faasport: the framework handed over no CloudEvent object'));
    expect(calls).toHaveLength(0);
    expect(errors).toHaveLength(1);
    const entry = JSON.parse(errors[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({
      severity: 'ERROR',
      message: 'faasport: malformed CloudEvent; answered 500 so the platform retries it rather than drop it',
      reason: 'faasport: the framework handed over no CloudEvent object',
      function: 'my-fn',
    });
    expect(entry.invocationId).toMatch(UUID);
  });

  it('lets an error of the converter that is not BadEventError through without logging it', async () => {
    const { fn } = recorder();
    const bug = new TypeError('converter bug');
    const handler = cloudEventHandler(fn, { name: 'my-fn' }, () => {
      throw bug;
    });
    await expect(handler(storageEvent)).rejects.toBe(bug);
    expect(errors).toEqual([]);
    expect(logs).toEqual([]);
  });

  it('acknowledges a skipped event with a debug line naming the reason and its fields', async () => {
    const { fn, calls } = recorder();
    await cloudEventHandler(fn, { name: 'my-fn' }, () => ({ skip: 'not a finalize', fields: { type: 'x' } }))(storageEvent);
    expect(calls).toHaveLength(0);
    expect(logs.map((line) => JSON.parse(line) as unknown)).toEqual([
      {
        severity: 'DEBUG',
        message: 'faasport: acknowledged without running the handler: not a finalize',
        type: 'x',
        function: 'my-fn',
        invocationId: storageEvent.id,
        'logging.googleapis.com/labels': { execution_id: storageEvent.id },
      },
    ]);
  });

  it("rejects with DeliveryFailedError naming the kind and invocation, caused by the handler's error", async () => {
    const failure = new Error('handler failed');
    const fn = event({ type: 'google.cloud.storage.object.v1.finalized' }, () => {
      throw failure;
    });
    const rejection = cloudEventHandler(fn, { name: 'my-fn' }, passThrough)(storageEvent);
    await expect(rejection).rejects.toThrow(
      `faasport: the event handler failed on CloudEvent ${storageEvent.id}; answering 500 so that it is redelivered`,
    );
    await expect(rejection).rejects.toMatchObject({ name: 'DeliveryFailedError', cause: failure });
  });
});
