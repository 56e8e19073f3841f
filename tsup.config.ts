import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: {
      index: 'core/index.ts',
      testing: 'core/testing.ts',
      aws: 'adapters/aws/index.ts',
      azure: 'adapters/azure/index.ts',
      gcp: 'adapters/gcp/index.ts',
      conformance: 'conformance-tests/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: true,
    treeshake: true,
    sourcemap: false,
  },
  {
    entry: { cli: 'codegen/cli.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
