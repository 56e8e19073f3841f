/**
 * How `faasport dev` fires a non-HTTP function: a sample stimulus per kind, or one built from a payload the
 * developer gives (the body of `POST /_faasport/<function>`, or the text after `fire <function>` in the terminal).
 * Pure: no emulator, no network.
 */
import { randomUUID } from 'node:crypto';
import type { DiscoveredFunction } from '../codegen/discover.js';
import type { Stimulus } from '../conformance-tests/invoker.js';
import { UsageError } from './errors.js';

/** One attempt only: a failing handler shows its error once instead of being redelivered in a loop. */
const DEV_ATTEMPTS = 1;

const parseJson = (payload: string, what: string): unknown => {
  try {
    return JSON.parse(payload) as unknown;
  } catch {
    throw new UsageError(`${what} must be JSON; got ${JSON.stringify(payload.slice(0, 60))}`);
  }
};

/** The stimulus that fires `fn`; `payload` undefined or empty means the kind's sample. */
export function stimulusFor(fn: DiscoveredFunction, payload: string | undefined): Stimulus {
  const given = payload !== undefined && payload.trim() !== '' ? payload : undefined;
  switch (fn.kind) {
    case 'queue':
    case 'topic':
      return { messages: [{ body: given ?? JSON.stringify({ sample: true, function: fn.name }) }], maxAttempts: DEV_ATTEMPTS };
    case 'storage': {
      const type = (fn.options.events ?? ['created'])[0] ?? 'created';
      return { object: { bucket: fn.options.bucket, key: given ?? 'sample.txt', body: 'sample', contentType: 'text/plain' }, type, maxAttempts: DEV_ATTEMPTS };
    }
    case 'schedule':
      return { scheduledTime: given ?? new Date().toISOString(), maxAttempts: DEV_ATTEMPTS };
    case 'event': {
      const type = typeof fn.options.type === 'string' ? fn.options.type : fn.options.type[0]!;
      return {
        cloudEvent: {
          specversion: '1.0',
          id: randomUUID(),
          source: 'faasport.dev',
          type,
          datacontenttype: 'application/json',
          data: given === undefined ? { sample: true } : parseJson(given, `the data of a CloudEvent for ${fn.name}`),
        },
        maxAttempts: DEV_ATTEMPTS,
      };
    }
    case 'http':
      throw new UsageError(`${fn.name} is an HTTP function: send it a request at its route instead`);
  }
}

/** `fire <function> [payload]` typed in the terminal. */
export function parseFireLine(line: string): { name: string; payload: string | undefined } | undefined {
  const match = /^\s*fire\s+(\S+)(?:\s+(.*))?$/.exec(line);
  return match ? { name: match[1]!, payload: match[2] } : undefined;
}
