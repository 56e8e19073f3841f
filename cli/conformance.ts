/** `faasport conformance`: build the app and run cases on each provider's local emulator. */
import type { CAC } from 'cac';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import pc from 'picocolors';
import { loadConfig } from '../codegen/config.js';
import { defaultEntries } from '../codegen/entries.js';
import { loadCases } from './cases.js';
import { assertReady } from './doctor.js';
import { UsageError } from './errors.js';
import type { Io, Run } from './io.js';
import { loadConformance } from './load-conformance.js';
import { atLeastOnceFlag, providersFlag } from './flags.js';

export interface ConformanceFlags {
  provider?: string;
  out?: string;
  cases?: string;
  reporter?: string;
  output?: string;
  /** `--at-least-once [rate]`: true for the bare flag, else the rate as given. */
  atLeastOnce?: boolean | number | string;
}

const REPORTERS = ['table', 'junit'] as const;

/** `build`'s default ENTRY: faasport.config.ts `entries`, else `src` if it exists, else the project folder. */
async function projectEntries(cwd: string): Promise<string[]> {
  const configured = (await loadConfig(cwd))?.config.entries;
  return configured && configured.length > 0 ? [...configured] : defaultEntries(cwd);
}

export async function runConformanceCommand(io: Io, entries: string[], flags: ConformanceFlags): Promise<number> {
  if (entries.length > 0 && !flags.cases) {
    throw new UsageError(
      "faasport's built-in cases test its own fixture app; to test your app, pass your cases too: faasport conformance src --cases conformance.ts",
    );
  }
  const reporter = flags.reporter ?? 'table';
  if (!(REPORTERS as readonly string[]).includes(reporter)) throw new UsageError(`--reporter must be one of ${REPORTERS.join(', ')} (got "${reporter}")`);
  if (reporter === 'junit' && !flags.output) throw new UsageError('--reporter junit writes a file: add --output FILE, e.g. --output conformance.xml');
  if (flags.cases && !existsSync(resolve(io.cwd, flags.cases))) {
    throw new UsageError(`--cases ${flags.cases} does not exist (looked in ${io.cwd}); give the module that exports your cases, e.g. --cases conformance.ts`);
  }
  const providers = providersFlag(flags.provider);
  const atLeastOnce = atLeastOnceFlag(flags.atLeastOnce);
  assertReady(providers, io.cwd);
  const { runConformance } = await loadConformance();
  const cases = flags.cases ? await loadCases(flags.cases, io.cwd) : undefined;
  // The user's cases test the user's app: with no ENTRY, build the project's functions as `build` does.
  const appEntries = entries.length > 0 || !flags.cases ? entries : await projectEntries(io.cwd);
  const report = await runConformance({
    ...(appEntries.length > 0 ? { entries: appEntries } : {}),
    ...(cases ? { cases } : {}),
    providers,
    ...(flags.out ? { outDir: resolve(io.cwd, flags.out) } : {}),
    ...(atLeastOnce ? { atLeastOnce } : {}),
    cwd: io.cwd,
    onResult: (r) => io.out(`${r.passed ? pc.green('✔') : pc.red('✘')} ${r.provider.padEnd(5)} ${r.name}${r.passed ? '' : pc.red(`: ${r.error ?? ''}`)}`),
  });
  io.out('');
  io.out(report.table);
  if (reporter === 'junit' && flags.output) {
    const file = resolve(io.cwd, flags.output);
    await writeFile(file, report.junit());
    io.out(`JUnit XML written to ${file}`);
  }
  return report.passed ? 0 : 1;
}

export function conformanceCommand(cli: CAC, io: Io, run: Run): void {
  cli
    .command(
      'conformance [...entries]',
      "Build your app (ENTRY, default as for build) and run your --cases on each provider's local emulator; without --cases, faasport's built-in suite on its own fixture app",
    )
    .option('--provider <provider>', 'aws, azure, gcp, a comma list, or all', { default: 'all' })
    .option('--out <dir>', 'Keep the built output here (default: a temporary folder)')
    .option('--cases <file>', 'Your cases: a module exporting `cases`, an array of defineCase() from faasport/conformance')
    .option('--reporter <name>', 'table (default; always printed) or junit (also writes --output FILE as JUnit XML)')
    .option('--output <file>', 'Where --reporter junit writes its XML')
    .option(
      '--at-least-once [rate]',
      'Deliver each handled message once more, as every platform sometimes does, at this rate from 0 to 1 (default 1), to prove handlers idempotent',
    )
    .example('faasport conformance src --cases conformance.ts')
    .example('faasport conformance src --cases conformance.ts --reporter junit --output conformance.xml')
    .example('faasport conformance src --cases conformance.ts --at-least-once')
    .action((entries: string[], flags: ConformanceFlags) => run(() => runConformanceCommand(io, entries, flags)));
}
