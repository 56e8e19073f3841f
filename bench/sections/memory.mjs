/**
 * Memory: each provider's faasport adapter answers the user-style GET 1,000,000 times in one process
 * (100,000 with --quick); heap and RSS after a full GC, after a warm-up, halfway and at the end. Flat
 * means the end is within noise of the warm-up (any cache faasport keeps is bounded).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { table } from '../lib/table.mjs';

const WORKER = fileURLToPath(new URL('../workers/memory.mjs', import.meta.url));
const MB = (n) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const delta = (a, b) => `${b - a >= 0 ? '+' : ''}${((b - a) / 1024 / 1024).toFixed(2)} MB`;

export async function memory({ dist, quick }) {
  const calls = quick ? 100_000 : 1_000_000;
  const rows = [];
  const results = {};
  for (const provider of ['aws', 'azure', 'gcp']) {
    const child = spawnSync(process.execPath, ['--expose-gc', WORKER, provider, dist, String(calls)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const line = child.stdout.trim().split('\n').pop();
    let r;
    try {
      r = JSON.parse(line);
    } catch {
      rows.push([provider, 'failed', child.stderr.trim().split('\n').slice(-3).join(' '), '', '', '', '']);
      continue;
    }
    if (r.pending) {
      rows.push([provider, 'pending', r.pending, '', '', '', '']);
      continue;
    }
    results[provider] = r;
    rows.push([
      provider,
      r.calls.toLocaleString('en'),
      `${MB(r.afterWarmup.heap)} -> ${MB(r.middle.heap)} -> ${MB(r.end.heap)}`,
      delta(r.afterWarmup.heap, r.end.heap),
      `${MB(r.afterWarmup.rss)} -> ${MB(r.middle.rss)} -> ${MB(r.end.rss)}`,
      delta(r.afterWarmup.rss, r.end.rss),
    ]);
  }
  table(
    `Memory: faasport adapter, user-style GET, ${calls.toLocaleString('en')} warm invocations in one process (after full GC: warm-up -> halfway -> end)`,
    ['provider', 'calls', 'heap used', 'heap growth', 'RSS', 'RSS growth'],
    rows,
  );
  return results;
}
