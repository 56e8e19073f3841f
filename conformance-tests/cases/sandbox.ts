/**
 * Sandbox cases (fixture-app/sandbox.ts): what the platform does to work left running after a response, and
 * which folders a function may write. The platforms differ here, each for its own reason (README, "Differences
 * the platforms impose"); each case pins what every provider does.
 */
import assert from 'node:assert/strict';
import type { Provider } from '../../core/types.js';
import { defineCase, type ConformanceCase } from '../invoker.js';

/**
 * Whether work a handler left running makes progress while no request runs:
 * - AWS: no. Lambda freezes the environment between invocations and thaws it for the next one
 *   (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html).
 * - Azure: yes. The host does not track background work, which runs on until the instance goes away
 *   (https://learn.microsoft.com/azure/azure-functions/performance-reliability#make-sure-background-tasks-complete).
 * - GCP: either. By default CPU "is only allocated during request processing": after the response it is
 *   "disabled or severely limited" (https://cloud.google.com/run/docs/tips/general#avoiding-background-activities);
 *   the emulator does not throttle, so the work runs on there.
 */
const PROGRESS_WHILE_IDLE: Readonly<Record<Provider, boolean | 'either'>> = { aws: false, azure: true, gcp: 'either' };

/**
 * Whether a function can write beside its deployed code: not on Lambda (/var/task is read-only) nor on Azure
 * running from a package (wwwroot is read-only); yes on Cloud Run, whose filesystem is writable and in memory
 * (https://cloud.google.com/run/docs/container-contract#filesystem). The temp directory is writable everywhere.
 */
const CODE_FOLDER_WRITABLE: Readonly<Record<Provider, boolean>> = { aws: false, azure: false, gcp: true };

export const sandboxCases: ConformanceCase[] = [
  defineCase('work left running after the response makes no progress until the next invocation', async (inv) => {
    const started = await inv.http('/sandbox/background', { method: 'POST' });
    assert.equal(started.status, 200, `POST answered ${started.status}`);
    await started.arrayBuffer();
    // Idle time the fire-and-forget interval (10 ms) would tick through some 60 times if it ran.
    await new Promise((resolve) => setTimeout(resolve, 900));
    const res = await inv.http('/sandbox/background?waitMs=300');
    const body = await res.text();
    assert.equal(res.status, 200, `GET answered ${res.status}: ${body}`);
    const seen = JSON.parse(body) as { progressedWhileIdle: boolean; ranDuringRequest: boolean };
    // Everywhere the work runs while a request does: on Lambda it resumes with the next invocation.
    assert.equal(seen.ranDuringRequest, true, `the work did not run during the next request: ${body}`);
    const expected = PROGRESS_WHILE_IDLE[inv.provider];
    if (expected !== 'either') assert.equal(seen.progressedWhileIdle, expected, `progress while idle: ${body}`);
  }),
  defineCase('writes outside /tmp fail, /tmp is writable', async (inv) => {
    const res = await inv.http('/sandbox/write', { method: 'POST' });
    const body = await res.text();
    assert.equal(res.status, 200, `answered ${res.status}: ${body}`);
    const seen = JSON.parse(body) as { codeFolder: string; tmp: string };
    assert.equal(seen.tmp, 'written', `the temp directory was not writable: ${body}`);
    assert.equal(seen.codeFolder, CODE_FOLDER_WRITABLE[inv.provider] ? 'written' : 'refused', `writing beside the code: ${body}`);
    // Lambda's code sits on a read-only mount.
    if (inv.provider === 'aws') assert.equal(res.headers.get('x-code-folder-error'), 'EROFS');
  }),
];
