import type { LogFields, Logger, LogLevel } from './types.js';

export type LogSink = (level: LogLevel, message: string, fields: LogFields | undefined) => void;

/** One JSON object a line: what CloudWatch, Application Insights and Cloud Logging all parse. */
export const jsonLineSink =
  (base: LogFields): LogSink =>
  (level, message, fields) => {
    const line = JSON.stringify({ level, message, ...base, ...serializeFields(fields) });
    if (level === 'error' || level === 'warn') console.error(line);
    else console.log(line);
  };

export function createLogger(sink: LogSink): Logger {
  return {
    debug: (message, fields) => sink('debug', message, fields),
    info: (message, fields) => sink('info', message, fields),
    warn: (message, fields) => sink('warn', message, fields),
    error: (message, fields) => sink('error', message, fields),
  };
}

/** Errors do not survive JSON.stringify; turn them (and their `cause` chain) into plain objects. */
export function serializeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return error;
  const out: Record<string, unknown> = { name: error.name, message: error.message, stack: error.stack };
  if (error.cause !== undefined && depth < 5) out.cause = serializeError(error.cause, depth + 1);
  return out;
}

function serializeFields(fields: LogFields | undefined): LogFields | undefined {
  if (!fields) return fields;
  let out: LogFields | undefined;
  for (const key in fields) {
    if (fields[key] instanceof Error) (out ??= { ...fields })[key] = serializeError(fields[key]);
  }
  return out ?? fields;
}
