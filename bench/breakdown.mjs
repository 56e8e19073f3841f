#!/usr/bin/env node
/** Bundles bench/breakdown/gcp.ts from the sources (esbuild) and runs it: see that file. */
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = mkdtempSync(join(tmpdir(), 'faasport-breakdown-'));
try {
  const out = join(dir, 'gcp.mjs');
  await build({ entryPoints: [fileURLToPath(new URL('./breakdown/gcp.ts', import.meta.url))], outfile: out, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'error' });
  await import(pathToFileURL(out).href);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
