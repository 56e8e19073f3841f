/**
 * Codegen at scale: a generated project of 200 functions (HTTP, queue and schedule), timed through
 * discovery alone (in-process `discover()`, and `faasport check` end to end) and a full build for the
 * three providers (`faasport build --provider all`, end to end).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { table, verdict } from '../lib/table.mjs';

const FUNCTIONS = 200;

/** 150 HTTP functions, 25 queue consumers and 25 schedules, 10 a file, re-exported from src/index.ts. */
function generate(app) {
  mkdirSync(join(app, 'src', 'fns'), { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'codegen-bench', private: true, type: 'module' }));
  const index = [];
  for (let file = 0; file < FUNCTIONS / 10; file++) {
    const lines = ["import { http, queue, schedule } from 'faasport';", "import { ROUTES } from '../routes.js';", ''];
    for (let j = 0; j < 10; j++) {
      const i = file * 10 + j;
      if (i < 150) {
        lines.push(
          `export const item${i} = http({ route: ROUTES.item${i}, methods: ['GET', 'PUT'] }, async (req, ctx) => Response.json({ id: ctx.params.id, n: ${i} }));`,
        );
      } else if (i < 175) {
        lines.push(`export const consume${i} = queue({ queue: 'orders-${i}' }, async (msg) => { JSON.stringify(msg.json()); });`);
      } else {
        lines.push(`export const nightly${i} = schedule({ cron: '${i % 60} ${i % 24} * * *' }, async () => {});`);
      }
    }
    writeFileSync(join(app, 'src', 'fns', `f${file}.ts`), `${lines.join('\n')}\n`);
    index.push(`export * from './fns/f${file}.js';`);
  }
  const routes = Array.from({ length: 150 }, (_, i) => `  item${i}: '/r${i}/items/:id',`);
  writeFileSync(join(app, 'src', 'routes.ts'), `export const ROUTES = {\n${routes.join('\n')}\n} as const;\n`);
  writeFileSync(join(app, 'src', 'index.ts'), `${index.join('\n')}\n`);
}

function cli(root, app, args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), ...args], { cwd: app, encoding: 'utf8' });
  const s = Number(process.hrtime.bigint() - start) / 1e9;
  return { s, ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
}

export async function codegen({ root }) {
  const dir = mkdtempSync(join(tmpdir(), 'faasport-codegen-'));
  const rows = [];
  const notes = [];
  const result = {};
  try {
    const app = join(dir, 'app');
    generate(app);

    // discover() in-process: codegen/index.ts bundled on the fly (dist ships only the CLI), ts-morph external.
    // Written under node_modules/.cache so that its external imports (ts-morph, esbuild) resolve.
    const cache = join(root, 'node_modules', '.cache', 'faasport-bench');
    mkdirSync(cache, { recursive: true });
    const lib = join(cache, 'codegen.mjs');
    await build({ entryPoints: [join(root, 'codegen', 'index.ts')], outfile: lib, bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', absWorkingDir: root, logLevel: 'silent' });
    const { discover } = await import(pathToFileURL(lib).href);
    const t0 = process.hrtime.bigint();
    const found = discover({ cwd: app });
    const discoverS = Number(process.hrtime.bigint() - t0) / 1e9;
    if (found.functions.length !== FUNCTIONS) notes.push(`discover() found ${found.functions.length} functions, expected ${FUNCTIONS}`);
    result.discover = discoverS;
    rows.push([`discover() of ${FUNCTIONS} functions, in-process (ts-morph already loaded)`, `${discoverS.toFixed(2)} s`, `<= 2 s: ${verdict(discoverS, 2)}`]);

    const check = cli(root, app, ['check', '--provider', 'all']);
    if (!check.ok) notes.push(`faasport check failed: ${check.output.split('\n').slice(0, 3).join(' | ')}`);
    result.check = check.ok ? check.s : undefined;
    rows.push(['faasport check --provider all (process start to exit)', check.ok ? `${check.s.toFixed(2)} s` : 'failed', check.ok ? `<= 2 s: ${verdict(check.s, 2)}` : '']);

    const full = cli(root, app, ['build', '--provider', 'all', '--out', 'out']);
    if (!full.ok) notes.push(`faasport build failed: ${full.output.split('\n').slice(0, 3).join(' | ')}`);
    result.build = full.ok ? full.s : undefined;
    rows.push(['faasport build --provider all (aws + azure + gcp, process start to exit)', full.ok ? `${full.s.toFixed(2)} s` : 'failed', full.ok ? `<= 15 s: ${verdict(full.s, 15)}` : '']);
    const summary = full.output.split('\n').filter((l) => /aws|azure|gcp|discovered|built/.test(l));
    for (const line of summary) notes.push(`build: ${line.trim()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  table(`Codegen, generated project of ${FUNCTIONS} functions (150 http, 25 queue, 25 schedule in 20 files)`, ['step', 'time', 'target'], rows);
  for (const note of notes) console.log(`  note: ${note}`);
  return result;
}
