/**
 * event -> any CloudEvent an Eventarc trigger delivers, passed through as faasport's CloudEvent.
 * Every attribute the framework handed over is kept (extensions included, e.g. `traceparent`); a
 * structured-mode `data_base64` becomes `data` as bytes, as the CloudEvents JSON format defines. The
 * trigger's filters choose what arrives; `options.type`/`options.source` are checked again here, and a
 * CloudEvent that does not match is acknowledged without running the handler (debug log).
 */
import { base64ToBytes, isBase64 } from '../../core/body.js';
import { BadEventError } from '../../core/errors.js';
import type { CloudEvent, EventFunction, EventOptions } from '../../core/types.js';
import { cloudEventHandler, requireAttributes, type Conversion } from './cloudevent.js';
import type { AdaptOptions, GcpCloudEvent, GcpCloudEventHandler } from './types.js';

/** The framework's CloudEvent -> faasport's (a fresh plain object; pure). */
export function toCloudEvent(cloudEvent: GcpCloudEvent): CloudEvent {
  requireAttributes(cloudEvent);
  const out: Record<string, unknown> = { ...(cloudEvent as Record<string, unknown>) };
  const base64 = out.data_base64;
  if (base64 !== undefined) {
    if (out.data !== undefined) throw new BadEventError('faasport: the CloudEvent has both "data" and "data_base64"');
    // Stryker disable next-line ConditionalExpression: isBase64 answers false for anything but a string, so the typeof test only narrows the type
    if (typeof base64 !== 'string' || !isBase64(base64)) throw new BadEventError('faasport: the CloudEvent\'s "data_base64" is not base64');
    delete out.data_base64;
    out.data = base64ToBytes(base64);
  }
  return out as unknown as CloudEvent;
}

const listOf = (value: string | readonly string[] | undefined): readonly string[] | undefined =>
  // Stryker disable next-line ConditionalExpression: an undefined value falls through to `value` itself, which is undefined too
  value === undefined ? undefined : typeof value === 'string' ? [value] : value;

/** Whether the function takes this event (type and, when set, source). */
export function matchesEventOptions(cloudEvent: CloudEvent, options: EventOptions): boolean {
  const types = listOf(options.type);
  if (types && types.length > 0 && !types.includes(cloudEvent.type)) return false;
  return options.source === undefined || options.source === cloudEvent.source;
}

export function adaptEvent(fn: EventFunction, options: AdaptOptions = {}): GcpCloudEventHandler {
  return cloudEventHandler(fn, options, (ce): Conversion<CloudEvent> => {
    const cloudEvent = toCloudEvent(ce);
    if (!matchesEventOptions(cloudEvent, fn.options)) {
      return {
        skip: `the function does not take CloudEvents of type "${cloudEvent.type}" from "${cloudEvent.source}"`,
        fields: { type: cloudEvent.type, source: cloudEvent.source },
      };
    }
    return { input: cloudEvent };
  });
}
