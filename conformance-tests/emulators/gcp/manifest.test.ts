import { describe, expect, it } from 'vitest';
import { isEventFunction, isHttpFunction, parseManifest } from './manifest.js';

const entry = (over: Record<string, unknown> = {}) => ({
  name: 'getItem',
  kind: 'http',
  options: { route: '/items/:id', methods: ['GET'] },
  export: 'getItem',
  source: 'src/api.ts',
  entry: 'index.mjs',
  ...over,
});

describe('parseManifest', () => {
  it('reads http functions with route and declared methods', () => {
    const { functions } = parseManifest({ provider: 'gcp', functions: [entry(), entry({ name: 'any', options: { route: '/*' } })] });
    expect(functions.filter(isHttpFunction).map((f) => [f.name, f.route, f.methods])).toEqual([
      ['getItem', '/items/:id', ['GET']],
      ['any', '/*', undefined],
    ]);
  });

  it('rejects another provider output, duplicate names, names GCP refuses and bad methods', () => {
    expect(() => parseManifest({ provider: 'aws', functions: [] })).toThrow(/needs an output built with --provider gcp/);
    expect(() => parseManifest({ functions: [entry(), entry()] })).toThrow(/"getItem" appears twice/);
    expect(() => parseManifest({ functions: [entry({ name: '1bad' })] })).toThrow(/is not a GCP function name/);
    expect(() => parseManifest({ functions: [entry({ options: { route: '/x', methods: ['FETCH'] } })] })).toThrow(
      /options\.methods must list/,
    );
    expect(() => parseManifest({ functions: [entry({ options: { route: 'x' } })] })).toThrow(/route must be a path/);
  });

  it('reads event functions with their source and maxAttempts, and names a missing source', () => {
    const { functions } = parseManifest({
      functions: [
        entry({ name: 'onOrder', kind: 'queue', options: { queue: 'orders', maxAttempts: 3 } }),
        entry({ name: 'onUpload', kind: 'storage', options: { bucket: 'uploads' } }),
        entry({ name: 'nightly', kind: 'schedule', options: { cron: '0 3 * * *' } }),
      ],
    });
    expect(functions.filter(isEventFunction).map((f) => [f.name, f.kind, f.source, f.maxAttempts])).toEqual([
      ['onOrder', 'queue', 'orders', 3],
      ['onUpload', 'storage', 'uploads', undefined],
      ['nightly', 'schedule', undefined, undefined],
    ]);
    expect(() => parseManifest({ functions: [entry({ kind: 'topic', options: {} })] })).toThrow(/options\.topic must name the topic/);
    expect(() => parseManifest({ functions: [entry({ kind: 'queue', options: { queue: 'q', maxAttempts: 0 } })] })).toThrow(
      /maxAttempts must be a positive integer/,
    );
  });

  it('reads the deployed settings: the timeout (60 s without one) and maxAttempts, which win over the options', () => {
    const { functions } = parseManifest({
      functions: [
        entry({ name: 'onOrder', kind: 'queue', options: { queue: 'orders', maxAttempts: 3 }, settings: { timeout: 120, memory: 256, maxAttempts: 5 } }),
        entry({ name: 'old', kind: 'topic', options: { topic: 't', maxAttempts: 3 } }),
        entry({ settings: { timeout: 2 } }),
      ],
    });
    expect(functions.map((f) => [f.name, f.timeoutSeconds, isEventFunction(f) ? f.maxAttempts : '-'])).toEqual([
      ['onOrder', 120, 5],
      ['old', 60, 3],
      ['getItem', 2, '-'],
    ]);
    expect(() => parseManifest({ functions: [entry({ settings: { timeout: 0 } })] })).toThrow(/settings\.timeout must be a positive number of seconds/);
    const [withEnv] = parseManifest({ functions: [entry({ settings: { environment: { MODE: 'live', API_KEY: { secret: 'api-key' } } } })] }).functions;
    expect([withEnv!.environment, withEnv!.secretNames]).toEqual([{ MODE: 'live' }, ['API_KEY']]);
    expect(() => parseManifest({ functions: [entry({ settings: { environment: { N: 1 } } })] })).toThrow(/environment\.N must be a string or \{ secret \}/);
    expect(() => parseManifest({ functions: [entry({ settings: [] })] })).toThrow(/settings must be an object/);
    expect(() => parseManifest({ functions: [entry({ settings: { timeout: 3601 } })] })).toThrow(/timeout is 3601 s; Cloud Run functions allows at most 3600 s for HTTP/);
    expect(() => parseManifest({ functions: [entry({ kind: 'event', options: {}, settings: { timeout: 541 } })] })).toThrow(/at most 540 s for event-driven/);
    expect(() => parseManifest({ functions: [entry({ kind: 'queue', options: { queue: 'q' }, settings: { maxAttempts: 1.5 } })] })).toThrow(
      /settings\.maxAttempts must be a positive integer/,
    );
  });
});
