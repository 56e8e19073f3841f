import { defineConfig } from 'tsup';

// Provider libraries and the emulators' tools are loaded from the user's install at run time, never bundled:
// @azure/functions must find @azure/functions-core through the worker, and functions-framework must be the
// one instance the CLI registers into.
const external = [
  '@azure/functions',
  '@google-cloud/functions-framework',
  /^@aws-sdk\//,
  'aws-lambda-ric',
  'azurite',
  'esbuild',
  'ts-morph',
];

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
    target: 'node20',
    platform: 'node',
    splitting: true,
    treeshake: true,
    sourcemap: false,
    external,
  },
  {
    // The CLI, and the Azure emulator's worker (a separate process that plays the Functions worker).
    entry: { cli: 'cli/bin.ts', 'azure-worker': 'conformance-tests/emulators/azure/worker.ts' },
    format: ['esm'],
    external,
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
