/**
 * A failed case told so a user can act on it: the message, and the expected and actual values (bytes as
 * length and hash, objects with a diff), whatever the assertion library printed on its first line.
 */
import assert, { AssertionError } from 'node:assert/strict';
import { inspect } from 'node:util';
import { describeBytes } from './observations.js';

export interface FailureDetail {
  readonly message: string;
  readonly expected?: string;
  readonly actual?: string;
  /** Line diff of expected and actual objects (node:assert's own). */
  readonly diff?: string;
}

const isBytes = (value: unknown): value is Uint8Array => value instanceof Uint8Array || value instanceof ArrayBuffer;

function render(value: unknown): string {
  if (value instanceof ArrayBuffer) return describeBytes(new Uint8Array(value));
  if (value instanceof Uint8Array) return describeBytes(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 2000 ? `${value.slice(0, 2000)}…` : value) + (value.length > 2000 ? ` (${value.length} characters)` : '');
  return inspect(value, { depth: 6, breakLength: 100, maxStringLength: 2000 });
}

function objectDiff(actual: unknown, expected: unknown): string | undefined {
  if (typeof actual !== 'object' || actual === null || typeof expected !== 'object' || expected === null) return undefined;
  if (isBytes(actual) || isBytes(expected)) return undefined;
  try {
    assert.deepStrictEqual(actual, expected);
  } catch (error) {
    // Drop node's headline and its own "+ actual - expected" legend: formatFailure prints the legend once.
    if (error instanceof AssertionError) return error.message.split('\n').slice(1).join('\n').replace(/^\s*\+ actual - expected[^\n]*\n/, '').replace(/^\n+|\s+$/g, '');
  }
  return undefined;
}

export function describeFailure(error: unknown): FailureDetail {
  if (error instanceof AssertionError) {
    const hasValues = error.operator !== 'fail' && !(error.actual === undefined && error.expected === undefined && error.operator === undefined);
    if (!hasValues) return { message: error.message };
    const diff = objectDiff(error.actual, error.expected);
    // node writes the values into its own message (and, in Node 20, after a custom one): keep the headline.
    const message = (error.generatedMessage ? error.message.split('\n')[0] : error.message.split('\n\n')[0]) ?? error.message;
    return { message, expected: render(error.expected), actual: render(error.actual), ...(diff ? { diff } : {}) };
  }
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (cause: ${error.cause.message})` : '';
    return { message: `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}${cause}` };
  }
  return { message: String(error) };
}

/** The failure as indented lines under a case's name. */
export function formatFailure(detail: FailureDetail, indent = '    '): string {
  const lines = [detail.message];
  if (detail.expected !== undefined) lines.push(`expected: ${detail.expected}`);
  if (detail.actual !== undefined) lines.push(`actual:   ${detail.actual}`);
  if (detail.diff) lines.push('diff (+ actual, - expected):', ...detail.diff.split('\n').map((l) => `  ${l}`));
  return lines.map((l, i) => (i === 0 ? l : `${indent}${l}`)).join('\n');
}
