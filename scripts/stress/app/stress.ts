/**
 * The app `npm run stress` builds for every provider (see scripts/stress.mjs). Its functions record what they
 * finished in a ledger file the stress script owns (`STRESS_LEDGER`, one JSON line per run, appended
 * synchronously before the handler returns, so a line means the work was done before any acknowledgement).
 */
import { appendFileSync, openSync, closeSync } from 'node:fs';
import { http, queue } from 'faasport';

/** Echoes a small JSON body: the HTTP front door's load target. */
export const stressEcho = http({ route: '/stress/echo', methods: ['POST'] }, async (req) => Response.json({ echo: await req.json() }));

interface StressJob {
  seq: number;
  /** "ok" succeeds, "fail" throws on every delivery, "crash" kills the process the first time any process runs it. */
  kind: 'ok' | 'fail' | 'crash';
}

function record(line: Record<string, unknown>): void {
  const ledger = process.env.STRESS_LEDGER;
  if (!ledger) throw new Error('stress app: STRESS_LEDGER is not set; run it through scripts/stress.mjs');
  appendFileSync(ledger, `${JSON.stringify(line)}\n`);
}

/**
 * True exactly once per run, across processes and redeliveries: creating the marker file fails when it exists
 * (O_EXCL), so only the first process to reach the crash message crashes.
 */
function firstToCrash(): boolean {
  const marker = process.env.STRESS_CRASH_MARKER;
  if (!marker) return false;
  try {
    closeSync(openSync(marker, 'wx'));
    return true;
  } catch {
    return false;
  }
}

export const stressJobs = queue({ queue: 'stress-jobs', maxAttempts: 5, batchSize: 10 }, async (msg) => {
  const job = msg.json<StressJob>();
  if (job.kind === 'fail') {
    record({ seq: job.seq, ran: 'failed', id: msg.id, deliveryCount: msg.deliveryCount, pid: process.pid });
    throw new Error(`stress job ${job.seq} fails on purpose`);
  }
  if (job.kind === 'crash' && firstToCrash()) {
    record({ seq: job.seq, ran: 'crashed', id: msg.id, deliveryCount: msg.deliveryCount, pid: process.pid });
    process.exit(1);
  }
  record({ seq: job.seq, ran: 'done', id: msg.id, deliveryCount: msg.deliveryCount, pid: process.pid });
});
