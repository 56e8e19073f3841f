import { isFaasFunction } from '../../core/define.js';
import type {
  AnyFunction,
  EventFunction,
  FunctionKind,
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
import type { ShapeReader } from './http/common.js';
import { ALL_HTTP_EVENTS } from './http/detect.js';
import { httpHandler } from './http/handler.js';
import { lambdaGlobal, streamingHttpHandler, type AwsStreamingHttpHandler } from './http/stream.js';
import { isStreaming } from '../../core/stream.js';
import { unlistedEvent } from './http/unlisted.js';
import type {
  AdaptOptions,
  AwsCloudEventHandler,
  AwsHttpHandler,
  AwsQueueHandler,
  AwsScheduleHandler,
  AwsStorageHandler,
  AwsTopicHandler,
  HttpEventReader,
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
  checkFunction(fn, 'adapt');
  switch (fn.kind) {
    case 'http':
      return httpFor(fn, ALL_HTTP_EVENTS, options);
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

/*
 * One adapter per kind: what adapt() does for that kind, without linking the others. A bundle of one
 * function (codegen's AWS entries import the one for the function's kind) then holds only its kind's code.
 */

export const adaptHttp = (fn: HttpFunction, options?: AdaptOptions): AwsHttpHandler =>
  httpFor(checkKind(fn, 'http', 'adaptHttp'), ALL_HTTP_EVENTS, options);

/**
 * A streaming function (`http({ stream: true })`) is a Lambda response-streaming handler: adapt(), adaptHttp() and
 * adaptHttpFor() return it already passed through `awslambda.streamifyResponse` (Lambda's Node.js runtime only).
 */
function httpFor(fn: HttpFunction, readers: readonly ShapeReader[], options?: AdaptOptions, unlisted?: typeof unlistedEvent): AwsHttpHandler {
  if (!isStreaming(fn)) return httpHandler(fn, readers, options, unlisted);
  return lambdaGlobal().streamifyResponse(streamingHttpHandler(fn, readers, options, unlisted)) as unknown as AwsHttpHandler;
}

/**
 * The response-streaming handler of a streaming function, for `awslambda.streamifyResponse` (what `faasport build`
 * writes: `export const handler = awslambda.streamifyResponse(adaptStreamingHttpFor([apiGatewayV2Events], fn, { name }))`).
 * Function URLs in RESPONSE_STREAM mode send payload 2.0 events.
 */
export const adaptStreamingHttpFor = (events: readonly HttpEventReader[], fn: HttpFunction, options?: AdaptOptions): AwsStreamingHttpHandler => {
  if (!events[0]) throw new TypeError('faasport/aws: adaptStreamingHttpFor() needs one or more of apiGatewayV2Events, apiGatewayV1Events, albEvents');
  return streamingHttpHandler(checkKind(fn, 'http', 'adaptStreamingHttpFor'), events as readonly ShapeReader[], options, unlistedEvent);
};

/**
 * adaptHttp() reading only the listed kinds of event, so that a bundle links only their shapes:
 * `adaptHttpFor([apiGatewayV2Events], fn, { name })`. An event of another kind gets a 400 that names it.
 */
export const adaptHttpFor = (events: readonly HttpEventReader[], fn: HttpFunction, options?: AdaptOptions): AwsHttpHandler => {
  if (!events[0]) throw new TypeError('faasport/aws: adaptHttpFor() needs one or more of apiGatewayV2Events, apiGatewayV1Events, albEvents');
  return httpFor(checkKind(fn, 'http', 'adaptHttpFor'), events as readonly ShapeReader[], options, unlistedEvent);
};

/**
 * adaptHttpFor() for a function that does not stream: what `faasport build` writes for one, so that its bundle links
 * none of the streaming code. A streaming function is refused (adaptHttpFor and adaptStreamingHttpFor take it).
 */
export const adaptBufferedHttpFor = (events: readonly HttpEventReader[], fn: HttpFunction, options?: AdaptOptions): AwsHttpHandler => {
  if (!events[0]) throw new TypeError('faasport/aws: adaptBufferedHttpFor() needs one or more of apiGatewayV2Events, apiGatewayV1Events, albEvents');
  const checked = checkKind(fn, 'http', 'adaptBufferedHttpFor');
  // Inline rather than isStreaming(): then no part of core/stream.ts is linked.
  if (checked.options.stream === true) {
    throw new TypeError('faasport/aws: adaptBufferedHttpFor() takes only functions that do not stream; use adaptStreamingHttpFor() (or adaptHttpFor()) for http({ stream: true })');
  }
  return httpHandler(checked, events as readonly ShapeReader[], options, unlistedEvent);
};

export const adaptQueue = (fn: QueueFunction, options?: AdaptOptions): AwsQueueHandler => queueHandler(checkKind(fn, 'queue', 'adaptQueue'), options);
export const adaptTopic = (fn: TopicFunction, options?: AdaptOptions): AwsTopicHandler => topicHandler(checkKind(fn, 'topic', 'adaptTopic'), options);
export const adaptStorage = (fn: StorageFunction, options?: AdaptOptions): AwsStorageHandler =>
  storageHandler(checkKind(fn, 'storage', 'adaptStorage'), options);
export const adaptSchedule = (fn: ScheduleFunction, options?: AdaptOptions): AwsScheduleHandler =>
  scheduleHandler(checkKind(fn, 'schedule', 'adaptSchedule'), options);
export const adaptEvent = (fn: EventFunction, options?: AdaptOptions): AwsCloudEventHandler =>
  cloudEventHandler(checkKind(fn, 'event', 'adaptEvent'), options);

function checkFunction(fn: unknown, caller: string): asserts fn is AnyFunction {
  if (!isFaasFunction(fn)) {
    throw new TypeError(
      `faasport/aws: ${caller}() needs a function made by http(), queue(), topic(), storage(), schedule() or event(); got ${fn === null ? 'null' : typeof fn}`,
    );
  }
}

function checkKind<F extends AnyFunction>(fn: F, kind: FunctionKind, caller: string): F {
  checkFunction(fn, caller);
  if (fn.kind !== kind) {
    throw new TypeError(`faasport/aws: ${caller}() takes only ${kind} functions; got a ${String(fn.kind)} function (adapt() takes any kind)`);
  }
  return fn;
}
