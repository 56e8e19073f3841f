import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FaasportPaths } from '../codegen/faasport-paths.js';
import { assertReady } from './doctor.js';
import { environmentProblem, missingPackage, SetupError } from './errors.js';
import { main } from './program.js';
import { addDevCommand, inspect, packageManager, shellLine } from './prerequisites.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A user's project with faasport installed in node_modules/faasport and `installed` packages beside it. */
function project(installed: Record<string, string>, files: string[] = []): { dir: string; paths: FaasportPaths } {
  const dir = mkdtempSync(join(tmpdir(), 'faasport-prereq-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'package.json'), '{"name":"app","private":true}');
  const root = join(dir, 'node_modules', 'faasport');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'faasport', devDependencies: { 'aws-lambda-ric': '^3.3.0', azurite: '3.35', '@azure/functions': '^4.16.5' } }));
  for (const [name, version] of Object.entries(installed)) {
    mkdirSync(join(dir, 'node_modules', name), { recursive: true });
    writeFileSync(join(dir, 'node_modules', name, 'package.json'), JSON.stringify({ name, version }));
  }
  for (const file of files) {
    mkdirSync(join(dir, 'node_modules', file, '..'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', file), '');
  }
  return { dir, paths: { mode: 'dist', root, modules: {} as FaasportPaths['modules'] } };
}

const allTools = () => true;

describe('emulator prerequisites', () => {
  it('finds the packages from where faasport is installed, with their versions and the tested ranges', () => {
    const { paths } = project({ '@azure/functions': '4.16.5', azurite: '3.35.0' });
    const [azure] = inspect(['azure'], paths, allTools);
    expect(azure).toMatchObject({ provider: 'azure', ready: true, missingTools: [] });
    expect(azure!.packages.map((p) => [p.pkg.name, p.version, p.range])).toEqual([
      ['@azure/functions', '4.16.5', '^4.16.5'],
      ['azurite', '3.35.0', '3.35'],
    ]);
  });

  it('names a missing package, and an aws-lambda-ric installed without its native build', () => {
    const { paths } = project({ 'aws-lambda-ric': '3.3.0' });
    const [aws] = inspect(['aws'], paths, allTools);
    expect(aws!.ready).toBe(false);
    expect(aws!.packages.map((p) => [p.pkg.name, p.problem])).toEqual([
      ['@aws-sdk/client-lambda', 'not installed'],
      ['aws-lambda-ric', 'installed but not built (dist/rapid-client.node is missing)'],
    ]);
    const built = project({ 'aws-lambda-ric': '3.3.0', '@aws-sdk/client-lambda': '3.1164.0' }, ['aws-lambda-ric/dist/rapid-client.node']);
    expect(inspect(['aws'], built.paths, allTools)[0]!.ready).toBe(true);
  });

  it('lists the build tools aws-lambda-ric compiles with only while it still has to be built', () => {
    const noCmake = (command: string) => command !== 'cmake' && command !== 'libtoolize';
    expect(inspect(['aws'], project({}).paths, noCmake)[0]!.missingTools).toEqual(['libtool', 'cmake']);
    const built = project({ 'aws-lambda-ric': '3.3.0', '@aws-sdk/client-lambda': '3.1' }, ['aws-lambda-ric/dist/rapid-client.node']);
    expect(inspect(['aws'], built.paths, noCmake)[0]!.missingTools).toEqual([]);
  });

  it('refuses to start a provider that is not set up with a setup error naming each package and the command', () => {
    const { dir, paths } = project({ '@azure/functions': '4.16.5' });
    let error: unknown;
    try {
      assertReady(['azure'], dir, paths);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SetupError);
    expect((error as SetupError).message).toBe('the local emulators are not set up: azure needs azurite (not installed)');
    expect((error as SetupError).fixes).toEqual(['npx faasport setup --provider azure', 'npm install --save-dev --no-fund --no-audit azurite@3.35']);
    expect(() => assertReady(['gcp'], dir, project({ '@google-cloud/functions-framework': '5.0.5' }).paths)).not.toThrow();
  });

  it('installs with the package manager whose lock file the project has, quoting ranges for the shell', () => {
    const { dir } = project({});
    expect(packageManager(dir)).toBe('npm');
    writeFileSync(join(dir, 'pnpm-lock.yaml'), '');
    expect(packageManager(dir)).toBe('pnpm');
    expect(shellLine(addDevCommand('pnpm', ['aws-lambda-ric@^3.3.0']))).toBe("pnpm add -D 'aws-lambda-ric@^3.3.0'");
  });

  it('reads the package a module-not-found error names, and a busy port as an environment problem', () => {
    const esm = Object.assign(new Error("Cannot find package '@aws-sdk/client-lambda' imported from /x/dist/chunk.js"), { code: 'ERR_MODULE_NOT_FOUND' });
    expect(missingPackage(esm)).toBe('@aws-sdk/client-lambda');
    const cjs = Object.assign(new Error("Cannot find module 'aws-lambda-ric/bin/index.mjs'"), { code: 'MODULE_NOT_FOUND' });
    expect(missingPackage(cjs)).toBe('aws-lambda-ric');
    expect(missingPackage(Object.assign(new Error("Cannot find module './local.js'"), { code: 'MODULE_NOT_FOUND' }))).toBeUndefined();
    const busy = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', port: 8787 });
    expect(environmentProblem(busy)?.message).toBe('port 8787 is already in use');
  });
});

describe('faasport doctor and setup in this repository (every emulator package installed)', () => {
  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
    return { io: { cwd: process.cwd(), out: (l: string) => out.push(strip(l)), err: (l: string) => err.push(strip(l)) }, out, err };
  };
  it('doctor reports every provider ready and exits 0', async () => {
    const { io, out } = capture();
    expect(await main(['node', 'faasport', 'doctor'], io)).toBe(0);
    for (const provider of ['aws', 'azure', 'gcp']) expect(out).toContain(`✔ ${provider} ready`);
    expect(out.join('\n')).toMatch(/✔ aws-lambda-ric@3\.3\.0 \(tested with \^3\.3\.0;/);
  });
  it('setup has nothing to install and exits 0', async () => {
    const { io, out } = capture();
    expect(await main(['node', 'faasport', 'setup', '--provider', 'gcp'], io)).toBe(0);
    expect(out[0]).toBe('✔ nothing to install for gcp');
  });
});
