/** Flag values parsed by codegen/ (which reports a bad one as a CodegenError) turned into usage errors (exit 2). */
import { parseAwsHttpEvents } from '../codegen/aws-http-events.js';
import { parseProviders } from '../codegen/build.js';
import { CodegenError } from '../codegen/errors.js';
import type { AtLeastOnceOptions } from '../conformance-tests/emulators/index.js';
import { UsageError } from './errors.js';

/** Calls `parse`; a CodegenError about the flag's value becomes a UsageError with the same message. */
export function flagValue<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof CodegenError) throw new UsageError(error.message);
    throw error;
  }
}

export const providersFlag = (value: string | readonly string[] | undefined) => flagValue(() => parseProviders(value));
export const awsHttpEventsFlag = (value: string | string[] | undefined) => flagValue(() => parseAwsHttpEvents(value));

/**
 * `--at-least-once [rate]`: every emulator delivers each handled message once more at `rate` (0 to 1; the bare flag
 * means 1). Undefined when the flag is absent.
 */
export function atLeastOnceFlag(value: unknown): AtLeastOnceOptions | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true || value === '') return { duplicateRate: 1 };
  const rate = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!(rate >= 0 && rate <= 1)) {
    throw new UsageError(
      `--at-least-once takes a duplicate rate from 0 to 1 (got "${String(value)}"); write --at-least-once=0.5, or put the flag after the ENTRY folders`,
    );
  }
  return { duplicateRate: rate };
}
