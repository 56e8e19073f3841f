/**
 * Cloud Logging structured logging: one JSON object a line on stdout/stderr, with `severity` and
 * `message`; the logging agent turns every other field into `jsonPayload`.
 */
import type { LogSink } from '../../core/log.js';
import { serializeError, stringifyLogEntry } from '../../core/log.js';
import type { Context, LogFields, LogLevel } from '../../core/types.js';

export const SEVERITY = { debug: 'DEBUG', info: 'INFO', warn: 'WARNING', error: 'ERROR' } as const satisfies Record<
  LogLevel,
  string
>;

/** Cloud Logging groups entries carrying this label per execution, as the framework's own logs do. */
export const LABELS_KEY = 'logging.googleapis.com/labels';

export interface LogBase {
  readonly function: string;
  readonly invocationId: string;
}

/** Formats one entry (pure). Never throws: fields that cannot be serialized are replaced by a note. */
export function formatLogEntry(level: LogLevel, message: string, fields: LogFields | undefined, base: LogBase): string {
  const entry: Record<string, unknown> = { severity: SEVERITY[level], message };
  let stack: string | undefined;
  for (const key in fields) {
    if (key === 'severity' || key === 'message') continue; // ours win: Cloud Logging reads them
    const value = fields[key];
    if (value instanceof Error) {
      entry[key] = serializeError(value);
      stack ??= value.stack;
    } else {
      entry[key] = value;
    }
  }
  entry.function = base.function;
  entry.invocationId = base.invocationId;
  entry[LABELS_KEY] = { execution_id: base.invocationId };
  // Error Reporting picks up an ERROR entry whose `stack_trace` holds a stack.
  // Stryker disable next-line ConditionalExpression: an ERROR entry with no Error field would get stack_trace undefined, which JSON.stringify leaves out
  if (stack !== undefined && level === 'error') entry.stack_trace = stack;
  return stringifyLogEntry(entry, {
    severity: SEVERITY[level],
    message,
    function: base.function,
    invocationId: base.invocationId,
    [LABELS_KEY]: { execution_id: base.invocationId },
  });
}

/** The sink of one invocation's context, made on its first log line. */
export const contextLoggingSink = (ctx: Pick<Context, 'functionName' | 'invocationId'>): LogSink =>
  cloudLoggingSink({ function: ctx.functionName, invocationId: ctx.invocationId });

/** Writes entries the way Cloud Run captures them; warnings and errors go to stderr for local readability. */
export const cloudLoggingSink =
  (base: LogBase): LogSink =>
  (level, message, fields) => {
    const line = formatLogEntry(level, message, fields, base);
    if (level === 'error' || level === 'warn') console.error(line);
    else console.log(line);
  };
