/** The Lambda handler of a schedule function: an EventBridge scheduled rule, or EventBridge Scheduler. */
import type { ScheduleFunction } from '../../../core/types.js';
import type { ScheduledEvent } from 'aws-lambda';
import type { AdaptOptions, AwsBridgeEvent, AwsScheduleEvent, AwsScheduleHandler, AwsScheduleNative, LambdaContext } from '../types.js';
import { detectEventSource, wrongEvent } from './detect.js';
import { isScheduledEvent, scheduleFromBridge } from './eventbridge.js';
import { invocation, runAllOrThrow } from './invocation.js';
import { SCHEDULER_INPUT, scheduleFromScheduler } from './scheduler.js';

// (A pure call around the template: a bundle of another kind can then drop it and SCHEDULER_INPUT.)
export const SCHEDULE_EXPECTS = /* @__PURE__ */ (() =>
  `an EventBridge scheduled event (detail-type "Scheduled Event", source aws.events) or the EventBridge Scheduler input ${JSON.stringify(SCHEDULER_INPUT)}`)();

export function scheduleHandler(fn: ScheduleFunction, options: AdaptOptions = {}): AwsScheduleHandler {
  const name = options.name;
  return async function faasportAwsSchedule(event: AwsScheduleEvent, context: LambdaContext) {
    const source = detectEventSource(event);
    let tick;
    if (source === 'eventbridge' && isScheduledEvent(event as AwsBridgeEvent)) tick = scheduleFromBridge(event as ScheduledEvent);
    else if (source === 'scheduler') tick = scheduleFromScheduler(event as Exclude<AwsScheduleEvent, AwsBridgeEvent>);
    else throw wrongEvent('schedule', SCHEDULE_EXPECTS, event);
    const native: AwsScheduleNative = { event, context, record: event };
    // A failure throws: an EventBridge rule or Scheduler invokes asynchronously, so Lambda retries the tick.
    await runAllOrThrow(fn, invocation(event, context, name), [{ input: tick, native, fields: undefined }]);
  };
}
