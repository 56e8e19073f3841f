/**
 * The `faasport` command line, one module per verb. `main()` returns the exit code (EXIT_CODES in errors.ts):
 * 0 ok, 1 a case or an invoked function failed or the source is wrong, 2 usage or setup error, 3 a faasport bug.
 */
import { cac, type CAC } from 'cac';
import pc from 'picocolors';
import { CodegenError, formatProblem } from '../codegen/errors.js';
import { faasportVersion } from '../codegen/faasport-paths.js';
import { buildCommand } from './build.js';
import { checkCommand } from './check.js';
import { conformanceCommand } from './conformance.js';
import { devCommand } from './dev.js';
import { doctorCommand } from './doctor.js';
import { environmentProblem, EXIT_CODES, missingPackage, SetupError, UsageError } from './errors.js';
import { invokeCommand } from './invoke.js';
import { defaultIo, type Io, type Run } from './io.js';
import { setupCommand } from './setup.js';

export type { Io } from './io.js';

export const EXIT_CODES_HELP = [
  '0  ok: built, checked, every case passed',
  '1  failed: a conformance case or an invoked function failed, or your source is wrong (check, build)',
  '2  usage or setup error: a bad command line, or a missing package, tool or free port (see faasport doctor)',
  '3  internal error: a bug in faasport (please report it with --debug output)',
].join('\n');

export function createCli(io: Io, run: Run): CAC {
  const cli = cac('faasport');
  for (const command of [buildCommand, checkCommand, invokeCommand, devCommand, conformanceCommand, setupCommand, doctorCommand]) command(cli, io, run);
  cli.option('--debug', 'Print stack traces of errors');
  cli.help((sections) => [...sections, { title: 'Exit codes', body: EXIT_CODES_HELP.replace(/^/gm, '  ') }]);
  cli.version(faasportVersion());
  return cli;
}

function reportSetup(io: Io, error: SetupError): number {
  io.err(`${pc.red('setup error')} ${error.message}`);
  for (const fix of error.fixes) io.err(`  fix: ${fix}`);
  return EXIT_CODES.usageOrSetup;
}

/** Runs the CLI with `argv` as in process.argv (node, script, ...args) and returns the exit code. */
export async function main(argv: readonly string[] = process.argv, io: Io = defaultIo()): Promise<number> {
  const debug = argv.includes('--debug');
  const report = (error: unknown): number => {
    if (error instanceof CodegenError) {
      for (const problem of error.problems) io.err(`${pc.red('error')} ${formatProblem(problem)}`);
      return EXIT_CODES.failed;
    }
    if (error instanceof UsageError || (error instanceof Error && error.name === 'CACError')) {
      io.err(`${pc.red('error')} ${error.message}`);
      return EXIT_CODES.usageOrSetup;
    }
    if (error instanceof SetupError) return reportSetup(io, error);
    const environment = environmentProblem(error);
    if (environment) return reportSetup(io, environment);
    const pkg = missingPackage(error);
    if (pkg) return reportSetup(io, new SetupError(`the package ${pkg} is not installed`, ['npx faasport doctor', `npm install --save-dev ${pkg}`]));
    const message = error instanceof Error ? (debug ? (error.stack ?? error.message) : error.message) : String(error);
    io.err(`${pc.red('internal error')} ${message}${debug ? '' : pc.dim(' (run with --debug for the stack trace)')}`);
    return EXIT_CODES.internal;
  };
  let task: Promise<number> | undefined;
  try {
    const cli = createCli(io, (t) => {
      task = t();
    });
    cli.parse([...argv], { run: false });
    if (cli.options.help || cli.options.version) return EXIT_CODES.ok;
    if (!cli.matchedCommand) {
      const unknown = cli.args[0];
      io.err(`${pc.red('error')} ${unknown ? `unknown command "${unknown}"` : 'missing command'}; run faasport --help`);
      return EXIT_CODES.usageOrSetup;
    }
    cli.runMatchedCommand(); // calls the action synchronously, which sets `task`
    return task ? await task : EXIT_CODES.ok;
  } catch (error) {
    return report(error);
  }
}
