/** Public types of faasport/aws. Type-only imports: nothing from 'aws-lambda' is bundled. */
import type {
  ALBEvent,
  ALBResult,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  Context as LambdaContext,
  EventBridgeEvent,
  LambdaFunctionURLEvent,
  S3Event,
  S3EventRecord,
  S3ObjectCreatedNotificationEvent,
  S3ObjectDeletedNotificationEvent,
  ScheduledEvent,
  SNSEvent,
  SNSEventRecord,
  SNSMessageAttributes,
  SQSBatchResponse,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda';
import type { Context, HttpContext } from '../../core/types.js';

export type { LambdaContext };

/** What `ctx.native` holds on AWS: the raw Lambda event and context, for escape hatches. */
export interface AwsNative<E> {
  readonly event: E;
  readonly context: LambdaContext;
}

/** The Lambda payload shapes an HTTP function answers (one HttpShape each, in http/apigw-v2.ts, apigw-v1.ts, alb.ts). */
export const HTTP_EVENT_SHAPES = ['apigw-v2', 'apigw-v1', 'alb', 'alb-multi-value'] as const;
export type HttpEventShape = (typeof HTTP_EVENT_SHAPES)[number];

/**
 * The kinds of Lambda HTTP event a handler can be built to read, as `faasport build --aws-http-events` names
 * them: API Gateway HTTP API or Function URL (payload 2.0), API Gateway REST API (payload 1.0), ALB (both
 * target group modes).
 */
export const HTTP_EVENT_SOURCES = ['apigw-v2', 'apigw-v1', 'alb'] as const;
export type HttpEventSource = (typeof HTTP_EVENT_SOURCES)[number];

/**
 * Reads one kind of Lambda HTTP event: `apiGatewayV2Events`, `apiGatewayV1Events` or `albEvents` from
 * faasport/aws, passed to `adaptHttpFor()`. Made by faasport only.
 */
export interface HttpEventReader {
  readonly id: HttpEventSource;
  /** What such an event looks like, for the 400 answering an event of no known kind. */
  readonly expected: string;
  /** faasport's own: the payload shape of an event of this kind (http/common.ts, ShapeReader). */
  shapeOf(event: never): unknown;
}

export type AwsHttpEvent = APIGatewayProxyEventV2 | LambdaFunctionURLEvent | APIGatewayProxyEvent | ALBEvent;
export type AwsHttpResult = APIGatewayProxyStructuredResultV2 | APIGatewayProxyResult | ALBResult;
export type AwsHttpNative = AwsNative<AwsHttpEvent>;
/** `ctx` of an HTTP handler on AWS: `(ctx as AwsHttpContext).native.event`. */
export type AwsHttpContext = HttpContext<AwsHttpNative>;

/** The native Lambda handler `adapt(httpFunction)` returns. */
export type AwsHttpHandler = (event: AwsHttpEvent, context: LambdaContext) => Promise<AwsHttpResult>;

export interface AdaptOptions {
  /** The faasport function name, used as `ctx.functionName` (default: the Lambda function name). */
  readonly name?: string;
}

// ---------------------------------------------------------------------------------------------------
// Event kinds (queue, topic, storage, schedule, event): see events/README.md.

/** The Lambda payload shapes the event kinds read (see events/detect.ts). */
export const EVENT_SOURCES = ['sqs', 'sns', 's3', 'eventbridge', 'scheduler'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

/**
 * An SNS notification as SNS writes it into an SQS message body (raw message delivery off). Spelled as in
 * that JSON (`SigningCertURL`, `UnsubscribeURL`), which differs from the Lambda SNS event (`...Url`).
 */
export interface SnsEnvelope {
  readonly Type: 'Notification';
  readonly MessageId: string;
  readonly TopicArn: string;
  readonly Message: string;
  readonly Timestamp: string;
  readonly Subject?: string | null;
  readonly MessageAttributes?: SNSMessageAttributes;
  readonly SignatureVersion?: string;
  readonly Signature?: string;
  readonly SigningCertURL?: string;
  readonly UnsubscribeURL?: string;
}

/** What S3 sends once to a new notification destination; it carries no object and is acked unseen. */
export interface S3TestEvent {
  readonly Service: 'Amazon S3';
  readonly Event: 's3:TestEvent';
  readonly Time: string;
  readonly Bucket: string;
  readonly RequestId?: string;
  readonly HostId?: string;
}

/** S3 events delivered through EventBridge (bucket setting "send notifications to EventBridge"). */
export type S3BridgeEvent = S3ObjectCreatedNotificationEvent | S3ObjectDeletedNotificationEvent;

/**
 * The payload an EventBridge Scheduler schedule must send to a faasport schedule function: Scheduler sends
 * only what the target's `Input` says, so the deployment sets `Input` to `SCHEDULER_INPUT` (events/scheduler.ts)
 * and Scheduler fills in the `<aws.scheduler.*>` placeholders.
 */
export interface SchedulerInput {
  readonly source: 'faasport.scheduler';
  readonly scheduledTime: string;
  readonly scheduleArn?: string;
  readonly executionId?: string;
  readonly attemptNumber?: string;
}

/** `ctx.native` of an event kind: the Lambda event and context, and the record this input came from. */
export interface AwsRecordNative<E, R> extends AwsNative<E> {
  readonly record: R;
}
/** ... when the record travelled inside another one (S3 -> SQS, SNS -> SQS): `carrier` is that outer record. */
export interface AwsCarriedNative<E, R, C> extends AwsRecordNative<E, R> {
  readonly carrier: C;
}

export type AwsQueueNative = AwsRecordNative<SQSEvent, SQSRecord>;
export type AwsTopicNative = AwsRecordNative<SNSEvent, SNSEventRecord> | AwsCarriedNative<SQSEvent, SnsEnvelope, SQSRecord>;
export type AwsStorageNative =
  | AwsRecordNative<S3Event, S3EventRecord>
  | AwsCarriedNative<SQSEvent, S3EventRecord, SQSRecord>
  | AwsCarriedNative<SNSEvent, S3EventRecord, SNSEventRecord>
  | AwsRecordNative<S3BridgeEvent, S3BridgeEvent>;
export type AwsScheduleEvent = ScheduledEvent | SchedulerInput;
export type AwsScheduleNative = AwsRecordNative<AwsScheduleEvent, AwsScheduleEvent>;
/** Any EventBridge event (custom bus events, AWS service events). */
export type AwsBridgeEvent = EventBridgeEvent<string, unknown>;
export type AwsCloudEventNative = AwsRecordNative<AwsBridgeEvent, AwsBridgeEvent>;

/** `ctx` of each event kind on AWS: `(ctx as AwsQueueContext).native.record.receiptHandle`. */
export type AwsQueueContext = Context<AwsQueueNative>;
export type AwsTopicContext = Context<AwsTopicNative>;
export type AwsStorageContext = Context<AwsStorageNative>;
export type AwsScheduleContext = Context<AwsScheduleNative>;
export type AwsCloudEventContext = Context<AwsCloudEventNative>;

export type AwsTopicEvent = SNSEvent | SQSEvent;
export type AwsStorageEvent = S3Event | SQSEvent | SNSEvent | S3BridgeEvent;

/** The native Lambda handlers `adapt()` returns for each event kind. */
export type AwsQueueHandler = (event: SQSEvent, context: LambdaContext) => Promise<SQSBatchResponse>;
/** Answers a partial batch response for SQS, nothing for SNS (a failure throws so that SNS retries). */
export type AwsTopicHandler = (event: AwsTopicEvent, context: LambdaContext) => Promise<SQSBatchResponse | undefined>;
export type AwsStorageHandler = (event: AwsStorageEvent, context: LambdaContext) => Promise<SQSBatchResponse | undefined>;
export type AwsScheduleHandler = (event: AwsScheduleEvent, context: LambdaContext) => Promise<void>;
export type AwsCloudEventHandler = (event: AwsBridgeEvent, context: LambdaContext) => Promise<void>;
