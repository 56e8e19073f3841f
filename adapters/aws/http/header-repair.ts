/**
 * The slow path of building a Request, taken only when the event's headers made the Fetch Request refuse it.
 * Real gateways deliver header values that are not Latin-1 (Cloudflare -> ALB sends `cf-ipcity: Srīperumbūdūr`),
 * which a Fetch header cannot hold: such a value is carried as its UTF-8 bytes, one Latin-1 character per byte,
 * exactly as Node's HTTP server (so Cloud Run) presents it; `Buffer.from(value, 'latin1').toString('utf8')`
 * recovers the text. What still cannot travel in HTTP (a name that is not a token, a CR, LF or NUL inside a
 * value) is named in a 400, in faasport's words.
 */
import { hasNonLatin1, utf8AsLatin1 } from '../../../core/body.js';
import { BadEventError } from '../../../core/errors.js';
import { isToken, normalizeValue } from '../../../core/fetch/headers.js';
import { malformed, type AnyHttpShape, type RequestHead } from './common.js';

type Event = Record<string, unknown>;

export function rebuildRequest(shape: AnyHttpShape, event: Event, head: RequestHead, cause: unknown): Request {
  const repaired = { ...event };
  let changed = false;
  for (const field of ['headers', 'multiValueHeaders', 'cookies'] as const) {
    const value = event[field];
    if (typeof value !== 'object' || value === null) continue;
    const fixed = Array.isArray(value) ? fixList(value) : fixMap(value as Record<string, unknown>);
    if (fixed !== value) {
      repaired[field] = fixed;
      changed = true;
    }
    const problem = Array.isArray(fixed) ? listProblem(fixed, field) : mapProblem(fixed as Record<string, unknown>, field);
    if (problem !== undefined) throw malformed(shape.label, problem, 'header names that are HTTP tokens and values without CR, LF or NUL');
  }
  if (changed) {
    try {
      return shape.request(repaired as never, head);
    } catch (again) {
      if (again instanceof BadEventError) throw again;
      cause = again;
    }
  }
  throw new BadEventError(
    `faasport/aws: malformed ${shape.label} event: it cannot form a Fetch Request; expected the headers, query and body a gateway sends`,
    { cause },
  );
}

// Stryker disable next-line ConditionalExpression: only the typeof-string -> true variant survives: hasNonLatin1 of a non-string is false
const fixText = (value: unknown): unknown => (typeof value === 'string' && hasNonLatin1(value) ? utf8AsLatin1(value) : value);

function fixList(values: readonly unknown[]): readonly unknown[] {
  let out: unknown[] | undefined;
  // Stryker disable next-line EqualityOperator: values[length] is undefined, which fixText returns unchanged
  for (let i = 0; i < values.length; i++) {
    const fixed = fixText(values[i]);
    if (fixed !== values[i]) (out ??= [...values])[i] = fixed;
  }
  return out ?? values;
}

function fixMap(map: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const name of Object.keys(map)) {
    const value = map[name];
    const fixed = Array.isArray(value) ? fixList(value) : fixText(value);
    if (fixed !== value) (out ??= { ...map })[name] = fixed;
  }
  return out ?? map;
}

function valueProblem(value: unknown, where: string): string | undefined {
  // Stryker disable next-line ConditionalExpression: normalizeValue finds no CR, LF or NUL in a non-string either
  if (typeof value !== 'string') return undefined;
  try {
    normalizeValue(value, where);
    return undefined;
  } catch {
    return `${where} holds a CR, LF or NUL character, which an HTTP header cannot carry`;
  }
}

function listProblem(values: readonly unknown[], field: string): string | undefined {
  // Stryker disable next-line EqualityOperator: values[length] is undefined, in which valueProblem finds no problem
  for (let i = 0; i < values.length; i++) {
    const problem = valueProblem(values[i], `${field}[${i}]`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function mapProblem(map: Record<string, unknown>, field: string): string | undefined {
  for (const name of Object.keys(map)) {
    const where = `${field}[${JSON.stringify(name.slice(0, 100))}]`;
    if (!isToken(name)) return `${where} is not a valid header name (a token: letters, digits and !#$%&'*+-.^_\`|~)`;
    const value = map[name];
    const problem = Array.isArray(value) ? listProblem(value, where) : valueProblem(value, where);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
