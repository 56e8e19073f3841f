/**
 * The `faasport` command line, one module per verb. `main()` returns the exit code:
 * 0 ok, 1 the user's input is wrong (clear message, no stack unless --debug), 2 faasport failed.
 */
import { cac, type CAC } from 'cac';
import pc from 'picocolors';
import { CodegenError, formatProblem } from '../codegen/errors.js';
import { faasportVersion } from '../codegen/faasport-paths.js';
import { buildCommand } from './build.js';
import { checkCommand } from './check.js';
import { conformanceCommand } from './conformance.js';
import { devCommand } from './dev.js';
import { UsageError } from './errors.js';
import { invokeCommand } from './invoke.js';
import { defaultIo, type Io, type Run } from './io.js';

export type { Io } from './io.js';

export function createCli(io: Io, run: Run): CAC {
  const cli = cac('faasport');
  for (const command of [buildCommand, checkCommand, conformanceCommand, devCommand, invokeCommand]) command(cli, io, run);
  cli.option('--debug', 'Print stack traces of errors');
  cli.help();
  cli.version(faasportVersion());
  return cli;
}

/** Runs the CLI with `argv` as in process.argv (node, script, ...args) and returns the exit code. */
export async function main(argv: readonly string[] = process.argv, io: Io = defaultIo()): Promise<number> {
  const debug = argv.includes('--debug');
  const report = (error: unknown): number => {
    if (error instanceof CodegenError) {
      for (const problem of error.problems) io.err(`${pc.red('error')} ${formatProblem(problem)}`);
      return 1;
    }
    if (error instanceof UsageError || (error instanceof Error && error.name === 'CACError')) {
      io.err(`${pc.red('error')} ${error.message}`);
      return 1;
    }
    const message = error instanceof Error ? (debug ? (error.stack ?? error.message) : error.message) : String(error);
    io.err(`${pc.red('internal error')} ${message}${debug ? '' : pc.dim(' (run with --debug for the stack trace)')}`);
    return 2;
  };
  let task: Promise<number> | undefined;
  try {
    const cli = createCli(io, (t) => {
      task = t();
    });
    cli.parse([...argv], { run: false });
    if (cli.options.help || cli.options.version) return 0;
    if (!cli.matchedCommand) {
      const unknown = cli.args[0];
      io.err(`${pc.red('error')} ${unknown ? `unknown command "${unknown}"` : 'missing command'}; run faasport --help`);
      return 1;
    }
    cli.runMatchedCommand(); // calls the action synchronously, which sets `task`
    return task ? await task : 0;
  } catch (error) {
    return report(error);
  }
}
