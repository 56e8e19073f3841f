/**
 * Deadline cases (fixture-app/deadlines.ts): ctx.deadline, ctx.remainingMs() and ctx.signal follow the timeout
 * the function is deployed with. AWS tells the function its deadline (getRemainingTimeInMillis); on Azure and
 * GCP the generated registration passes the deployed timeout to the adapter (codegen/stubs.ts).
 */
import assert from 'node:assert/strict';
import { defineCase, type ConformanceCase } from '../invoker.js';

/** deadlineReport's `timeout: 5`; on Azure also the app's functionTimeout (the largest in the fixture app). */
const REPORT_TIMEOUT_MS = 5_000;
/** deadlineSignal's `timeout: 2`. Azure runs it under the app-wide functionTimeout instead. */
const SIGNAL_TIMEOUT_MS = 2_000;

export const deadlineCases: ConformanceCase[] = [
  defineCase("ctx.deadline and remainingMs() follow the function's timeout", async (inv) => {
    const res = await inv.http('/deadline/report');
    assert.equal(res.status, 200, `answered ${res.status}: ${await res.clone().text()}`);
    assert.deepEqual(await res.json(), { reported: true });
    const [seen] = (await inv.probe.waitFor('deadlineReport', (rs) => rs.length > 0)) as unknown as { untilDeadline: number | null; remainingMs: number }[];
    assert.notEqual(seen!.untilDeadline, null, 'ctx.deadline is undefined');
    assert.ok(seen!.untilDeadline! > 0 && seen!.untilDeadline! <= REPORT_TIMEOUT_MS, `ctx.deadline - now = ${seen!.untilDeadline} ms, not within (0, ${REPORT_TIMEOUT_MS}]`);
    assert.ok(seen!.remainingMs > 0 && seen!.remainingMs <= REPORT_TIMEOUT_MS, `remainingMs() = ${seen!.remainingMs}, not within (0, ${REPORT_TIMEOUT_MS}]`);
  }),
  defineCase("ctx.signal aborts before the platform's timeout", async (inv) => {
    const res = await inv.http('/deadline/signal');
    // A platform that cut the invocation first would answer with its own timeout error instead.
    assert.equal(res.status, 200, `answered ${res.status}: ${(await res.clone().text()).slice(0, 300)}`);
    // The signal fired ABORT_MARGIN_MS (core/context.ts, 500 ms) or less before the deadline, never earlier.
    assert.deepEqual(await res.json(), { aborted: true, nearDeadline: true });
    const [seen] = (await inv.probe.waitFor('deadlineSignal', (rs) => rs.length > 0)) as unknown as { budget: number | null }[];
    assert.notEqual(seen!.budget, null, 'ctx.deadline is undefined');
    const limit = inv.provider === 'azure' ? REPORT_TIMEOUT_MS : SIGNAL_TIMEOUT_MS;
    assert.ok(seen!.budget! > 0 && seen!.budget! <= limit, `deadline - start = ${seen!.budget} ms, not within (0, ${limit}]`);
  }),
];
