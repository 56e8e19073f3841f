/**
 * Test helper: bundles a GCP app the way `faasport build` does (index.mjs registering each function,
 * functions-framework left external, package.json, faasport.json) in a temp dir outside any
 * node_modules tree.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

export interface TestAppFunction {
  readonly name: string;
  readonly exportName: string;
  readonly kind: string;
  readonly options: Record<string, unknown>;
  /** What codegen writes as `settings` (timeout, maxAttempts, ...); left out when undefined. */
  readonly settings?: Record<string, unknown>;
}

/** `appModule` is a file next to this one (e.g. './test-app.js'); `registered` defaults to every function. */
export async function buildGcpApp(appModule: string, functions: readonly TestAppFunction[], registered = functions): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'faasport-gcp-emu-'));
  const adapter = join(here, '../../../adapters/gcp/index.ts');
  const contents = [
    `import { register } from ${JSON.stringify(adapter)};`,
    `import * as app from ${JSON.stringify(appModule)};`,
    ...registered.map((f) => `register(${JSON.stringify(f.name)}, app.${f.exportName});`),
  ].join('\n');
  await build({
    stdin: { contents, resolveDir: here, sourcefile: 'faasport-entry.ts', loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['@google-cloud/functions-framework'],
    outfile: join(dir, 'index.mjs'),
    logLevel: 'silent',
  });
  const pkg = { name: 'faasport-gcp-app', private: true, type: 'module', main: 'index.mjs', dependencies: { '@google-cloud/functions-framework': '^5.0.5' } };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  const manifest = {
    provider: 'gcp',
    functions: [...functions]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((f) => ({ name: f.name, kind: f.kind, options: f.options, export: f.exportName, source: 'src/app.ts', entry: 'index.mjs', ...(f.settings ? { settings: f.settings } : {}) })),
  };
  await writeFile(join(dir, 'faasport.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return dir;
}
