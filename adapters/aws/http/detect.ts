/** Tells which HTTP payload shape a Lambda event has, from a few property reads. */
import type { AwsHttpResult } from '../types.js';
import { albMultiValue, albSingle } from './alb.js';
import { apigwV1 } from './apigw-v1.js';
import { apigwV2 } from './apigw-v2.js';
import type { HttpShape } from './common.js';

export type AnyHttpShape = HttpShape<never, AwsHttpResult>;

export const EXPECTED_EVENTS =
  'an API Gateway HTTP API or Function URL event (payload 2.0: version "2.0", requestContext.http), ' +
  'an API Gateway REST API event (payload 1.0: httpMethod, path, requestContext.stage) ' +
  'or an ALB event (requestContext.elb, httpMethod, path)';

/**
 * The shape, or undefined when the event is none of them. Recognises an event by its envelope even when
 * method or path are missing, so that such an event gets its 400 in the shape its caller understands.
 */
export function detectHttpShape(event: unknown): AnyHttpShape | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const e = event as Record<string, unknown>;
  const rc = e.requestContext as Record<string, unknown> | null | undefined;
  const hasRc = typeof rc === 'object' && rc !== null;
  if (hasRc && rc.elb !== undefined) {
    return e.multiValueHeaders || e.multiValueQueryStringParameters ? albMultiValue : albSingle;
  }
  if (e.version === '2.0' || (hasRc && rc.http !== undefined)) return apigwV2;
  if (e.httpMethod !== undefined || e.version === '1.0' || (hasRc && (rc.resourcePath !== undefined || rc.httpMethod !== undefined))) {
    return apigwV1;
  }
  return undefined;
}

/** "a string", "an object with keys Records", ... for the 400 message of an event of no known shape. */
export function describeEvent(event: unknown): string {
  if (event === null) return 'null';
  if (Array.isArray(event)) return 'an array';
  if (typeof event !== 'object') return `a ${typeof event}`;
  const keys = Object.keys(event);
  if (keys.length === 0) return 'an empty object';
  const shown = keys.slice(0, 6).join(', ');
  return `an object with keys ${shown}${keys.length > 6 ? ', ...' : ''}`;
}
