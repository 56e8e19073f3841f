/** `faasport check`: discover and validate without writing anything. */
import type { CAC } from 'cac';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import pc from 'picocolors';
import { DEFAULT_OUT_DIR } from '../codegen/build.js';
import { discover } from '../codegen/discover.js';
import { assertValid } from '../codegen/validate.js';
import { ENTRIES_HELP } from './build.js';
import { describeTrigger, ms, table, type Io, type Run } from './io.js';
import { providersFlag } from './flags.js';

export async function runCheck(io: Io, entries: string[], flags: { provider?: string }): Promise<number> {
  const started = performance.now();
  const providers = providersFlag(flags.provider);
  const { functions, files } = discover({ entries, cwd: io.cwd, exclude: [resolve(io.cwd, DEFAULT_OUT_DIR)] });
  assertValid(functions, providers);
  for (const line of table(functions.map((fn) => [fn.name, fn.kind, describeTrigger(fn), `${fn.file}:${fn.line}`]))) io.out(line);
  io.out(
    `${pc.green('✔')} ${functions.length} function${functions.length === 1 ? '' : 's'} in ${files.length} files, valid for ${providers.join(', ')} (${ms(performance.now() - started)})`,
  );
  return 0;
}

export function checkCommand(cli: CAC, io: Io, run: Run): void {
  cli
    .command('check [...entries]', `Discover and validate functions without writing anything. ${ENTRIES_HELP}`)
    .option('--provider <provider>', 'Validate names and triggers for these providers', { default: 'all' })
    .example('faasport check src')
    .action((entries: string[], flags: { provider?: string }) => run(() => runCheck(io, entries, flags)));
}
