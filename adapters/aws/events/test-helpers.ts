/** Test-only helpers for the event kinds: fixtures, a Lambda context, captured log lines. Not exported. */
import { readFileSync } from 'node:fs';
import { vi } from 'vitest';
import { sharedFixture } from '../http/test-helpers.js';

const ownDir = new URL('../fixtures/events/', import.meta.url);

export { lambdaContext, REQUEST_ID, sharedFixture } from '../http/test-helpers.js';

/** One of this adapter's own events (adapters/aws/fixtures/events). */
export const fixture = (name: string): any => JSON.parse(readFileSync(new URL(name, ownDir), 'utf8'));

export interface LogLine {
  level: string;
  message: string;
  [field: string]: unknown;
}

/** Silences console and returns the JSON log lines written so far (call `restore` in afterEach). */
export function captureLogs() {
  const out = vi.spyOn(console, 'log').mockImplementation(() => {});
  const err = vi.spyOn(console, 'error').mockImplementation(() => {});
  return {
    lines: (): LogLine[] => [...out.mock.calls, ...err.mock.calls].map((call) => JSON.parse(String(call[0])) as LogLine),
    restore: () => {
      out.mockRestore();
      err.mockRestore();
    },
  };
}

/** An SQS batch of `n` records built from the shared sample, ids `m1`..`mn`, bodies `{"n":i}`. */
export function sqsBatch(n: number, arn = 'arn:aws:sqs:us-east-2:123456789012:my-queue'): any {
  const template = sharedFixture('sqs/base.json').Records[0];
  return {
    Records: Array.from({ length: n }, (_, i) => ({ ...template, messageId: `m${i + 1}`, body: JSON.stringify({ n: i + 1 }), eventSourceARN: arn })),
  };
}
