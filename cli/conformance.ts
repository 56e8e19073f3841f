/** `faasport conformance`: build the app and run cases on each provider's local emulator. */
import type { CAC } from 'cac';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import pc from 'picocolors';
import { loadCases } from './cases.js';
import { assertReady } from './doctor.js';
import { UsageError } from './errors.js';
import type { Io, Run } from './io.js';
import { loadConformance } from './load-conformance.js';
import { providersFlag } from './flags.js';

export interface ConformanceFlags {
  provider?: string;
  out?: string;
  cases?: string;
  reporter?: string;
  output?: string;
}

const REPORTERS = ['table', 'junit'] as const;

export async function runConformanceCommand(io: Io, entries: string[], flags: ConformanceFlags): Promise<number> {
  if (entries.length > 0 && !flags.cases) {
    throw new UsageError(
      "faasport's built-in cases test its own fixture app; to test your app, pass your cases too: faasport conformance src --cases conformance.ts",
    );
  }
  const reporter = flags.reporter ?? 'table';
  if (!(REPORTERS as readonly string[]).includes(reporter)) throw new UsageError(`--reporter must be one of ${REPORTERS.join(', ')} (got "${reporter}")`);
  if (reporter === 'junit' && !flags.output) throw new UsageError('--reporter junit writes a file: add --output FILE, e.g. --output conformance.xml');
  const providers = providersFlag(flags.provider);
  assertReady(providers, io.cwd);
  const { runConformance } = await loadConformance();
  const cases = flags.cases ? await loadCases(flags.cases, io.cwd) : undefined;
  const report = await runConformance({
    ...(entries.length > 0 ? { entries } : {}),
    ...(cases ? { cases } : {}),
    providers,
    ...(flags.out ? { outDir: resolve(io.cwd, flags.out) } : {}),
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
    .command('conformance [...entries]', "Build the app and run the conformance suite on each provider's local emulator (default: faasport's fixture app)")
    .option('--provider <provider>', 'aws, azure, gcp, a comma list, or all', { default: 'all' })
    .option('--out <dir>', 'Keep the built output here (default: a temporary folder)')
    .option('--cases <file>', 'Your cases: a module exporting `cases`, an array of defineCase() from faasport/conformance')
    .option('--reporter <name>', 'table (default; always printed) or junit (also writes --output FILE as JUnit XML)')
    .option('--output <file>', 'Where --reporter junit writes its XML')
    .example('faasport conformance src --cases conformance.ts')
    .example('faasport conformance src --cases conformance.ts --reporter junit --output conformance.xml')
    .action((entries: string[], flags: ConformanceFlags) => run(() => runConformanceCommand(io, entries, flags)));
}
