/**
 * The Fetch idioms users write, one row each: faasport's light path (the Request the AWS adapter hands a
 * handler; `Response`/`Headers` once adapt() ran) against Node's own undici classes on the same input. Only
 * the idiom is timed: each call gets a fresh request built beforehand (workers/idioms.mjs).
 */
import { fileURLToPath } from 'node:url';
import { fmtAlloc, fmtNs, fmtRatio, table } from '../lib/table.mjs';
import { timeInterleaved } from '../lib/timing.mjs';
import { startWorker } from '../lib/worker.mjs';

const WORKER = fileURLToPath(new URL('../workers/idioms.mjs', import.meta.url));
const LIGHT = 'faasport light';
const UNDICI = 'undici';

export async function idioms({ dist, quick }) {
  const light = await startWorker(WORKER, ['light', dist]);
  const undici = await startWorker(WORKER, ['undici', dist]);
  const rows = [];
  const notes = [];
  const results = {};
  try {
    for (const idiom of light.events) {
      const outcomes = [];
      for (const w of [light, undici]) outcomes.push(JSON.stringify((await w.request({ cmd: 'outcome', event: idiom })).outcome));
      if (outcomes[0] !== outcomes[1]) notes.push(`${idiom}: the two sides answered differently (${outcomes.join(' vs ')})`);
      const times = await timeInterleaved([light, undici], idiom, quick ? { rounds: 3, batchMs: 20, warmupMs: 150, spinMs: 10 } : { rounds: 7, batchMs: 40, warmupMs: 500, spinMs: 30 });
      const alloc = [];
      for (const w of [light, undici]) alloc.push((await w.request({ cmd: 'alloc', event: idiom, calls: quick ? 1000 : 5000 })).bytes);
      const cpuLight = times.cpu.get(LIGHT);
      const cpuUndici = times.cpu.get(UNDICI);
      results[idiom] = { light: times.get(LIGHT), undici: times.get(UNDICI), cpuLight, cpuUndici, allocLight: alloc[0], allocUndici: alloc[1] };
      rows.push([
        idiom,
        fmtNs(times.get(LIGHT)),
        fmtNs(times.get(UNDICI)),
        fmtNs(cpuLight),
        fmtNs(cpuUndici),
        fmtRatio(cpuLight / cpuUndici),
        `${fmtAlloc(alloc[0])} / ${fmtAlloc(alloc[1])}`,
      ]);
    }
  } finally {
    light.stop();
    undici.stop();
  }
  table(
    'Fetch idioms, per call (the idiom alone, on a fresh request; faasport light path vs undici on the same input; wall and CPU time; alloc = JS heap bytes, light / undici)',
    ['idiom', 'light wall', 'undici wall', 'light cpu', 'undici cpu', 'cpu light/undici', 'alloc/call'],
    rows,
  );
  for (const note of notes) console.log(`  note: ${note}`);
  return results;
}
