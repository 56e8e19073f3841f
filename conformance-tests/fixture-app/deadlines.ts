/**
 * Deadline fixtures: each HTTP function reports what its context says about the platform's timeout to the
 * runner's probe (FAASPORT_PROBE_URL) and answers the same body on every provider (the numbers depend on the
 * clock, so the probe compares them by type; the case checks their ranges).
 * Azure has one functionTimeout per app, the largest any function sets (here 5 s), which every function there
 * runs under; AWS and GCP give each function its own.
 */
import { http } from 'faasport';

async function report(fn: string, seen: Record<string, unknown>): Promise<void> {
  const url = process.env.FAASPORT_PROBE_URL;
  if (!url) return;
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fn, ...seen }) });
  if (!res.ok) throw new Error(`probe answered ${res.status}`);
}

/** ctx.deadline and ctx.remainingMs() as the handler sees them, measured on the function's own clock. */
export const deadlineReport = http({ route: '/deadline/report', timeout: 5 }, async (_req, ctx) => {
  const now = Date.now();
  await report('deadlineReport', { untilDeadline: ctx.deadline === undefined ? null : ctx.deadline - now, remainingMs: ctx.remainingMs() });
  return Response.json({ reported: true });
});

/**
 * Reports the budget it has (deadline - start), waits for ctx.signal, then answers at once: the answer arriving
 * at all shows the signal fired before the platform cut the invocation, and `nearDeadline` that it fired within
 * the abort margin of the deadline (the handler does no I/O after the abort, to keep within that margin).
 */
export const deadlineSignal = http({ route: '/deadline/signal', timeout: 2 }, async (_req, ctx) => {
  const started = Date.now();
  await report('deadlineSignal', { budget: ctx.deadline === undefined ? null : ctx.deadline - started });
  if (ctx.deadline === undefined) return Response.json({ aborted: false, nearDeadline: false });
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  const remaining = ctx.remainingMs();
  // core/context.ts aborts ABORT_MARGIN_MS (500 ms) before the deadline; a late timer only leaves less.
  return Response.json({ aborted: ctx.signal.aborted, nearDeadline: remaining >= 0 && remaining <= 500 });
});
