/** The Lambda handler of an event function: an EventBridge rule target, read as a CloudEvent. */
import type { EventFunction } from '../../../core/types.js';
import type { AdaptOptions, AwsBridgeEvent, AwsCloudEventHandler, AwsCloudEventNative, LambdaContext } from '../types.js';
import { detectEventSource, wrongEvent } from './detect.js';
import { cloudEventFromBridge, matchesEventOptions } from './eventbridge.js';
import { adapterLog, invocation, runAllOrThrow } from './invocation.js';

export const EVENT_EXPECTS = 'an EventBridge event (id, source, detail-type, detail)';

export function cloudEventHandler(fn: EventFunction, options: AdaptOptions = {}): AwsCloudEventHandler {
  const name = options.name;
  return async function faasportAwsEvent(event: AwsBridgeEvent, context: LambdaContext) {
    if (detectEventSource(event) !== 'eventbridge') throw wrongEvent('event', EVENT_EXPECTS, event);
    const ce = cloudEventFromBridge(event);
    const inv = invocation(event, context, name);
    // The rule's event pattern should already filter by type; this is the safety net for a broader rule.
    if (!matchesEventOptions(ce, fn.options)) {
      adapterLog(inv, { eventId: ce.id }).debug(`faasport: skipped event of type "${ce.type}" from "${ce.source}": the function does not take it`);
      return;
    }
    const native: AwsCloudEventNative = { event, context, record: event };
    await runAllOrThrow(fn, inv, [{ input: ce, native, fields: { eventId: ce.id } }]);
  };
}
