/** The CLI's own error kinds; program.ts maps each to its exit code. */

/** A bad flag value, unknown function name, ...: not about source code. */
export class UsageError extends Error {}

/** A missing piece of faasport itself (exit 2). */
export class InternalError extends Error {}
