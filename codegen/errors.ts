/** User-facing codegen errors: each problem names where it is (file:line:col) and what to change. */

export interface SourceLocation {
  /** Posix path relative to the working directory. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface Problem {
  readonly message: string;
  readonly at?: SourceLocation;
}

export const formatLocation = (at: SourceLocation): string => `${at.file}:${at.line}:${at.column}`;

export const formatProblem = (problem: Problem): string =>
  problem.at ? `${formatLocation(problem.at)}: ${problem.message}` : problem.message;

/**
 * The user's input is wrong (source, options, CLI flags): the CLI prints the message without a stack
 * and exits with 1. Several problems are reported together so one run shows everything to fix.
 */
export class CodegenError extends Error {
  override name = 'CodegenError';
  readonly problems: readonly Problem[];

  constructor(problems: Problem | readonly Problem[]) {
    const list = Array.isArray(problems) ? (problems as readonly Problem[]) : [problems as Problem];
    super(list.length === 1 ? formatProblem(list[0]!) : `${list.length} problems:\n${list.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    this.problems = list;
  }
}

export const isCodegenError = (error: unknown): error is CodegenError => error instanceof CodegenError;
