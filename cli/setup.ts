/**
 * `faasport setup`: installs the emulator packages at the versions faasport is tested with as devDependencies of
 * the user's project, after checking the system tools aws-lambda-ric compiles with; prints the exact command for
 * what it cannot install itself (system packages need root).
 */
import type { CAC } from 'cac';
import { spawn } from 'node:child_process';
import pc from 'picocolors';
import { printStates } from './doctor.js';
import { SetupError } from './errors.js';
import type { Io, Run } from './io.js';
import { addDevCommand, aptCommand, inspect, installSpec, packageManager, projectRoot, shellLine } from './prerequisites.js';
import { providersFlag } from './flags.js';

export interface SetupFlags {
  provider?: string;
  dryRun?: boolean;
}

/** Runs `argv` in `cwd`, forwarding its output line by line; resolves with its exit code. */
function runCommand(io: Io, argv: readonly string[], cwd: string): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const forward = (write: (line: string) => void) => (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) write(pc.dim(`  ${line}`));
    };
    child.stdout.on('data', forward((l) => io.out(l)));
    child.stderr.on('data', forward((l) => io.err(l)));
    child.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ENOENT' ? fail(new SetupError(`${argv[0]} is not on PATH`, [shellLine(argv)])) : fail(error),
    );
    child.once('exit', (code) => done(code ?? 1));
  });
}

export async function runSetup(io: Io, flags: SetupFlags): Promise<number> {
  const providers = providersFlag(flags.provider);
  const project = projectRoot(io.cwd);
  if (!project) throw new SetupError(`no package.json in ${io.cwd} or above: setup installs into your project's devDependencies`, ['npm init -y']);
  const before = inspect(providers);
  const tools = [...new Set(before.flatMap((s) => s.missingTools))];
  if (tools.length > 0) {
    io.err(`${pc.red('✘')} aws-lambda-ric compiles at install and needs ${tools.join(' ')}; install them first (needs root):`);
    io.err(`    ${aptCommand(tools)}`);
  }
  // Without its build tools aws-lambda-ric's install fails, so it waits; the other packages go ahead.
  const installable = before.flatMap((s) => s.packages.filter((p) => p.problem && !(p.pkg.builtFile && s.missingTools.length > 0)));
  const manager = packageManager(project);
  if (installable.length === 0) {
    io.out(`${pc.green('✔')} nothing to install for ${providers.join(', ')}`);
  } else {
    const argv = addDevCommand(manager, installable.map(installSpec));
    io.out(`${flags.dryRun ? 'would run' : 'running'} in ${project}: ${shellLine(argv)}`);
    if (installable.some((p) => p.pkg.builtFile)) io.out(pc.dim('  (aws-lambda-ric compiles native code while it installs: allow several minutes on a small machine)'));
    if (!flags.dryRun) {
      const code = await runCommand(io, argv, project);
      if (code !== 0) throw new SetupError(`${manager} exited with code ${code} while installing ${installable.map((p) => p.pkg.name).join(', ')}`, [shellLine(argv)]);
    }
  }
  const after = flags.dryRun ? before : inspect(providers);
  printStates(io, after);
  const ready = after.every((s) => s.ready);
  if (ready) io.out(`${pc.green('✔')} ready: faasport dev and faasport conformance can run on ${providers.join(', ')}`);
  return ready || flags.dryRun ? 0 : 2;
}

export function setupCommand(cli: CAC, io: Io, run: Run): void {
  cli
    .command('setup', "Install the local emulators' packages (devDependencies, at the versions faasport is tested with) and check the system tools they need")
    .option('--provider <provider>', 'aws, azure, gcp, a comma list, or all', { default: 'all' })
    .option('--dry-run', 'Print what would be installed, install nothing')
    .example('faasport setup --provider gcp')
    .action((flags: SetupFlags) => run(() => runSetup(io, flags)));
}
