/** Flag values parsed by codegen/ (which reports a bad one as a CodegenError) turned into usage errors (exit 2). */
import { parseAwsHttpEvents } from '../codegen/aws-http-events.js';
import { parseProviders } from '../codegen/build.js';
import { CodegenError } from '../codegen/errors.js';
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
