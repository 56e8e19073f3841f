/**
 * Every HTTP event reader: what `adapt()` and `adaptHttp()` read. A bundle that imports this module links
 * every shape; codegen's entries name only the readers their deployment needs (see adaptHttpFor).
 */
import { albEvents } from './alb.js';
import { apiGatewayV1Events } from './apigw-v1.js';
import { apiGatewayV2Events } from './apigw-v2.js';
import type { AnyHttpShape, ShapeReader } from './common.js';
import { httpEventSource } from './source.js';

/** In HTTP_EVENT_SOURCES order. */
export const ALL_HTTP_EVENTS = [apiGatewayV2Events, apiGatewayV1Events, albEvents] as readonly ShapeReader[];

/** The shape of an event, or undefined when it is of no known kind. */
export function detectHttpShape(event: unknown): AnyHttpShape | undefined {
  const source = httpEventSource(event);
  return source && ALL_HTTP_EVENTS.find((reader) => reader.id === source)!.shapeOf(event as Record<string, unknown>);
}
