/**
 * Readers for `context.triggerMetadata` as `@azure/functions` hands it over. Two library habits shape them:
 * - every key is camel-cased (first letter lower-cased: `DequeueCount` -> `dequeueCount`), nested keys too;
 * - every value the host sent as `string` data went through a lenient JSON.parse (`"42"` -> 42), and values the
 *   host JSON-serialised (numbers, dates, dictionaries) arrive parsed.
 * So a reader accepts what the host meant, in any of the shapes the library may turn it into.
 */
import type { TriggerMetadata } from '@azure/functions';
import { BadEventError, describeValue } from '../../../core/errors.js';
import { utf8Encode } from '../../../core/body.js';
import { isDeliveryCount, newAttributes } from '../../../core/message.js';

export const metadataOf = (metadata: TriggerMetadata | undefined): Record<string, unknown> => metadata ?? {};

/** A value that is text to the host; the library may have parsed it into a number or boolean. */
export function readText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A delivery count: a whole number from 1 (the host counts the delivery being made), else undefined. */
export function readCount(value: unknown): number | undefined {
  // Stryker disable next-line ConditionalExpression,MethodExpression,StringLiteral: blank text gives Number('') === 0, not a count, either way
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return isDeliveryCount(n) ? n : undefined;
}

/**
 * A .NET DateTime/DateTimeOffset as Newtonsoft writes it (`2024-05-01T03:00:00+00:00`, `...Z`, or no zone for
 * an unspecified kind, which Azure hosts run in UTC). Invalid -> undefined.
 */
export function readDate(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  // Stryker disable next-line ConditionalExpression,StringLiteral: Date.parse('') is NaN, so empty text gives undefined without this test too
  if (typeof value !== 'string' || value === '') return undefined;
  const zoned = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value) ? `${value}Z` : value;
  const time = Date.parse(zoned);
  return Number.isNaN(time) ? undefined : new Date(time);
}

export function readRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Attribute values as strings: text as it is, anything else as JSON (numbers, booleans, dates as ISO text). */
export function stringifyValues(record: Record<string, unknown> | undefined): Record<string, string> {
  // Service Bus application properties are typed (numbers, booleans, dates): stringified, unlike SQS/Pub/Sub.
  const out = newAttributes();
  if (!record) return out;
  for (const [key, value] of Object.entries(record)) {
    // Stryker disable next-line ConditionalExpression: undefined has no JSON text either, so it is left out without this test too
    if (value === undefined || value === null) continue;
    const text = typeof value === 'string' ? value : value instanceof Date ? textOfDate(value) : jsonText(value);
    if (text !== undefined) out[key] = text;
  }
  return out;
}

/** JSON text of a value, or undefined for what JSON cannot write (a BigInt, a cycle, a function). */
function jsonText(value: unknown): string | undefined {
  // Stryker disable BlockStatement: an empty catch also returns undefined (the try block's mutant is killed by tests)
  try {
    return JSON.stringify(value) as string | undefined;
  } catch {
    return undefined;
  }
}

// Stryker restore BlockStatement
const textOfDate = (date: Date): string | undefined => (Number.isNaN(date.getTime()) ? undefined : date.toISOString());

export interface PayloadBytes {
  readonly bytes: Uint8Array;
  /** False when the library had parsed the text and the bytes are a re-serialisation. */
  readonly exact: boolean;
}

/**
 * The trigger payload as bytes. With `dataType: 'binary'` (what faasport registers) the host sends bytes and
 * the library hands a Buffer: exact. A string (a binding without dataType) is exact unless it looked like JSON,
 * in which case the library already parsed it and only a re-serialisation is left (not exact).
 */
export function payloadBytes(trigger: unknown, what: string): PayloadBytes {
  if (trigger instanceof Uint8Array) return { bytes: new Uint8Array(trigger.buffer, trigger.byteOffset, trigger.byteLength), exact: true };
  if (trigger instanceof ArrayBuffer) return { bytes: new Uint8Array(trigger), exact: true };
  if (typeof trigger === 'string') return { bytes: utf8Encode(trigger), exact: true };
  if (trigger === undefined) throw new BadEventError(`faasport/azure: the ${what} trigger delivered no payload`);
  // The library only hands JSON values here; anything JSON cannot write (a BigInt, a cycle) is no payload it sent.
  const text = jsonText(trigger);
  if (text === undefined) throw new BadEventError(`faasport/azure: the ${what} trigger payload is ${describeValue(trigger)} that has no JSON form`);
  return { bytes: utf8Encode(text), exact: false };
}
