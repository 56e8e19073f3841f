/** Azure and GCP: faasport's adapt() against a hand-written native handler of each platform. */
import { fileURLToPath } from 'node:url';
import { PROVIDER_CONTENDERS } from '../apps/providers.mjs';
import { EXPECTED, EXPECTED_USER } from '../lib/events.mjs';
import { fmtAlloc, fmtNs, fmtRatio, table, verdict } from '../lib/table.mjs';
import { timeInterleaved } from '../lib/timing.mjs';
import { startWorker } from '../lib/worker.mjs';

const WORKER = fileURLToPath(new URL('../workers/provider.mjs', import.meta.url));
const TARGET = 2;
/** Whether an answer holds what is expected (cookies compared only where expected names them). */
const same = (seen, expected) => {
  const picked = {};
  for (const key of Object.keys(expected)) picked[key] = seen?.[key];
  return JSON.stringify(picked) === JSON.stringify(expected);
};

export async function providers({ dist, quick }) {
  const events = [
    { key: 'uGet', style: 'user', label: 'GET, 13 headers incl. cookie', expected: EXPECTED_USER.get },
    { key: 'uPostJson', style: 'user', label: 'POST 1 KB JSON', expected: EXPECTED_USER.postJson },
    { key: 'get', style: 'minimal', label: 'GET, 13 headers incl. cookie', expected: EXPECTED.get },
    { key: 'postJson', style: 'minimal', label: 'POST 1 KB JSON', expected: EXPECTED.postJson },
  ];
  const rows = [];
  const notes = [];
  const results = {};
  for (const provider of ['azure', 'gcp']) {
    const workers = [];
    for (const name of PROVIDER_CONTENDERS.filter((n) => n.startsWith(provider))) workers.push(await startWorker(WORKER, [name, dist]));
    try {
      for (const e of events) {
        const valid = [];
        for (const w of workers) {
          if (!w.events.includes(e.key)) continue;
          const { outcome } = await w.request({ cmd: 'outcome', event: e.key });
          if (same(outcome, e.expected)) valid.push(w);
          else notes.push(`${w.name} answered "${e.label}" wrongly (${JSON.stringify(outcome).slice(0, 160)}); not timed`);
        }
        const times = await timeInterleaved(valid, e.key, quick ? { rounds: 5, batchMs: 40, warmupMs: 300, spinMs: 30 } : { rounds: 9, batchMs: 80, warmupMs: 2000, spinMs: 60 });
        const nativeNs = times.get(`${provider} native`);
        const faasNs = times.get(`${provider} faasport`);
        const alloc = new Map();
        for (const w of valid) alloc.set(w.name, (await w.request({ cmd: 'alloc', event: e.key, calls: quick ? 1000 : 10000 })).bytes);
        const ratio = faasNs === undefined || nativeNs === undefined ? undefined : faasNs / nativeNs;
        const nativeCpu = times.cpu.get(`${provider} native`);
        const faasCpu = times.cpu.get(`${provider} faasport`);
        const cpuRatio = faasCpu === undefined || nativeCpu === undefined ? undefined : faasCpu / nativeCpu;
        results[`${provider}.${e.key}`] = ratio;
        results[`${provider}.${e.key}.cpu`] = cpuRatio;
        const nativeName = `${provider} native`;
        const pending = workers.find((w) => w.name === `${provider} faasport`)?.note;
        rows.push([
          provider === 'azure' ? 'Azure Functions v4' : 'Google Cloud Functions',
          e.style,
          e.label,
          fmtNs(nativeNs),
          pending ? 'pending' : fmtNs(faasNs),
          pending ? 'pending' : fmtRatio(ratio),
          `${fmtNs(nativeCpu)} / ${pending ? 'pending' : fmtNs(faasCpu)}`,
          pending ? 'pending' : fmtRatio(cpuRatio),
          `${fmtAlloc(alloc.get(nativeName))} / ${fmtAlloc(alloc.get(`${provider} faasport`))}`,
          pending ? '' : `<= ${TARGET}x: wall ${verdict(ratio, TARGET)}, cpu ${verdict(cpuRatio, TARGET)}`,
        ]);
        if (pending && e === events[0]) notes.push(`${provider} faasport: pending (${pending})`);
      }
    } finally {
      for (const w of workers) w.stop();
    }
  }
  table(
    'Azure and GCP, per call (in-process with the platform objects; one process per contender; median of interleaved rounds; native and faasport are wall time; cpu = process CPU time, native / faasport (steadier on a shared machine); alloc = JS heap bytes per call beyond the platform objects, native / faasport)',
    ['platform', 'handlers', 'request', 'native', 'faasport', 'ratio', 'cpu/call', 'cpu ratio', 'alloc/call', 'target'],
    rows,
  );
  for (const note of notes) console.log(`  note: ${note}`);
  return results;
}
