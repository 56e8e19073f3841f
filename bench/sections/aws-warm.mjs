/** Warm AWS: per-call time of each contender on the four events, as a ratio to the native handler. */
import { fileURLToPath } from 'node:url';
import { AWS_CONTENDERS } from '../apps/aws.mjs';
import { EXPECTED, uploadEvent } from '../lib/events.mjs';
import { fmtNs, fmtRatio, table, verdict } from '../lib/table.mjs';
import { timeInterleaved } from '../lib/timing.mjs';
import { startWorker } from '../lib/worker.mjs';

const WORKER = fileURLToPath(new URL('../workers/aws.mjs', import.meta.url));
const FAASPORT = 'faasport adapt()';

/** Status and JSON body of a Lambda HTTP result (decoding base64 if a contender chose it). */
function httpOutcome(result) {
  const text = result.isBase64Encoded ? Buffer.from(result.body, 'base64').toString('utf8') : result.body;
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: result.statusCode, body };
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

export async function awsWarm({ dist, quick }) {
  const events = [
    { key: 'get', label: 'GET, 12 headers + 2 cookies (API GW v2)', expected: EXPECTED.get, target: 3 },
    { key: 'postJson', label: 'POST 1 KB JSON', expected: EXPECTED.postJson, target: 3 },
    { key: 'upload', label: 'POST 64 KB base64 binary', expected: EXPECTED.upload(uploadEvent().bytes), target: 1.5 },
    { key: 'sqs', label: 'SQS batch of 10', expected: { batchItemFailures: [] }, target: 1.5 },
    { key: 'sqsSync', label: 'SQS batch of 10, no promise per message', expected: { batchItemFailures: [] } },
  ];
  const workers = [];
  for (const name of AWS_CONTENDERS) workers.push(await startWorker(WORKER, [name, dist]));
  const notes = workers.filter((w) => w.note).map((w) => `${w.name}: ${w.note}`);
  const results = {};
  const rows = [];
  try {
    for (const e of events) {
      // Validate each contender's answer before timing; a wrong answer is not timed, and said so.
      const valid = [];
      for (const w of workers) {
        if (!w.events.includes(e.key)) continue;
        const { outcome } = await w.request({ cmd: 'outcome', event: e.key });
        const seen = e.key.startsWith('sqs') ? outcome : httpOutcome(outcome);
        if (same(seen, e.expected)) valid.push(w);
        else notes.push(`${w.name} answered "${e.label}" wrongly (${JSON.stringify(seen).slice(0, 160)}); not timed`);
      }
      const times = await timeInterleaved(valid, e.key, quick ? { rounds: 5, batchMs: 40, warmupMs: 300, spinMs: 30 } : { rounds: 9, batchMs: 80, warmupMs: 2000, spinMs: 60 });
      const nativeNs = times.get('native handler');
      results[e.key] = { native: nativeNs, faasport: times.get(FAASPORT) };
      for (const w of workers) {
        const ns = times.get(w.name);
        const ratio = ns === undefined ? undefined : ns / nativeNs;
        const isFaas = w.name === FAASPORT;
        const pending = isFaas && ns === undefined && e.key.startsWith('sqs') ? 'n/a (SQS adapter pending)' : undefined;
        rows.push([
          w === workers[0] ? e.label : '',
          w.name,
          pending ?? fmtNs(ns),
          pending ? '' : fmtRatio(ratio),
          isFaas ? (e.target === undefined ? 'reference' : `<= ${e.target}x: ${verdict(ratio, e.target)}`) : '',
        ]);
      }
    }
  } finally {
    for (const w of workers) w.stop();
  }
  table('AWS warm, per call (one process per contender; median of interleaved rounds; ratio to the hand-written native handler)', ['event', 'contender', 'time/call', 'ratio', 'target'], rows);
  for (const note of notes) console.log(`  note: ${note}`);
  return results;
}
