import type { SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { queue } from '../../../core/define.js';
import { adapterLog, invocation, runSqsBatch } from './invocation.js';
import { lambdaContext } from './test-helpers.js';

afterEach(() => vi.restoreAllMocks());

describe('adapterLog', () => {
  const inv = { functionName: 'orders-fn', invocationId: 'req-1', deadline: undefined };
  const lines = () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    return () => spy.mock.calls.map((args) => JSON.parse(String(args[0])) as Record<string, unknown>);
  };

  it('writes the function, invocation id and provider "aws" on every line', () => {
    const read = lines();
    adapterLog(inv).warn('skipped');
    expect(read()).toEqual([expect.objectContaining({ level: 'warn', message: 'skipped', function: 'orders-fn', invocationId: 'req-1', provider: 'aws' })]);
  });

  it('adds the given fields to them', () => {
    const read = lines();
    adapterLog(inv, { messageId: 'm-1' }).error('failed');
    expect(read()).toEqual([
      expect.objectContaining({ level: 'error', message: 'failed', function: 'orders-fn', invocationId: 'req-1', provider: 'aws', messageId: 'm-1' }),
    ]);
  });
});

describe('runSqsBatch', () => {
  // Lambda never invokes with an empty batch, and the handlers refuse one before calling runSqsBatch
  // ("got an event with no Records"); runSqsBatch itself answers it without looking for a first record.
  it('answers an empty batch with no failures, reading nothing', async () => {
    const read = vi.fn();
    const fn = queue({ queue: 'q' }, () => {});
    const empty: SQSEvent = { Records: [] };
    expect(await runSqsBatch(fn, invocation(empty, lambdaContext(), 'q'), read)).toStrictEqual({ batchItemFailures: [] });
    expect(read).not.toHaveBeenCalled();
  });
});
