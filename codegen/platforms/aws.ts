/** AWS Lambda facts: runtimes and limits, each row with its source. */
import type { PlatformLimit, PlatformRuntime, RetiredRuntime } from './types.js';
import type { TriggerNameRule } from './naming.js';

const LAMBDA_NODEJS = 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html (supported Node.js runtimes table)';
const LAMBDA_QUOTAS = 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html';

export const AWS_RUNTIMES: readonly PlatformRuntime[] = [
  { runtime: 'node22', id: 'nodejs22.x', endOfSupport: '2027-04-30', deployBlocked: '2027-06-01', source: LAMBDA_NODEJS },
  { runtime: 'node24', id: 'nodejs24.x', endOfSupport: '2028-04-30', deployBlocked: '2028-06-01', source: LAMBDA_NODEJS },
];

/** Also what cfn-lint's E2533 reports for nodejs20.x. */
export const AWS_RETIRED_RUNTIMES: readonly RetiredRuntime[] = [
  { runtime: 'node20', id: 'nodejs20.x', ended: 'deprecated on 2026-04-30 (creation disabled 2026-06-01, updates 2026-07-01)', source: LAMBDA_NODEJS },
];

const SQS_EVENT_SOURCE = 'https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html (BatchSize; batching window not supported for FIFO queues)';
const SQS_CREATE_QUEUE = 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html';
const SNS_CREATE_TOPIC = 'https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html';
const S3_BUCKET_NAMES = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html';

/** Names of the resources AWS triggers use (the SAM template creates queues and their `-dlq`). */
export const AWS_TRIGGER_NAMES: readonly TriggerNameRule[] = [
  {
    kind: 'queue',
    option: 'queue',
    resource: 'SQS queue',
    pattern: /^[A-Za-z0-9_-]+(\.fifo)?$/,
    min: 1,
    max: 80,
    suffix: '-dlq',
    rule: 'up to 80 characters: letters, digits, "-" and "_"; a FIFO queue name ends in ".fifo"',
    source: SQS_CREATE_QUEUE,
  },
  {
    kind: 'topic',
    option: 'topic',
    resource: 'SNS topic',
    pattern: /^[A-Za-z0-9_-]+(\.fifo)?$/,
    min: 1,
    max: 256,
    rule: '1 to 256 characters: ASCII letters, digits, "_" and "-"; a FIFO topic name ends in ".fifo"',
    source: SNS_CREATE_TOPIC,
  },
  {
    kind: 'storage',
    option: 'bucket',
    resource: 'S3 bucket',
    pattern: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
    min: 3,
    max: 63,
    forbidden: [
      { test: /\.\./, rule: 'no two adjacent periods' },
      { test: /^\d+\.\d+\.\d+\.\d+$/, rule: 'not formatted as an IP address' },
      { test: /^(xn--|sthree-|amzn-s3-demo-)/, rule: 'must not start with "xn--", "sthree-" or "amzn-s3-demo-"' },
      { test: /(-s3alias|--ol-s3|--x-s3|--table-s3)$/, rule: 'must not end with "-s3alias", "--ol-s3", "--x-s3" or "--table-s3"' },
    ],
    rule: '3 to 63 characters: lower-case letters, digits, "." and "-", beginning and ending with a letter or digit',
    source: S3_BUCKET_NAMES,
  },
];

export const AWS_LIMITS = {
  /** Lambda memory: 128 MB to 10,240 MB, in 1-MB steps. */
  memory: { min: 128, max: 10_240, unit: 'MB', source: `${LAMBDA_QUOTAS} (function memory)` },
  /** Lambda timeout: at most 900 seconds (15 minutes). */
  timeout: { min: 1, max: 900, unit: 's', source: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html' },
  /** ReservedConcurrentExecutions: the account's default concurrency quota is 1,000 (raisable). */
  concurrency: { min: 1, max: 1_000, unit: 'concurrent executions', source: `${LAMBDA_QUOTAS} (concurrent executions, default quota)` },
  /**
   * SNS, S3 and EventBridge invoke Lambda asynchronously: Lambda retries a failed event 0 to 2 times
   * (EventInvokeConfig MaximumRetryAttempts), so 1 to 3 attempts in all.
   */
  asyncAttempts: {
    min: 1,
    max: 3,
    unit: 'attempts (Lambda async invocation: 0 to 2 retries)',
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html (Maximum retry attempts, 0 to 2)',
  },
  /** SQS redrive policy: a message is received at most maxReceiveCount (1 to 1,000) times before it is dead-lettered. */
  sqsMaxReceiveCount: {
    min: 1,
    max: 1_000,
    unit: 'receives (SQS maxReceiveCount)',
    source: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html (maxReceiveCount)',
  },
  /** Lambda's SQS event source: BatchSize up to 10,000 on a standard queue, 10 on a FIFO queue. */
  sqsBatchSize: { min: 1, max: 10_000, unit: 'messages (standard queue)', source: SQS_EVENT_SOURCE },
  sqsFifoBatchSize: { min: 1, max: 10, unit: 'messages (FIFO queue)', source: SQS_EVENT_SOURCE },
} as const satisfies Readonly<Record<string, PlatformLimit>>;

/** A topic function that sets no maxAttempts gets the most Lambda allows for an asynchronous event. */
export const AWS_ASYNC_DEFAULT_ATTEMPTS = AWS_LIMITS.asyncAttempts.max;

/**
 * API Gateway HTTP APIs give up on an integration after at most 30 s and answer the caller 503; a Lambda
 * Function URL has no such limit (the function's own timeout applies).
 */
export const HTTP_API_INTEGRATION_TIMEOUT = {
  seconds: 30,
  status: 503,
  source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html (maximum integration timeout, 30 seconds)',
} as const;

/** ALB and API Gateway REST APIs cannot carry the response stream faasport generates; Function URLs can. */
export const RESPONSE_STREAMING_SOURCE = 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html';

/** SAM Globals when a function sets nothing: written in template.yaml and read back by the emulator. */
export const AWS_DEFAULTS = { memory: 256, timeout: 30 } as const;

/** AWS advises an SQS event source queue's visibility timeout of at least six times the function timeout. */
export const SQS_VISIBILITY_FACTOR = { factor: 6, source: 'https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html (queue visibility timeout)' } as const;
