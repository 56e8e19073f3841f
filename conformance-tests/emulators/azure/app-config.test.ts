import { describe, expect, it } from 'vitest';
import { DEFAULT_FUNCTION_TIMEOUT_MS, parseTimeSpan, toAppConfig } from './app-config.js';

describe('host.json and friends', () => {
  it.each([
    ['00:05:00', 300_000],
    ['00:00:01.5', 1500],
    ['1.02:00:00', 26 * 3_600_000],
    ['-1', Number.POSITIVE_INFINITY],
  ])('reads functionTimeout %s', (text, ms) => {
    expect(parseTimeSpan(text)).toBe(ms);
  });

  it('rejects a functionTimeout that is not a TimeSpan', () => {
    expect(() => parseTimeSpan('5 minutes')).toThrow(/not a TimeSpan/);
  });

  it('takes main, routePrefix, timeout and Values, with the host defaults', () => {
    const config = toAppConfig('/app', { version: '2.0' }, { main: 'index.mjs' }, { Values: { A: '1', N: 2 } });
    expect(config).toEqual({
      dir: '/app',
      entry: '/app/index.mjs',
      functionTimeoutMs: DEFAULT_FUNCTION_TIMEOUT_MS,
      routePrefix: 'api',
      settings: { A: '1' },
      queueMaxDequeueCount: 5,
      queues: { batchSize: 16, newBatchThreshold: 8, visibilityTimeoutMs: 0, maxDequeueCount: 5 },
      manifest: undefined,
    });
    expect(toAppConfig('/app', { extensions: { http: { routePrefix: '' } } }, { main: 'x.js' }, undefined).routePrefix).toBe('');
  });

  it('reads the queue poison threshold from host.json and the functions from faasport.json', () => {
    const config = toAppConfig('/app', { extensions: { queues: { maxDequeueCount: 3 } } }, { main: 'index.mjs' }, undefined, {
      provider: 'azure',
      functions: [{ name: 'onOrder', kind: 'queue', options: { queue: 'orders', maxAttempts: 3 } }],
    });
    expect(config.queueMaxDequeueCount).toBe(3);
    expect(config.manifest).toEqual([{ name: 'onOrder', kind: 'queue', options: { queue: 'orders', maxAttempts: 3 } }]);
    expect(() => toAppConfig('/app', { extensions: { queues: { maxDequeueCount: 0 } } }, { main: 'x' }, undefined)).toThrow(/maxDequeueCount/);
    expect(() => toAppConfig('/app', {}, { main: 'x' }, undefined, { functions: [{ kind: 'queue' }] })).toThrow(/"name"/);
  });

  it('falls back to the Flex Consumption default functionTimeout of 30 minutes', () => {
    expect(DEFAULT_FUNCTION_TIMEOUT_MS).toBe(30 * 60_000);
  });

  it('reads the queue listener settings, newBatchThreshold defaulting to half the batch size', () => {
    const read = (queues: Record<string, unknown>) => toAppConfig('/app', { extensions: { queues } }, { main: 'x' }, undefined).queues;
    expect(read({ batchSize: 5 })).toEqual({ batchSize: 5, newBatchThreshold: 2, visibilityTimeoutMs: 0, maxDequeueCount: 5 });
    expect(read({ batchSize: 4, newBatchThreshold: 0, visibilityTimeout: '00:00:02', maxDequeueCount: 2 })).toEqual({
      batchSize: 4,
      newBatchThreshold: 0,
      visibilityTimeoutMs: 2000,
      maxDequeueCount: 2,
    });
    expect(() => read({ batchSize: 33 })).toThrow(/batchSize must be an integer from 1 to 32/);
    expect(() => read({ visibilityTimeout: 30 })).toThrow(/visibilityTimeout/);
  });

  it('names the missing package.json main', () => {
    expect(() => toAppConfig('/app', {}, {}, undefined)).toThrow(/needs a "main"/);
  });
});
