/** Warm AWS: per-call time of each contender on the four events, as a ratio to the native handler. */
import { fileURLToPath } from 'node:url';
import { AWS_CONTENDERS } from '../apps/aws.mjs';
import { EXPECTED, EXPECTED_USER, uploadEvent, userUploadEvent } from '../lib/events.mjs';
import { fmtAlloc, fmtNs, fmtRatio, table, verdict } from '../lib/table.mjs';
import { timeInterleaved } from '../lib/timing.mjs';
import { startWorker } from '../lib/worker.mjs';

const WORKER = fileURLToPath(new URL('../workers/aws.mjs', import.meta.url));
const FAASPORT = 'faasport adapt()';
const HONO_IN_FAASPORT = 'faasport + hono app';

/** Status and JSON body of a Lambda HTTP result (decoding base64 if a contender chose it). */
function httpOutcome(result) {
  const text = result.isBase64Encoded ? Buffer.from(result.body, 'base64').toString('utf8') : result.body;
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  // Set-Cookie as each contender hands it to API Gateway: `cookies` (payload 2.0) or a header.
  const header = result.headers?.['set-cookie'];
  const cookies = result.cookies ?? (header === undefined ? [] : [header]);
  return { status: result.statusCode, body, cookies };
}

/** Whether a contender's answer holds what is expected (cookies are compared only where expected names them). */
const same = (seen, expected) => {
  const picked = {};
  for (const key of Object.keys(expected)) picked[key] = seen?.[key];
  return JSON.stringify(picked) === JSON.stringify(expected);
};

export async function awsWarm({ dist, quick }) {
  const events = [
    { key: 'uGet', style: 'user', label: 'GET, 12 headers + 2 cookies (API GW v2)', expected: EXPECTED_USER.get, target: 3 },
    { key: 'uPostJson', style: 'user', label: 'POST 1 KB JSON', expected: EXPECTED_USER.postJson, target: 3 },
    { key: 'uUpload', style: 'user', label: 'POST 64 KB base64 binary', expected: EXPECTED_USER.upload(userUploadEvent().bytes), target: 1.5 },
    { key: 'uSqs', style: 'user', label: 'SQS batch of 10', expected: { batchItemFailures: [] }, target: 1.5 },
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
        const seen = /sqs/i.test(e.key) ? outcome : httpOutcome(outcome);
        if (same(seen, e.expected)) valid.push(w);
        else notes.push(`${w.name} answered "${e.label}" wrongly (${JSON.stringify(seen).slice(0, 160)}); not timed`);
      }
      const times = await timeInterleaved(valid, e.key, quick ? { rounds: 5, batchMs: 40, warmupMs: 300, spinMs: 30 } : { rounds: 9, batchMs: 80, warmupMs: 2000, spinMs: 60 });
      const nativeNs = times.get('native handler');
      const nativeCpu = times.cpu.get('native handler');
      const alloc = new Map();
      for (const w of valid) alloc.set(w.name, (await w.request({ cmd: 'alloc', event: e.key, calls: quick ? 2000 : 20000 })).bytes);
      results[e.key] = {
        native: nativeNs,
        faasport: times.get(FAASPORT),
        hono: times.get(HONO_IN_FAASPORT),
        cpu: { native: nativeCpu, faasport: times.cpu.get(FAASPORT), hono: times.cpu.get(HONO_IN_FAASPORT) },
      };
      for (const w of workers) {
        const ns = times.get(w.name);
        const ratio = ns === undefined ? undefined : ns / nativeNs;
        const cpuNs = times.cpu.get(w.name);
        const cpuRatio = cpuNs === undefined || nativeCpu === undefined ? undefined : cpuNs / nativeCpu;
        const isFaas = w.name === FAASPORT;
        if (ns === undefined && !isFaas) continue; // a contender without this event
        const pending = isFaas && ns === undefined && /sqs/i.test(e.key) ? 'n/a (SQS adapter pending)' : undefined;
        rows.push([
          w === workers[0] ? e.style ?? 'minimal' : '',
          w === workers[0] ? e.label : '',
          w.name,
          pending ?? fmtNs(ns),
          pending ? '' : fmtRatio(ratio),
          pending ? '' : fmtNs(cpuNs),
          pending ? '' : fmtRatio(cpuRatio),
          fmtAlloc(alloc.get(w.name)),
          isFaas ? (e.target === undefined ? 'reference' : `<= ${e.target}x: wall ${verdict(ratio, e.target)}, cpu ${verdict(cpuRatio, e.target)}`) : '',
        ]);
      }
    }
  } finally {
    for (const w of workers) w.stop();
  }
  table(
    'AWS warm, per call (one process per contender; median of interleaved rounds; ratio to the hand-written native handler doing the same work; wall = elapsed, cpu = process CPU time (steadier on a shared machine); alloc = JS heap bytes allocated per call)',
    ['handlers', 'event', 'contender', 'wall/call', 'ratio', 'cpu/call', 'cpu ratio', 'alloc/call', 'target'],
    rows,
  );
  for (const note of notes) console.log(`  note: ${note}`);
  return results;
}
