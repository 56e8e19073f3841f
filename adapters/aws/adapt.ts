import { isFaasFunction } from '../../core/define.js';
import type {
  AnyFunction,
  EventFunction,
  HttpFunction,
  QueueFunction,
  ScheduleFunction,
  StorageFunction,
  TopicFunction,
} from '../../core/types.js';
import { cloudEventHandler } from './events/cloudevent.js';
import { queueHandler } from './events/queue.js';
import { scheduleHandler } from './events/schedule.js';
import { storageHandler } from './events/storage.js';
import { topicHandler } from './events/topic.js';
import { httpHandler } from './http/handler.js';
import type {
  AdaptOptions,
  AwsCloudEventHandler,
  AwsHttpHandler,
  AwsQueueHandler,
  AwsScheduleHandler,
  AwsStorageHandler,
  AwsTopicHandler,
  LambdaContext,
} from './types.js';

/**
 * Turns a faasport function into a native Lambda handler: `export const handler = adapt(fn, { name })`.
 * One branch per kind; each kind's handler lives in its own module.
 */
export function adapt(fn: HttpFunction, options?: AdaptOptions): AwsHttpHandler;
export function adapt(fn: QueueFunction, options?: AdaptOptions): AwsQueueHandler;
export function adapt(fn: TopicFunction, options?: AdaptOptions): AwsTopicHandler;
export function adapt(fn: StorageFunction, options?: AdaptOptions): AwsStorageHandler;
export function adapt(fn: ScheduleFunction, options?: AdaptOptions): AwsScheduleHandler;
export function adapt(fn: EventFunction, options?: AdaptOptions): AwsCloudEventHandler;
export function adapt(fn: AnyFunction, options?: AdaptOptions): (event: never, context: LambdaContext) => Promise<unknown>;
export function adapt(fn: AnyFunction, options: AdaptOptions = {}): (event: never, context: LambdaContext) => Promise<unknown> {
  if (!isFaasFunction(fn)) {
    throw new TypeError(
      `faasport/aws: adapt() needs a function made by http(), queue(), topic(), storage(), schedule() or event(); got ${fn === null ? 'null' : typeof fn}`,
    );
  }
  switch (fn.kind) {
    case 'http':
      return httpHandler(fn, options);
    case 'queue':
      return queueHandler(fn, options);
    case 'topic':
      return topicHandler(fn, options);
    case 'storage':
      return storageHandler(fn, options);
    case 'schedule':
      return scheduleHandler(fn, options);
    case 'event':
      return cloudEventHandler(fn, options);
    default:
      throw new TypeError(`faasport/aws: adapt() got a function of unknown kind "${String((fn as { kind: unknown }).kind)}"`);
  }
}
