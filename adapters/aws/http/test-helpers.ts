/** Test-only helpers: fixtures and a Lambda context. Not exported from the package. */
import { readFileSync } from 'node:fs';
import type { Context as LambdaContext } from 'aws-lambda';
import { afterEach, beforeEach, vi, type MockInstance } from 'vitest';

const sharedDir = new URL('../fixtures/powertools/', import.meta.url);
const ownDir = new URL('../fixtures/', import.meta.url);

/** A real sample event (adapters/aws/fixtures/powertools, see SOURCES.md); typed loosely since tests edit events. */
export function sharedFixture(path: string): any {
  return JSON.parse(readFileSync(new URL(path, sharedDir), 'utf8'));
}

/** One of this adapter's own trap events (adapters/aws/fixtures); typed loosely since tests edit events. */
export function fixture(name: string): any {
  return JSON.parse(readFileSync(new URL(name, ownDir), 'utf8'));
}

export const REQUEST_ID = 'c6af9ac6-7b61-11e6-9a41-93e812345678';

export function lambdaContext(overrides: Partial<LambdaContext> = {}): LambdaContext {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'faasport-test-fn',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-west-2:123456789012:function:faasport-test-fn',
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

/** Bytes 0..255, the body every binary test sends. */
export const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);

/**
 * Silences console.error and console.log around each test of the calling file; returns a reader of the JSON
 * log lines written to console.error during the current test.
 */
export function captureLogLines(): () => Record<string, any>[] {
  let stderr: MockInstance<typeof console.error>;
  beforeEach(() => {
    stderr = vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(console, 'log').mockImplementation(() => {});
  });
  afterEach(() => vi.restoreAllMocks());
  return () => stderr.mock.calls.map((args) => JSON.parse(String(args[0])) as Record<string, any>);
}
