/**
 * A function whose code fails at init: the emulator refuses to start, as Cloud Run functions refuses the
 * deploy, with an error that names the function and what it threw; when a restart fails that way, the request
 * gets Cloud Run's 503.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGcpEmulator } from './index.js';
import { buildGcpApp } from './test-build.js';

const APP = [
  { name: 'crashy', exportName: 'crashy', kind: 'http', options: { route: '/crash' } },
  { name: 'hello', exportName: 'hello', kind: 'http', options: { route: '/hello' } },
];

describe('GCP emulator init errors', () => {
  let dir: string;
  let markers: string;

  beforeAll(async () => {
    dir = await buildGcpApp('./test-init-error-app.js', APP);
    markers = await mkdtemp(join(tmpdir(), 'faasport-gcp-init-'));
  });
  afterAll(async () => {
    for (const path of [dir, markers]) if (path) await rm(path, { recursive: true, force: true });
  });

  it('refuses to start, naming the function and the error its module threw', async () => {
    await writeFile(join(markers, 'fail-init'), '');
    try {
      const failure = startGcpEmulator({ dir, env: { FAASPORT_MARKER_DIR: markers } });
      await expect(failure).rejects.toThrow(/function "(crashy|hello)" failed at init: its module threw Error: cannot read the config store at load time\./);
      await expect(failure).rejects.toMatchObject({ name: 'InitError' });
    } finally {
      await rm(join(markers, 'fail-init'));
    }
  });

  it('answers 503 naming the function when its process is restarted and fails at init', async () => {
    const emulator = await startGcpEmulator({ dir, env: { FAASPORT_MARKER_DIR: markers } });
    try {
      await writeFile(join(markers, 'fail-init'), '');
      // The framework answers 500 (X-Google-Status: crash) as the process exits.
      expect((await fetch(`${emulator.url}/crash`)).status).toBe(500);
      const response = await fetch(`${emulator.url}/crash`);
      expect(response.status).toBe(503);
      expect(await response.text()).toMatch(/function "crashy" failed at init: its module threw Error: cannot read the config store/);
      // Other functions run in their own processes, as on Cloud Run, and keep serving.
      expect(await (await fetch(`${emulator.url}/hello`)).text()).toBe('hello');
    } finally {
      await emulator.stop();
    }
  });
});
