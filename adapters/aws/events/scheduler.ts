/** EventBridge Scheduler payloads -> neutral ScheduleEvent. Pure. */
import { BadEventError, describeValue } from '../../../core/errors.js';
import type { ScheduleEvent } from '../../../core/types.js';
import type { SchedulerInput } from '../types.js';

/**
 * EventBridge Scheduler sends a Lambda target only the `Input` the schedule defines (no envelope, no time).
 * A faasport schedule deployed on Scheduler (SAM `ScheduleV2`) sets its Input to this JSON; Scheduler replaces
 * each `<aws.scheduler.*>` placeholder when it invokes. A plain EventBridge rule (SAM `Schedule`) needs nothing.
 */
export const SCHEDULER_INPUT = {
  source: 'faasport.scheduler',
  scheduledTime: '<aws.scheduler.scheduled-time>',
  scheduleArn: '<aws.scheduler.schedule-arn>',
  executionId: '<aws.scheduler.execution-id>',
  attemptNumber: '<aws.scheduler.attempt-number>',
} as const satisfies SchedulerInput;

export const isSchedulerInput = (event: unknown): event is SchedulerInput =>
  typeof event === 'object' && event !== null && (event as { source?: unknown }).source === SCHEDULER_INPUT.source;

export function scheduleFromScheduler(input: SchedulerInput): ScheduleEvent {
  // Type first: new Date() of a BigInt or Symbol throws a TypeError of the engine's.
  const scheduledTime = typeof input.scheduledTime === 'string' ? new Date(input.scheduledTime) : undefined;
  if (scheduledTime === undefined || Number.isNaN(scheduledTime.getTime())) {
    throw new BadEventError(
      `faasport/aws: the EventBridge Scheduler payload has no valid scheduledTime (it is ${describeValue(input.scheduledTime)}); ` +
        `the schedule's Input must be ${JSON.stringify(SCHEDULER_INPUT)}`,
    );
  }
  return { scheduledTime };
}
