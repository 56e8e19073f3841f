import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // The repo's own examples import 'faasport' as users do; point it at the sources.
    alias: [
      { find: /^faasport$/, replacement: here('./core/index.ts') },
      { find: /^faasport\/testing$/, replacement: here('./core/testing.ts') },
      { find: /^faasport\/(aws|azure|gcp)$/, replacement: here('./adapters/$1/index.ts') },
      { find: /^faasport\/conformance$/, replacement: here('./conformance-tests/index.ts') },
    ],
  },
  test: {
    include: ['core/**/*.test.ts', 'adapters/**/*.test.ts', 'codegen/**/*.test.ts', 'cli/**/*.test.ts', 'conformance-tests/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 240_000,
    pool: 'forks',
  },
});
