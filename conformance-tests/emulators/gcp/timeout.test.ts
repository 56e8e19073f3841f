/**
 * The GCP emulator enforces the request timeout as Cloud Run does (issue 10): a hanging HTTP handler gets
 * 504 "upstream request timeout" once the timeout passes, the instance is not killed, and the next request
 * (to the same function and to another) is answered.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGcpEmulator, type GcpEmulator } from './index.js';
import { buildGcpApp } from './test-build.js';

const entry = (name: string, route: string) => ({ name, exportName: name, kind: 'http', options: { route } });

describe('GCP emulator request timeout', () => {
  let dir: string;
  let emulator: GcpEmulator;
  // Generous enough for a loaded 2-core machine to start a request, short enough to keep the test quick.
  const TIMEOUT_MS = 2_000;

  beforeAll(async () => {
    const functions = [entry('hang', '/hang'), entry('getItem', '/items/:id')];
    dir = await buildGcpApp('./test-app.js', functions, functions);
    emulator = await startGcpEmulator({ dir, requestTimeoutMs: TIMEOUT_MS });
  });
  afterAll(async () => {
    await emulator?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers a hanging handler with 504 "upstream request timeout", not before the timeout', async () => {
    const started = Date.now();
    const response = await fetch(`${emulator.url}/hang`);
    expect(response.status).toBe(504);
    expect(await response.text()).toBe('upstream request timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
  });

  it('the same process then serves the next request, and other functions too', async () => {
    const pid = (await (await fetch(`${emulator.url}/items/1`)).json()) as { pid: number };
    expect((await fetch(`${emulator.url}/hang?fast`)).status).toBe(200);
    const again = (await (await fetch(`${emulator.url}/items/2`)).json()) as { pid: number; id: string };
    expect(again).toMatchObject({ id: '2', pid: pid.pid });
  });
});
