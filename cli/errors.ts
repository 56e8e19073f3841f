/**
 * The CLI's own error kinds; program.ts maps each to its exit code (see EXIT_CODES): a source mistake is 1
 * (CodegenError, from codegen/), a usage or setup problem 2, a bug of faasport's own 3.
 */

export const EXIT_CODES = {
  ok: 0,
  /** A conformance case or an invoked function failed, or the user's source is wrong (check, build). */
  failed: 1,
  /** A bad command line, or the environment is missing something (a package, a tool, a free port). */
  usageOrSetup: 2,
  /** faasport itself failed: a bug to report. */
  internal: 3,
} as const;

/** A bad flag value, unknown function name, ...: not about source code. */
export class UsageError extends Error {}

/** The environment lacks something the command needs; `fixes` are the exact commands that provide it. */
export class SetupError extends Error {
  constructor(
    message: string,
    readonly fixes: readonly string[] = [],
  ) {
    super(message);
  }
}

/** The npm package an ESM or CommonJS "cannot find" error names, if it is one. */
export function missingPackage(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return undefined;
  const message = error instanceof Error ? error.message : String(error);
  const spec = /Cannot find (?:package|module) '([^']+)'/.exec(message)?.[1];
  if (!spec || spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('file:')) return undefined;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** A system error about the environment (a port in use, no permission), with what to do. */
export function environmentProblem(error: unknown): SetupError | undefined {
  const e = error as { code?: unknown; port?: unknown; address?: unknown; message?: unknown } | undefined;
  if (e?.code === 'EADDRINUSE') {
    return new SetupError(`port ${String(e.port ?? '?')} is already in use`, ['pass another --port, or stop the process that listens there']);
  }
  if (e?.code === 'EACCES' && e.port !== undefined) return new SetupError(`no permission to listen on port ${String(e.port)}`, ['pass a --port above 1023']);
  return undefined;
}
