import { describe, expect, it } from 'vitest';
import { isHttpFunction, parseManifest } from './manifest.js';

const entry = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  kind: 'http',
  options: { route: '/items/:id', methods: ['GET'] },
  export: name,
  source: 'src/api.ts',
  entry: `${name}/index.mjs`,
  handler: `${name}/index.handler`,
  ...extra,
});

describe('parseManifest', () => {
  it('reads http and other functions', () => {
    const manifest = parseManifest({
      provider: 'aws',
      functions: [entry('getItem'), entry('onOrder', { kind: 'queue', options: { queue: 'orders' } })],
    });
    const [http, queue] = manifest.functions;
    expect(http && isHttpFunction(http) && http.route).toBe('/items/:id');
    expect(http && isHttpFunction(http) && http.methods).toEqual(['GET']);
    expect(queue?.kind).toBe('queue');
    expect(queue && isHttpFunction(queue)).toBe(false);
  });

  it('treats an empty methods list as every method', () => {
    const [fn] = parseManifest({ functions: [entry('a', { options: { route: '/a', methods: [] } })] }).functions;
    expect(fn && isHttpFunction(fn) && fn.methods).toBeUndefined();
  });

  it('names what is wrong', () => {
    expect(() => parseManifest({ provider: 'gcp', functions: [] })).toThrow(/needs an output built with --provider aws/);
    expect(() => parseManifest({ functions: [entry('a'), entry('a')] })).toThrow(/"a" appears twice/);
    expect(() => parseManifest({ functions: [entry('a', { handler: 'nodot' })] })).toThrow(/functions\[0\]\.handler/);
    expect(() => parseManifest({ functions: [entry('a', { options: { route: 'items' } })] })).toThrow(/route must be a path/);
    expect(() => parseManifest({ functions: [entry('a', { options: { route: '/a', methods: ['FETCH'] } })] })).toThrow(
      /options\.methods/,
    );
    expect(() => parseManifest({ functions: [entry('a', { kind: 'cron' })] })).toThrow(/kind must be one of/);
  });
});
