/** Test-only helpers for the event kinds: fixtures, a Lambda context, captured log lines. Not exported. */
import { readFileSync } from 'node:fs';
import type { Context as LambdaContext } from 'aws-lambda';
import { vi } from 'vitest';

const sharedDir = new URL('../../../../shared/fixtures/aws/', import.meta.url);
const ownDir = new URL('../fixtures/events/', import.meta.url);

/** A real sample event from /work/shared/fixtures/aws (read-only); typed loosely since tests edit events. */
export const sharedFixture = (path: string): any => JSON.parse(readFileSync(new URL(path, sharedDir), 'utf8'));

/** One of this adapter's own events (adapters/aws/fixtures/events). */
export const fixture = (name: string): any => JSON.parse(readFileSync(new URL(name, ownDir), 'utf8'));

export const REQUEST_ID = 'c6af9ac6-7b61-11e6-9a41-93e812345678';

export function lambdaContext(overrides: Partial<LambdaContext> = {}): LambdaContext {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'faasport-test-fn',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:faasport-test-fn',
    memoryLimitInMB: '128',
    awsRequestId: REQUEST_ID,
    logGroupName: '/aws/lambda/faasport-test-fn',
    logStreamName: '2025/07/10/[$LATEST]abcdef',
    getRemainingTimeInMillis: () => 3000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
    ...overrides,
  };
}

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
