#!/usr/bin/env node
/**
 * faasport benchmarks (see bench/README.md). Runs from the built package: `npm run bench` builds first.
 * `node bench/run.mjs [warm] [cold] [providers] [idioms] [memory] [codegen] [streaming] [--quick]` runs only the named sections.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = new URL('../dist', import.meta.url).href;
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const wanted = args.filter((a) => !a.startsWith('--'));
const run = (name) => wanted.length === 0 || wanted.includes(name);

if (!existsSync(fileURLToPath(new URL('../dist/aws.js', import.meta.url)))) {
  console.error('bench: dist/ is missing; run `npm run build` first (or `npm run bench`, which does).');
  process.exit(1);
}

console.log(`faasport bench — Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown cpu'}), ${new Date().toISOString()}`);
const options = { root, dist, quick };
if (run('warm')) await (await import('./sections/aws-warm.mjs')).awsWarm(options);
if (run('cold')) await (await import('./sections/cold-start.mjs')).coldStart(options);
if (run('providers')) await (await import('./sections/providers.mjs')).providers(options);
if (run('idioms')) await (await import('./sections/idioms.mjs')).idioms(options);
if (run('memory')) await (await import('./sections/memory.mjs')).memory(options);
if (run('codegen')) await (await import('./sections/codegen.mjs')).codegen(options);
if (run('streaming')) await (await import('./sections/streaming.mjs')).streaming(options);
