/**
 * Finds the worker's JavaScript. Node 20 cannot run TypeScript, so from source (tests, `faasport` run from
 * a checkout) `worker.ts` is bundled with esbuild into a cache file named after its content hash; a
 * published build ships it prebuilt next to this module as `azure-worker.js` (tsup entry).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCES = ['worker.ts', 'protocol.ts'];

let cached: Promise<string> | undefined;

export function workerScript(): Promise<string> {
  return (cached ??= locate().catch((error: unknown) => {
    cached = undefined;
    throw error;
  }));
}

async function locate(): Promise<string> {
  const prebuilt = fileURLToPath(new URL('./azure-worker.js', import.meta.url));
  if (existsSync(prebuilt)) return prebuilt;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const source = path.join(here, 'worker.ts');
  if (!existsSync(source)) {
    throw new Error(`faasport azure emulator: neither ${prebuilt} nor ${source} exists; the worker script was not shipped`);
  }
  const esbuild = await import('esbuild');
  const hash = createHash('sha256').update(esbuild.version);
  for (const file of SOURCES) hash.update(await readFile(path.join(here, file)));
  const dir = path.join(os.tmpdir(), 'faasport-azure-worker');
  const out = path.join(dir, `worker-${hash.digest('hex').slice(0, 16)}.mjs`);
  if (existsSync(out)) return out;
  await mkdir(dir, { recursive: true });
  const result = await esbuild.build({
    entryPoints: [source],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  // Write then rename: another emulator starting at the same time never sees half a file.
  const temp = `${out}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, code);
  await rename(temp, out);
  return out;
}
