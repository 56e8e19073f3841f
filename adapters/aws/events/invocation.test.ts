import { afterEach, describe, expect, it, vi } from 'vitest';
import { adapterLog } from './invocation.js';

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
