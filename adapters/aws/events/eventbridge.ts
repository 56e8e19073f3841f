/** EventBridge events -> neutral CloudEvent (event kind) and ScheduleEvent (scheduled rules). Pure. */
import type { ScheduledEvent } from 'aws-lambda';
import { BadEventError, describeValue } from '../../../core/errors.js';
import type { CloudEvent, ScheduleEvent } from '../../../core/types.js';
import type { AwsBridgeEvent } from '../types.js';

/** What a scheduled rule sends: `detail-type` "Scheduled Event" from `aws.events`. */
export const SCHEDULED_DETAIL_TYPE = 'Scheduled Event';
export const SCHEDULED_SOURCE = 'aws.events';

export const isScheduledEvent = (event: AwsBridgeEvent): event is ScheduledEvent =>
  event['detail-type'] === SCHEDULED_DETAIL_TYPE && event.source === SCHEDULED_SOURCE;

/** The time the rule fired for: EventBridge writes it, to the second, into `time`. */
export function scheduleFromBridge(event: ScheduledEvent): ScheduleEvent {
  // Type first: new Date() of a BigInt or Symbol throws a TypeError of the engine's.
  const scheduledTime = typeof event.time === 'string' ? new Date(event.time) : undefined;
  if (scheduledTime === undefined || Number.isNaN(scheduledTime.getTime())) {
    throw new BadEventError(`faasport/aws: the EventBridge scheduled event has no valid time: "time" is ${describeValue(event.time)}`);
  }
  return { scheduledTime };
}

const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** A CloudEvent put on the bus as `detail` by a sender that speaks CloudEvents: passed on as is. */
export function isCloudEvent(value: unknown): value is CloudEvent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return isText(v.specversion) && isText(v.id) && isText(v.source) && isText(v.type);
}

/**
 * An EventBridge event as a CloudEvent 1.0 (mapping documented in events/README.md):
 * id <- id, source <- source, type <- detail-type, time <- time, subject <- resources[0] (when any),
 * data <- detail (JSON), and two extensions `awsregion` <- region and `awsaccount` <- account (CloudEvents
 * extension names are lower-case letters and digits only). When `detail` is itself a CloudEvent, it is the event.
 */
export function cloudEventFromBridge(event: AwsBridgeEvent): CloudEvent {
  if (!isText(event.id) || !isText(event.source) || !isText(event['detail-type'])) {
    throw new BadEventError('faasport/aws: the EventBridge event has no id, source and detail-type strings');
  }
  if (isCloudEvent(event.detail)) return event.detail;
  const ce: Record<string, unknown> = {
    specversion: '1.0',
    id: event.id,
    source: event.source,
    type: event['detail-type'],
  };
  const subject = Array.isArray(event.resources) ? event.resources[0] : undefined;
  if (isText(subject)) ce.subject = subject;
  if (isText(event.time)) ce.time = event.time;
  ce.datacontenttype = 'application/json';
  if (event.detail !== undefined) ce.data = event.detail;
  if (isText(event.region)) ce.awsregion = event.region;
  if (isText(event.account)) ce.awsaccount = event.account;
  return ce as unknown as CloudEvent;
}

/** Whether a CloudEvent is one the function asked for (`options.type`, and `options.source` when set). */
export function matchesEventOptions(ce: CloudEvent, options: { readonly type: string | readonly string[]; readonly source?: string | undefined }): boolean {
  const types = options.type;
  const typeOk = typeof types === 'string' ? ce.type === types : types.includes(ce.type);
  return typeOk && (options.source === undefined || ce.source === options.source);
}
