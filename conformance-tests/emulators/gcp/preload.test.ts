/** The preload in real node processes: one framework instance for app and CLI, and no orphans. */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAMEWORK_PACKAGE, locateFramework } from './framework.js';
import { preloadUrl } from './preload.js';

describe('function process preload', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faasport-gcp-preload-'));
    // An app outside any node_modules tree that imports the framework by its bare name and compares
    // it with the copy the CLI would run.
    await writeFile(
      join(dir, 'check.mjs'),
      `import * as ff from '${FRAMEWORK_PACKAGE}';
import { createRequire } from 'node:module';
const cli = createRequire(process.env.FALLBACK)('${FRAMEWORK_PACKAGE}');
console.log(ff.http === cli.http ? 'same instance' : 'two instances');
`,
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('resolves the framework for an app that has none, to the very copy the CLI runs', () => {
    const framework = locateFramework(dir);
    expect(framework.fromApp).toBe(false);
    const preload = preloadUrl({ packages: [FRAMEWORK_PACKAGE], fallbackParentUrl: framework.mainUrl });
    const env = { ...process.env, FALLBACK: framework.mainUrl };
    const withHook = spawnSync(process.execPath, ['--import', preload, join(dir, 'check.mjs')], { env, encoding: 'utf8' });
    expect(withHook.stdout.trim()).toBe('same instance');
    const without = spawnSync(process.execPath, [join(dir, 'check.mjs')], { env, encoding: 'utf8' });
    expect(without.status).not.toBe(0);
    expect(without.stderr).toContain('ERR_MODULE_NOT_FOUND');
  });

  it('makes the process exit when its channel to the emulator closes (the emulator died)', async () => {
    const framework = locateFramework(dir);
    const preload = preloadUrl({ packages: [FRAMEWORK_PACKAGE], fallbackParentUrl: framework.mainUrl });
    const child = spawn(process.execPath, ['--import', preload, '-e', 'setInterval(() => {}, 1000); process.send("up")'], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    await once(child, 'message');
    child.disconnect();
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });
});
