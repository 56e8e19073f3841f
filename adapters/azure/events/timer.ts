/**
 * Timer trigger (`app.timer`, 6-field NCRONTAB) -> ScheduleEvent.
 *
 * The host passes the TimerInfo it held *before* the tick: `scheduleStatus.next` is the occurrence being fired
 * (also when `isPastDue`), `last` the one before. So `scheduledTime` = `scheduleStatus.next`. There is no
 * schedule status when the timer runs without a monitor (`useMonitor: false`, or schedules under a minute), and
 * a runOnStartup tick carries a future `next`; then the invocation time truncated to the minute stands in (the
 * neutral cron has minute precision).
 */
import type { InvocationContext, Timer } from '@azure/functions';
import type { ScheduleEvent, ScheduleFunction } from '../../../core/types.js';
import { azureContextInit } from '../context.js';
import type { AdaptOptions, AzureEventHandler, AzureEventNative } from '../types.js';
import { readDate, readRecord } from './metadata.js';
import { settle } from './settle.js';

/** A `next` this far ahead of the invocation is not the tick being fired. */
const CLOCK_SKEW_MS = 60_000;

/** Pure: TimerInfo (as the library hands it) and the invocation time -> ScheduleEvent. */
export function toScheduleEvent(timer: unknown, now: Date): ScheduleEvent {
  const status = readRecord(readRecord(timer)?.scheduleStatus);
  const next = readDate(status?.next);
  if (next && next.getTime() <= now.getTime() + CLOCK_SKEW_MS) return { scheduledTime: next };
  return { scheduledTime: new Date(Math.floor(now.getTime() / 60_000) * 60_000) };
}

export function timerHandler(fn: ScheduleFunction, options: AdaptOptions = {}): AzureEventHandler<Timer> {
  return async (timer: Timer, context: InvocationContext): Promise<void> => {
    const tick = toScheduleEvent(timer, new Date());
    await settle(fn, tick, azureContextInit<AzureEventNative>(context, options.name, { trigger: timer, context }), `the tick of ${tick.scheduledTime.toISOString()}`);
  };
}
