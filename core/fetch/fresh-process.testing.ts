/**
 * Runs test code in a fresh Node process (the test runner's own process loaded undici long ago), for the tests of
 * what installFastFetch does to a whole process (install.test.ts, headers-global.test.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const source = (path: string) => JSON.stringify(fileURLToPath(new URL(path, import.meta.url)));

/** An expression, for code run by `runFresh`: whether the process has loaded undici. */
export const undiciLoaded = `(() => (process as unknown as { moduleLoadList: string[] }).moduleLoadList.some((m) => m.includes('undici')))()`;

export function freshProcessRunner(prefix: string): {
  /** The runner's own temporary folder (removed by cleanup). */
  dir: string;
  /** Bundles `code` (which may import `fetch` and `http`) and runs it in a fresh process; returns its JSON output. */
  runFresh(code: string, env?: Record<string, string>): Promise<Record<string, unknown>>;
  cleanup(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    async runFresh(code, env = {}) {
      const entry = join(dir, `entry-${Math.random().toString(36).slice(2)}.ts`);
      writeFileSync(entry, `import * as fetch from ${source('./index.ts')};\nimport * as http from ${source('../http.ts')};\n${code}`);
      const out = `${entry}.mjs`;
      await build({ entryPoints: [entry], outfile: out, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'silent' });
      const stdout = execFileSync(process.execPath, [out], { env: { ...process.env, FAASPORT_NATIVE_FETCH: '', ...env }, encoding: 'utf8' });
      return JSON.parse(stdout) as Record<string, unknown>;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
