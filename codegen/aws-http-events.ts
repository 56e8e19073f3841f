/**
 * `--aws-http-events`: which kinds of Lambda HTTP event the AWS bundles of HTTP functions can read. Each
 * kind's shape is linked only when listed (adaptHttpFor in faasport/aws), so a smaller list is a smaller
 * bundle; an event of an unlisted kind is answered 400 with a message naming it and this option.
 */
import { HTTP_EVENT_SOURCES, type HttpEventSource } from '../adapters/aws/types.js';
import { CodegenError } from './errors.js';

/**
 * The generated template.yaml wires HTTP functions to an API Gateway HTTP API, which sends payload 2.0 (as
 * Function URLs do): add apigw-v1 or alb when the function is also put behind a REST API or an ALB.
 */
export const DEFAULT_AWS_HTTP_EVENTS: readonly HttpEventSource[] = ['apigw-v2'];

const HELP = 'apigw-v2 (API Gateway HTTP API, Function URL), apigw-v1 (API Gateway REST API), alb, a comma list of them, or all';

/** `"apigw-v2,alb"`, `"all"` (or an array, as a repeated flag gives) -> the kinds, in HTTP_EVENT_SOURCES order. */
export function parseAwsHttpEvents(value: string | readonly string[] | undefined): HttpEventSource[] {
  if (value === undefined) return [...DEFAULT_AWS_HTTP_EVENTS];
  const items = [value]
    .flat()
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);
  if (items.includes('all')) return [...HTTP_EVENT_SOURCES];
  return checkAwsHttpEvents(items);
}

/** The kinds, deduplicated, in HTTP_EVENT_SOURCES order; throws a CodegenError naming any unknown one. */
export function checkAwsHttpEvents(items: readonly string[]): HttpEventSource[] {
  const unknown = items.filter((item) => !(HTTP_EVENT_SOURCES as readonly string[]).includes(item));
  if (unknown.length > 0) {
    throw new CodegenError({ message: `unknown AWS HTTP event kind ${unknown.map((u) => `"${u}"`).join(', ')} (--aws-http-events); use ${HELP}` });
  }
  if (items.length === 0) throw new CodegenError({ message: `--aws-http-events needs at least one kind of event: ${HELP}` });
  return HTTP_EVENT_SOURCES.filter((id) => items.includes(id));
}
