import { describe, expect, it } from 'vitest';
import { isHttpFunction, parseManifest } from './manifest.js';

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
    expect(() => parseManifest({ provider: 'aws', functions: [] })).toThrow(/needs a "gcp" output/);
    expect(() => parseManifest({ functions: [entry(), entry()] })).toThrow(/"getItem" appears twice/);
    expect(() => parseManifest({ functions: [entry({ name: '1bad' })] })).toThrow(/is not a GCP function name/);
    expect(() => parseManifest({ functions: [entry({ options: { route: '/x', methods: ['FETCH'] } })] })).toThrow(
      /options\.methods must list/,
    );
    expect(() => parseManifest({ functions: [entry({ options: { route: 'x' } })] })).toThrow(/route must be a path/);
  });
});
