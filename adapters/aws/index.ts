export { adapt, adaptBufferedHttpFor, adaptEvent, adaptHttp, adaptHttpFor, adaptQueue, adaptSchedule, adaptStorage, adaptStreamingHttpFor, adaptTopic } from './adapt.js';
export { toStreamPrelude } from './http/stream.js';
export type { AwsLambdaGlobal, AwsStreamingHttpHandler, LambdaResponseStream, StreamPrelude } from './http/stream.js';
export { SCHEDULER_INPUT } from './events/scheduler.js';
export { albEvents } from './http/alb.js';
export { apiGatewayV1Events } from './http/apigw-v1.js';
export { apiGatewayV2Events } from './http/apigw-v2.js';
export { EVENT_SOURCES, HTTP_EVENT_SHAPES, HTTP_EVENT_SOURCES } from './types.js';
export type {
  AdaptOptions,
  AwsBridgeEvent,
  AwsCarriedNative,
  AwsCloudEventContext,
  AwsCloudEventHandler,
  AwsCloudEventNative,
  AwsHttpContext,
  AwsHttpEvent,
  AwsHttpHandler,
  AwsHttpNative,
  AwsHttpResult,
  AwsNative,
  AwsQueueContext,
  AwsQueueHandler,
  AwsQueueNative,
  AwsRecordNative,
  AwsScheduleContext,
  AwsScheduleEvent,
  AwsScheduleHandler,
  AwsScheduleNative,
  AwsStorageContext,
  AwsStorageEvent,
  AwsStorageHandler,
  AwsStorageNative,
  AwsTopicContext,
  AwsTopicEvent,
  AwsTopicHandler,
  AwsTopicNative,
  EventSource,
  HttpEventReader,
  HttpEventShape,
  HttpEventSource,
  LambdaContext,
  S3BridgeEvent,
  S3TestEvent,
  SchedulerInput,
  SnsEnvelope,
} from './types.js';
