/**
 * schedule -> a Cloud Scheduler job that publishes to a Pub/Sub topic, delivered by Eventarc as a
 * messagePublished CloudEvent. Pub/Sub targets carry no schedule time (only HTTP targets get an
 * `X-CloudScheduler-ScheduleTime` header), so `scheduledTime` is the message's publishTime: the moment
 * the job fired, usually within a second after the scheduled minute. Falls back to the event's `time`.
 */
import { BadEventError } from '../../core/errors.js';
import type { ScheduleEvent, ScheduleFunction } from '../../core/types.js';
import { cloudEventHandler } from './cloudevent.js';
import { publishTimeOf } from './pubsub.js';
import { messagePublishedData } from './topic.js';
import type { AdaptOptions, GcpCloudEvent, GcpCloudEventHandler } from './types.js';

/** messagePublished CloudEvent from Cloud Scheduler -> ScheduleEvent (pure). */
export function scheduleEvent(cloudEvent: GcpCloudEvent): ScheduleEvent {
  const { message } = messagePublishedData(cloudEvent);
  const published = publishTimeOf(message);
  if (published) return { scheduledTime: published };
  const time = typeof cloudEvent.time === 'string' ? new Date(cloudEvent.time) : undefined;
  if (time && !Number.isNaN(time.getTime())) return { scheduledTime: time };
  throw new BadEventError('faasport: the scheduler message has no publishTime and the CloudEvent no valid time');
}

export function adaptSchedule(fn: ScheduleFunction, options: AdaptOptions = {}): GcpCloudEventHandler {
  return cloudEventHandler(fn, options, (ce) => ({ input: scheduleEvent(ce) }));
}
