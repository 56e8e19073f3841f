/** `faasport doctor`: per provider, what the local emulator needs, what is present, what is missing and how to fix it. */
import type { CAC } from 'cac';
import pc from 'picocolors';
import type { Provider } from '../core/types.js';
import type { FaasportPaths } from '../codegen/faasport-paths.js';
import { SetupError } from './errors.js';
import type { Io, Run } from './io.js';
import { addDevCommand, aptCommand, inspect, installSpec, packageManager, projectRoot, shellLine, type ProviderState } from './prerequisites.js';
import { providersFlag } from './flags.js';

const MIN_NODE_MAJOR = 20;

/** The exact commands that make `state` ready, in order. */
export function fixesFor(state: ProviderState, cwd: string): string[] {
  const missing = state.packages.filter((p) => p.problem);
  if (missing.length === 0) return [];
  const manager = packageManager(projectRoot(cwd) ?? cwd);
  return [...(state.missingTools.length > 0 ? [aptCommand(state.missingTools)] : []), shellLine(addDevCommand(manager, missing.map(installSpec)))];
}

export function printStates(io: Io, states: readonly ProviderState[]): void {
  for (const state of states) {
    io.out(`${state.ready ? pc.green('✔') : pc.red('✘')} ${pc.bold(state.provider)} ${state.ready ? 'ready' : 'not ready'}`);
    for (const p of state.packages) {
      const mark = p.problem ? pc.red('✘') : pc.green('✔');
      io.out(`    ${mark} ${p.pkg.name}${p.version ? `@${p.version}` : ''} ${pc.dim(`(${p.problem ?? `tested with ${p.range}`}; ${p.pkg.role})`)}`);
    }
    if (state.missingTools.length > 0) io.out(`    ${pc.red('✘')} build tools for aws-lambda-ric: ${state.missingTools.join(' ')} missing`);
    for (const fix of fixesFor(state, io.cwd)) io.out(`    fix: ${fix}`);
  }
}

function nodeProblem(): string | undefined {
  const major = Number(process.versions.node.split('.')[0]);
  return major < MIN_NODE_MAJOR ? `Node ${process.version} is too old; faasport needs Node ${MIN_NODE_MAJOR} or newer` : undefined;
}

/** Refuses to start emulators that cannot run, before any build: a setup error naming each package and its command. */
export function assertReady(providers: readonly Provider[], cwd: string, paths?: FaasportPaths): void {
  const notReady = inspect(providers, paths).filter((s) => !s.ready);
  if (notReady.length === 0) return;
  const what = notReady.map((s) => `${s.provider} needs ${s.packages.filter((p) => p.problem).map((p) => `${p.pkg.name} (${p.problem})`).join(', ')}`).join('; ');
  const providersFlag = notReady.length === 1 ? ` --provider ${notReady[0]!.provider}` : '';
  throw new SetupError(`the local emulators are not set up: ${what}`, [`npx faasport setup${providersFlag}`, ...notReady.flatMap((s) => fixesFor(s, cwd))]);
}

export async function runDoctor(io: Io, flags: { provider?: string }): Promise<number> {
  const node = nodeProblem();
  io.out(`${node ? pc.red('✘') : pc.green('✔')} Node ${process.version}${node ? `: ${node}` : ''}`);
  const states = inspect(providersFlag(flags.provider));
  printStates(io, states);
  const ready = !node && states.every((s) => s.ready);
  io.out(ready ? `${pc.green('✔')} everything the chosen emulators need is present` : `${pc.red('✘')} run the fixes above, or: npx faasport setup`);
  return ready ? 0 : 2;
}

export function doctorCommand(cli: CAC, io: Io, run: Run): void {
  cli
    .command('doctor', 'Report, per provider, what the local emulators need, what is present and how to fix what is missing (exit 2 if anything is)')
    .option('--provider <provider>', 'aws, azure, gcp, a comma list, or all', { default: 'all' })
    .example('faasport doctor --provider aws')
    .action((flags: { provider?: string }) => run(() => runDoctor(io, flags)));
}
