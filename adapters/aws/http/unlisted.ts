/**
 * The 400 for an event of a kind the handler was not built to read (adaptHttpFor without its reader): the
 * shape of that kind is not in the bundle, so answer in fields every shape accepts, say what arrived, what
 * the function reads, and the build option that fixes it. Linked only by adaptHttpFor.
 */
import type { AwsHttpEvent, AwsHttpResult, HttpEventSource } from '../types.js';
import { TEXT_PLAIN, type ShapeReader } from './common.js';
import { APIGW_V1_NAME, APIGW_V2_NAME } from './source.js';

/** "an <name> event" reads right for each of them. */
const NAMES: Readonly<Record<HttpEventSource, string>> = { 'apigw-v2': APIGW_V2_NAME, 'apigw-v1': APIGW_V1_NAME, alb: 'ALB' };

export function unlistedEvent(event: AwsHttpEvent, source: HttpEventSource, readers: readonly ShapeReader[]): AwsHttpResult {
  const body =
    `faasport/aws: this HTTP function got an ${NAMES[source]} event, but it was built to read only ${readers.map((r) => NAMES[r.id]).join(' or ')} ` +
    `events; rebuild it with \`faasport build --aws-http-events ${readers.map((r) => r.id).join(',')},${source}\` (or \`all\`)`;
  if (source !== 'alb') return { statusCode: 400, headers: { 'content-type': TEXT_PLAIN }, body, isBase64Encoded: false };
  // ALB wants a statusDescription, and reads only multiValueHeaders from a target group in multi-value mode.
  const e = event as { multiValueHeaders?: unknown; multiValueQueryStringParameters?: unknown };
  const headers = e.multiValueHeaders || e.multiValueQueryStringParameters ? { multiValueHeaders: { 'content-type': [TEXT_PLAIN] } } : { headers: { 'content-type': TEXT_PLAIN } };
  return { statusCode: 400, statusDescription: '400 Bad Request', ...headers, body, isBase64Encoded: false };
}
