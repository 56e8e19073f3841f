/**
 * Event Grid trigger (`app.eventGrid`) -> CloudEvent.
 *
 * The trigger hands one event, already JSON-parsed by the library, in either schema of the subscription:
 * - CloudEvents 1.0 (`specversion` present): taken as is; `data_base64` becomes `data` as bytes (Uint8Array).
 * - Event Grid schema (`eventType` present): `id`, `source` = `topic`, `type` = `eventType`, `subject`,
 *   `time` = `eventTime`, `data`, `datacontenttype` "application/json", and a non-empty `dataVersion` as the
 *   extension `dataversion`; `specversion` "1.0".
 * Filtering: Event Grid filters in the subscription, which the deployment owns; the adapter checks again and
 * acks an event whose type (or source, when the function names one) does not match, with a debug log.
 */
import type { EventGridEvent, InvocationContext } from '@azure/functions';
import { BadEventError } from '../../../core/errors.js';
import { base64ToBytes, isBase64 } from '../../../core/body.js';
import type { CloudEvent, EventFunction, EventOptions } from '../../../core/types.js';
import { azureContextInit } from '../context.js';
import type { AdaptOptions, AzureEventHandler, AzureEventNative } from '../types.js';
import { readRecord } from './metadata.js';
import { settle } from './settle.js';

/** What the Event Grid trigger may hand over: an Event Grid schema event or a CloudEvent (structured). */
export type EventGridTriggerEvent = EventGridEvent | (CloudEvent & { data_base64?: string });

const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** Pure: either schema -> CloudEvent; anything else is a BadEventError naming what is missing. */
export function toCloudEvent(event: unknown): CloudEvent {
  const record = readRecord(event);
  if (!record) throw new BadEventError(`faasport/azure: expected an Event Grid event object, got ${event === null ? 'null' : typeof event}`);
  if ('specversion' in record) {
    for (const field of ['specversion', 'id', 'source', 'type'] as const) {
      if (!isText(record[field])) throw new BadEventError(`faasport/azure: the CloudEvent has no "${field}"`);
    }
    const { data_base64: dataBase64, ...rest } = record;
    const out: Record<string, unknown> = rest;
    if (dataBase64 !== undefined) {
      // (CloudEvents JSON format: data_base64 is base64 text, and excludes data.)
      if (typeof dataBase64 !== 'string' || !isBase64(dataBase64)) throw new BadEventError('faasport/azure: the CloudEvent\'s "data_base64" is not base64');
      if (rest.data !== undefined) throw new BadEventError('faasport/azure: the CloudEvent has both "data" and "data_base64"');
      out.data = base64ToBytes(dataBase64);
    }
    return out as CloudEvent;
  }
  if ('eventType' in record) {
    for (const field of ['id', 'eventType'] as const) {
      if (!isText(record[field])) throw new BadEventError(`faasport/azure: the Event Grid event has no "${field}"`);
    }
    const out: Record<string, unknown> = {
      id: record.id,
      source: isText(record.topic) ? record.topic : '',
      type: record.eventType,
      specversion: '1.0',
    };
    if (isText(record.subject)) out.subject = record.subject;
    if (isText(record.eventTime)) out.time = record.eventTime;
    if (record.data !== undefined) {
      out.datacontenttype = 'application/json';
      out.data = record.data;
    }
    if (isText(record.dataVersion)) out.dataversion = record.dataVersion;
    return out as CloudEvent;
  }
  throw new BadEventError('faasport/azure: the Event Grid event has neither "specversion" (CloudEvents) nor "eventType" (Event Grid schema)');
}

/** Whether the function asked for this event (type, and source when given). */
export function matchesEventOptions(event: CloudEvent, options: EventOptions): boolean {
  const types = typeof options.type === 'string' ? [options.type] : options.type;
  if (!types.includes(event.type)) return false;
  return options.source === undefined || options.source === event.source;
}

export function eventGridHandler(fn: EventFunction, options: AdaptOptions = {}): AzureEventHandler<EventGridTriggerEvent> {
  return async (trigger: EventGridTriggerEvent, context: InvocationContext): Promise<void> => {
    const event = toCloudEvent(trigger);
    if (!matchesEventOptions(event, fn.options)) {
      context.debug('faasport/azure: skipped an event this function does not listen to', { id: event.id, type: event.type, source: event.source });
      return;
    }
    await settle(fn, event, azureContextInit<AzureEventNative>(context, options.name, { trigger, context }), `event ${event.id}`);
  };
}
