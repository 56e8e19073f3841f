/**
 * Which kind of Lambda HTTP event arrived (apigw-v2, apigw-v1, alb), from a few property reads. Linked into
 * every HTTP bundle, also one built for a single kind, so that an event of a kind the bundle cannot read is
 * still told apart (and named in its 400, unlisted.ts): keep this module small.
 */
import type { HttpEventSource } from '../types.js';

/** Names in messages (shape labels, unlisted.ts). */
export const APIGW_V2_NAME = 'API Gateway HTTP API / Function URL (payload 2.0)';
export const APIGW_V1_NAME = 'API Gateway REST API (payload 1.0)';

/**
 * The kind, or undefined when the event is none of them. Recognises an event by its envelope even when
 * method or path are missing, so that such an event gets its 400 in the shape its caller understands.
 */
export function httpEventSource(event: unknown): HttpEventSource | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const e = event as Record<string, unknown>;
  const rc = e.requestContext as Record<string, unknown> | null | undefined;
  const hasRc = typeof rc === 'object' && rc !== null;
  if (hasRc && rc.elb !== undefined) return 'alb';
  if (e.version === '2.0' || (hasRc && rc.http !== undefined)) return 'apigw-v2';
  if (e.httpMethod !== undefined || e.version === '1.0' || (hasRc && (rc.resourcePath !== undefined || rc.httpMethod !== undefined))) {
    return 'apigw-v1';
  }
  return undefined;
}

/** "a string", "an object with keys Records", ... for the 400 message of an event of no known kind. */
export function describeEvent(event: unknown): string {
  if (event === null) return 'null';
  if (Array.isArray(event)) return 'an array';
  if (typeof event !== 'object') return `a ${typeof event}`;
  const keys = Object.keys(event);
  if (keys.length === 0) return 'an empty object';
  const shown = keys.slice(0, 6).join(', ');
  return `an object with keys ${shown}${keys.length > 6 ? ', ...' : ''}`;
}

