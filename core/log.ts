import type { LogFields, Logger, LogLevel } from './types.js';

export type LogSink = (level: LogLevel, message: string, fields: LogFields | undefined) => void;

/** One JSON object a line: what CloudWatch, Application Insights and Cloud Logging all parse. */
export const jsonLineSink =
  (base: LogFields): LogSink =>
  (level, message, fields) => {
    const line = stringifyLogEntry({ level, message, ...base, ...serializeFields(fields) }, { level, message, ...base });
    if (level === 'error' || level === 'warn') console.error(line);
    else console.log(line);
  };

/**
 * A logger that never throws: a log line is never worth failing an invocation (or a whole SQS batch) for.
 * A sink that throws anyway (a user's, or console itself) loses that one line.
 */
export function createLogger(sink: LogSink): Logger {
  const write = (level: LogLevel, message: string, fields: LogFields | undefined) => {
    try {
      sink(level, message, fields);
    } catch {
      // Nothing sensible is left to report to: the sink is the report.
    }
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}

/**
 * JSON.stringify of a log entry that always gives a line: on the rare entry plain JSON refuses (a BigInt, a
 * cycle, a throwing getter or toJSON), BigInts become decimal text and repeated objects "[Circular]"; when even
 * that fails, `minimal` (the level, message and base fields) with a note of what went wrong.
 */
export function stringifyLogEntry(entry: object, minimal: object): string {
  try {
    return JSON.stringify(entry);
  } catch {
    try {
      return JSON.stringify(entry, tolerantReplacer());
    } catch (error) {
      return JSON.stringify({ ...minimal, logError: `faasport: the log fields could not be serialized (${errorText(error)})` });
    }
  }
}

function tolerantReplacer(): (this: unknown, key: string, value: unknown) => unknown {
  const seen = new WeakSet<object>();
  return (_key, value) => {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) return '[Circular]';
      seen.add(value);
    }
    return value;
  };
}

function errorText(error: unknown): string {
  try {
    return error instanceof Error ? String(error.message) : String(error);
  } catch {
    return 'unprintable error';
  }
}

/** Errors do not survive JSON.stringify; turn them (and their `cause` chain) into plain objects. Never throws. */
export function serializeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return error;
  try {
    const out: Record<string, unknown> = { name: error.name, message: error.message, stack: error.stack };
    if (error.cause !== undefined && depth < 5) out.cause = serializeError(error.cause, depth + 1);
    return out;
  } catch (reading) {
    // A getter on the error threw (a hostile or broken error class).
    return { name: 'Error', message: `faasport: the error could not be read (${errorText(reading)})` };
  }
}

function serializeFields(fields: LogFields | undefined): LogFields | undefined {
  if (!fields) return fields; // (a speed-up: for-in over undefined runs no iteration)
  let out: LogFields | undefined;
  // Copies only when a field is an Error (serializeError passes other values through, so copying always would
  // give the same line).
  for (const key in fields) {
    if (fields[key] instanceof Error) (out ??= { ...fields })[key] = serializeError(fields[key]);
  }
  return out ?? fields;
}
