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

  it('names the missing package.json main', () => {
    expect(() => toAppConfig('/app', {}, {}, undefined)).toThrow(/needs a "main"/);
  });
});
