/**
 * Shared by the property-based tests (`*.fuzz.test.ts`): how many inputs each property gets and the hostile
 * values they draw from. `npm test` runs a small seeded sample; `npm run test:fuzz` sets FAASPORT_FUZZ_RUNS
 * (10,000 per property) and may set FAASPORT_FUZZ_SEED to explore beyond the fixed seed.
 */
import fc from 'fast-check';

export const FUZZ_RUNS = Number(process.env.FAASPORT_FUZZ_RUNS ?? 150);
export const FUZZ_SEED = Number(process.env.FAASPORT_FUZZ_SEED ?? 20261202);

/** fast-check parameters of every property: seeded, so a failure in CI replays locally. */
export const fuzzParams = { numRuns: FUZZ_RUNS, seed: FUZZ_SEED, endOnFailure: true } as const;

/** Keys that reach prototypes when code treats a record as a plain object. */
export const PROTO_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'] as const;

/** Text with the characters that break naive code: CR, LF, NUL, non-Latin-1, lone surrogates, quotes. */
export const hostileText = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(...PROTO_KEYS, 'a\r\nb', 'a\u0000b', 'Srīperumbūdūr', '\ud800', '"', "'", '%', '%zz', 'x:99999', '[', '', ' ', '🙂'),
);

/** Any JSON-ish value, plus the shapes that cost naive code dearly (a fake array of 3e6, deep nesting). */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileText,
  fc.constantFrom(null, undefined, 0, -1, 1.5, Number.NaN, true, false, 10n),
  fc.constant({ length: 3e6 }),
  fc.array(hostileText, { maxLength: 4 }),
  fc.dictionary(hostileText, hostileText, { maxKeys: 4 }),
  fc.constant(JSON.parse('{"__proto__":{"polluted":true}}') as unknown),
);

/** A map of hostile keys to hostile values (headers, query, attributes). */
export const hostileMap = fc.dictionary(hostileText, hostileValue, { maxKeys: 5 });

/** Fails the property when any test polluted Object.prototype. */
export function assertNoPollution(): void {
  const probe = {} as Record<string, unknown>;
  if (probe.polluted !== undefined || Object.keys(Object.prototype).length > 0) throw new Error('Object.prototype was polluted');
}

/** Words of the JavaScript engine that must never reach a response body. */
export const ENGINE_WORDS = /TypeError|is not a function|Cannot read propert|is not iterable|Invalid URL|ByteString|undefined is not|null is not/;

/**
 * Sets `path` (dotted; numeric parts index arrays; the last part may be a new key such as `__proto__`) in
 * `target` to `value`, creating objects on the way. Defined, not assigned, so `__proto__` becomes an own key
 * as JSON.parse makes it.
 */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let at = target;
  for (const part of parts.slice(0, -1)) {
    if (typeof at[part] !== 'object' || at[part] === null) at[part] = {};
    at = at[part] as Record<string, unknown>;
  }
  Object.defineProperty(at, parts.at(-1)!, { value: copyOf(value), enumerable: true, writable: true, configurable: true });
}

/**
 * A deep copy of a drawn value (own keys kept as own keys, `__proto__` included), so that one run's edits never
 * reach the shared constants another run draws. Not used on the fake array `{ length: 3e6 }`'s length.
 */
export function copyOf<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyOf) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    Object.defineProperty(out, key, { value: copyOf((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
  }
  return out as T;
}

/** One to three (field, hostile value) edits of an event, the fields drawn from `fields`. */
export const fieldMutations = (fields: readonly string[]) =>
  fc.array(fc.record({ field: fc.constantFrom(...fields), value: hostileValue }), { minLength: 1, maxLength: 3 });

/**
 * Whether an error message names the field that was broken: one of its non-numeric path parts (or, for a key
 * inside a map, the map's name) appears in it.
 */
export function namesField(message: string, field: string): boolean {
  return field
    .split('.')
    .filter((part) => !/^\d+$/.test(part))
    .some((part) => message.includes(part));
}

type Es2024String = string & { isWellFormed(): boolean; toWellFormed(): string };
/** Whether text has no lone surrogate (what can travel as UTF-8 and come back). */
export const isWellFormed = (text: string): boolean => (text as Es2024String).isWellFormed();
/** Text with each lone surrogate replaced by U+FFFD, as the URL and UTF-8 encoders read it. */
export const toWellFormed = (text: string): string => (text as Es2024String).toWellFormed();
