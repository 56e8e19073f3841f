/**
 * EventBridge events a rule sends its Lambda target (pure): the "Scheduled Event" of a schedule rule, and a
 * custom event put on the default bus. A CloudEvent becomes the PutEvents entry a sender would write, in one of
 * two layouts (`BridgeDetailLayout`):
 *   'data' (default): ce.source -> Source, ce.type -> DetailType, ce.data -> Detail (must be a JSON object; none ->
 *     {}), ce.subject -> Resources[0], ce.time -> Time (EventBridge keeps whole seconds). EventBridge assigns its own
 *     `id`; ce.id, `specversion`, `datacontenttype`, `dataschema` and extensions have no place and are lost.
 *   'cloudevent': the same Source, DetailType, Resources and Time, and the whole structured CloudEvent as Detail, so
 *     every attribute (id and extensions included) survives; faasport's adapter passes such a detail on unchanged.
 */
import type { EventBridgeEvent, ScheduledEvent } from 'aws-lambda';
import type { CloudEvent } from '../../../core/types.js';
import { ACCOUNT_ID, REGION } from './lambda-protocol.js';

export const ruleArn = (rule: string): string => `arn:aws:events:${REGION}:${ACCOUNT_ID}:rule/${rule}`;

/** EventBridge's `time`: ISO 8601 to the second, `2024-05-01T12:00:00Z`. */
export const bridgeTime = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export const BRIDGE_DETAIL_LAYOUTS = ['data', 'cloudevent'] as const;
export type BridgeDetailLayout = (typeof BRIDGE_DETAIL_LAYOUTS)[number];

export class EventBridgeError extends Error {
  override name = 'EventBridgeError';
}

export function toScheduledEvent(init: { readonly id: string; readonly rule: string; readonly scheduledTime: Date }): ScheduledEvent<Record<string, never>> {
  return {
    version: '0',
    id: init.id,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: ACCOUNT_ID,
    time: bridgeTime(init.scheduledTime),
    region: REGION,
    resources: [ruleArn(init.rule)],
    detail: {},
  };
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

/** A CloudEvent as the EventBridge event its PutEvents entry produces; throws EventBridgeError when PutEvents would refuse it. */
export function toBridgeEvent(
  ce: CloudEvent,
  init: { readonly id: string; readonly now: Date; readonly layout?: BridgeDetailLayout },
): EventBridgeEvent<string, Record<string, unknown>> {
  if (ce.source.startsWith('aws.')) {
    throw new EventBridgeError(`EventBridge refuses custom events whose source starts with "aws." (got "${ce.source}")`);
  }
  const layout = init.layout ?? 'data';
  if (layout === 'data' && ce.data !== undefined && !isPlainObject(ce.data)) {
    const got = typeof ce.data === 'string' ? 'a string' : Array.isArray(ce.data) ? 'an array' : ce.data === null ? 'null' : `a ${typeof ce.data}`;
    throw new EventBridgeError(`EventBridge events carry a JSON object as detail; the CloudEvent's data is ${got}`);
  }
  let time = init.now;
  if (ce.time !== undefined) {
    time = new Date(ce.time);
    if (Number.isNaN(time.getTime())) throw new EventBridgeError(`the CloudEvent's time ${JSON.stringify(ce.time)} is not a timestamp`);
  }
  return {
    version: '0',
    id: init.id,
    'detail-type': ce.type,
    source: ce.source,
    account: ACCOUNT_ID,
    time: bridgeTime(time),
    region: REGION,
    resources: typeof ce.subject === 'string' && ce.subject !== '' ? [ce.subject] : [],
    // JSON round trip: Detail travels as a JSON string (a Uint8Array or Date in data would not survive either).
    detail: layout === 'cloudevent' ? (JSON.parse(JSON.stringify(ce)) as Record<string, unknown>) : ((ce.data as Record<string, unknown> | undefined) ?? {}),
  };
}
