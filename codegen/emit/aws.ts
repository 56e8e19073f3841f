/**
 * AWS: an AWS SAM `template.yaml` (one AWS::Serverless::Function per faasport function, CodeUri
 * `<name>/`, handler `index.handler`) and `faasport.json`. The bundles come from bundle.ts.
 *
 * Triggers, as the faasport/aws adapter expects them (adapters/aws/events/README.md):
 * - queue: an SQS event source with `ReportBatchItemFailures`, the queue and its DLQ (`maxReceiveCount` =
 *   maxAttempts) declared here;
 * - topic: the SNS topic and an SNS subscription; storage: the S3 bucket (SAM requires it in the template) and
 *   its `s3:ObjectCreated:*` / `s3:ObjectRemoved:*` notifications; schedule: an EventBridge rule with the cron
 *   translated; event: an EventBridge rule matching `detail-type` (and `source`);
 * - every asynchronously invoked kind (topic, storage, schedule, event): Lambda retries (maxAttempts - 1: 0 to 2;
 *   validate.ts refuses a maxAttempts outside 1 to 3, and a function that sets none gets 3) then sends the event
 *   to an on-failure SQS queue; EventBridge rules also get a retry policy and a DLQ for events they could not
 *   deliver.
 */
import { toAwsCron } from '../cron/translate.js';
import type { DiscoveredFunction, DiscoveredFunctionOf } from '../discover.js';
import { awsHttpApiPaths, deployedMethods, sharedRouteKeys, type HttpDiscovered } from '../routes.js';
import { AWS_ASYNC_DEFAULT_ATTEMPTS, AWS_DEFAULTS, AWS_LIMITS, SQS_VISIBILITY_FACTOR } from '../platforms/aws.js';
import { platformRuntime } from '../runtime.js';
import type { SecretRef } from '../../core/types.js';
import { toYaml, type YamlValue } from '../yaml.js';
import { manifestFile, type DeployedSettings } from './manifest.js';
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_STORAGE_EVENTS, type EmitInput, type OutputFile } from './types.js';

/** API Gateway HTTP APIs give up on an integration after 30 s: the default timeout (a function may set more). */
export const AWS_TIMEOUT_SECONDS = AWS_DEFAULTS.timeout;
/** 14 days, the longest SQS keeps a message: failed events wait this long in their dead-letter queue. */
const DEAD_LETTER_RETENTION_SECONDS = 1209600;

type Mapping = { [key: string]: YamlValue | undefined };

const getAtt = (id: string, attribute: string): Mapping => ({ 'Fn::GetAtt': [id, attribute] });
const ref = (id: string): Mapping => ({ Ref: id });

/** PascalCase alphanumerics: `get-item` -> `GetItem`; CloudFormation logical IDs allow nothing else. */
export function pascalCase(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const id = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return /^[A-Za-z]/.test(id) ? id : `F${id}`;
}

/** Hands out unique logical IDs in call order (deterministic: callers go through sorted functions). */
class LogicalIds {
  private readonly used = new Set<string>(['ServerlessHttpApi']);
  /** Marks an id SAM's transform will create, so none of ours takes it. */
  reserve(id: string): void {
    this.used.add(id);
  }
  take(base: string): string {
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}${n}`;
    this.used.add(id);
    return id;
  }
}

const HTTP_EVENT = 'Http';

/**
 * Ids SAM's transform gives the resources it makes for a function: its role, URL and async config, and per event
 * `<FunctionId><EventName>` (the event source mapping, subscription or rule) and `<FunctionId><EventName>Permission`
 * (aws-sam-translator model/sam_resources.py `lambda_function.logical_id + logical_id`, and
 * model/eventsources/push.py `prefix + "Permission"`). A queue named after its function must not take one.
 */
const SAM_EVENT_NAMES = [
  ...['', 'Prefix'].flatMap((prefix) => ['', 'Get', 'Head', 'Post', 'Put', 'Patch', 'Delete', 'Options'].map((method) => `${HTTP_EVENT}${prefix}${method}`)),
  'Queue',
  'Topic',
  'Storage',
  'Schedule',
  'Event',
];
const SAM_GENERATED_SUFFIXES = ['Role', 'Url', 'UrlPublicPermissions', 'EventInvokeConfig', ...SAM_EVENT_NAMES.flatMap((name) => [name, `${name}Permission`])];
/** Messages per invocation when a queue function does not say (core/types.ts QueueOptions). */
const DEFAULT_BATCH_SIZE = 10;
const S3_EVENTS = { created: 's3:ObjectCreated:*', deleted: 's3:ObjectRemoved:*' } as const;

/**
 * A non-anonymous function is private: its routes get IAM authorization, so only SigV4-signed callers with
 * `execute-api:Invoke` reach it (docs.aws.amazon.com/apigateway/latest/developerguide/http-api-access-control-iam.html;
 * SAM: HttpApiFunctionAuth `Authorizer: AWS_IAM`, which needs the API's `Auth.EnableIamAuthorizer`).
 */
const isPrivate = (fn: DiscoveredFunction): boolean => fn.kind === 'http' && (fn.options.authLevel ?? 'anonymous') !== 'anonymous';

function httpEvents(fn: HttpDiscovered, shared: ReadonlySet<string>): Mapping {
  const methods = deployedMethods(fn, shared);
  const paths = awsHttpApiPaths(fn.options.route);
  const events: Mapping = {};
  paths.forEach((path, index) => {
    const base = index === 0 ? HTTP_EVENT : `${HTTP_EVENT}Prefix`;
    for (const method of methods === 'any' ? ['ANY'] : methods) {
      const name = methods === 'any' ? base : `${base}${method[0]}${method.slice(1).toLowerCase()}`;
      events[name] = { Type: 'HttpApi', Properties: { Path: path, Method: method, Auth: isPrivate(fn) ? { Authorizer: 'AWS_IAM' } : undefined } };
    }
  });
  return events;
}

interface Built {
  readonly resources: Mapping;
  readonly ids: LogicalIds;
  /** Shared resources by name, so two functions on one queue use one queue. */
  readonly queues: Map<string, string>;
  readonly topics: Map<string, string>;
  readonly buckets: Map<string, string>;
  /** The longest timeout among the functions reading each queue: its visibility timeout follows it. */
  readonly queueTimeouts: ReadonlyMap<string, number>;
}

const timeoutOf = (built: Built, queue: string): number => built.queueTimeouts.get(queue) ?? AWS_TIMEOUT_SECONDS;

/**
 * A secret becomes a CloudFormation dynamic reference to Secrets Manager: CloudFormation resolves it at deploy
 * time (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-secretsmanager.html).
 */
export const secretsManagerReference = (ref: SecretRef): string =>
  ref.version === undefined ? `{{resolve:secretsmanager:${ref.secret}}}` : `{{resolve:secretsmanager:${ref.secret}:SecretString:::${ref.version}}}`;

/** The function's own Properties for its settings (unset ones fall back to the Globals). */
function settingsProperties(fn: DiscoveredFunction): Mapping {
  const { memory, timeout, concurrency, environment } = fn.options;
  const variables = Object.entries(environment ?? {}).map(([name, value]) => [name, typeof value === 'string' ? value : secretsManagerReference(value)]);
  return {
    MemorySize: memory,
    Timeout: timeout,
    ReservedConcurrentExecutions: concurrency,
    Environment: variables.length > 0 ? { Variables: Object.fromEntries(variables) } : undefined,
  };
}

/** What the template tells Lambda about a function (faasport.json, read by the emulator). */
export function awsSettings(fn: DiscoveredFunction): DeployedSettings {
  const { memory, timeout, concurrency, environment } = fn.options;
  return {
    timeout: timeout ?? AWS_DEFAULTS.timeout,
    memory: memory ?? AWS_DEFAULTS.memory,
    environment: environment ?? {},
    ...(concurrency === undefined ? {} : { concurrency }),
    ...(fn.kind === 'queue' ? { maxAttempts: fn.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS } : {}),
    ...(fn.kind === 'topic' ? { maxAttempts: topicAttempts(fn) } : {}),
  };
}

/** SQS batches above 10 messages need a batching window (standard queues only). */
const batchingWindow = (batchSize: number): number | undefined => (batchSize > 10 ? 1 : undefined);

/**
 * The queue and its dead-letter queue. A message is received at most `maxAttempts` times, then moved to the
 * DLQ. The visibility timeout is six times the function timeout plus the batching window (AWS guidance for
 * SQS event sources), so a message is not redelivered while a slow batch is still running.
 */
function queueResource(built: Built, fn: DiscoveredFunctionOf<'queue'>): string {
  const known = built.queues.get(fn.options.queue);
  if (known) return known;
  const name = fn.options.queue;
  // A FIFO queue's name ends in ".fifo", and its dead-letter queue must be FIFO too.
  const fifo = name.endsWith('.fifo');
  const base = fifo ? name.slice(0, -'.fifo'.length) : name;
  const id = built.ids.take(`${pascalCase(base)}Queue`);
  const dlq = built.ids.take(`${pascalCase(base)}DeadLetterQueue`);
  built.resources[dlq] = {
    Type: 'AWS::SQS::Queue',
    Properties: { QueueName: `${base}-dlq${fifo ? '.fifo' : ''}`, FifoQueue: fifo ? true : undefined, MessageRetentionPeriod: DEAD_LETTER_RETENTION_SECONDS },
  };
  built.resources[id] = {
    Type: 'AWS::SQS::Queue',
    Properties: {
      QueueName: name,
      FifoQueue: fifo ? true : undefined,
      // faasport's model has no deduplication id, and SQS refuses a FIFO send without one unless this is on.
      ContentBasedDeduplication: fifo ? true : undefined,
      VisibilityTimeout: timeoutOf(built, name) * SQS_VISIBILITY_FACTOR.factor + (batchingWindow(fn.options.batchSize ?? DEFAULT_BATCH_SIZE) ?? 0),
      RedrivePolicy: { deadLetterTargetArn: getAtt(dlq, 'Arn'), maxReceiveCount: fn.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS },
    },
  };
  built.queues.set(name, id);
  return id;
}

function sharedResource(map: Map<string, string>, built: Built, name: string, suffix: string, resource: Mapping): string {
  const known = map.get(name);
  if (known) return known;
  const id = built.ids.take(`${pascalCase(name)}${suffix}`);
  built.resources[id] = resource;
  map.set(name, id);
  return id;
}

/**
 * Lambda retries after the first attempt: `maxAttempts - 1`. Lambda allows 0 to 2 retries; validate.ts refuses
 * anything else with the range and its source, so this never clamps (a value outside is a bug, not a setting).
 */
export function asyncRetries(maxAttempts: number): number {
  const { min, max, source } = AWS_LIMITS.asyncAttempts;
  if (!Number.isInteger(maxAttempts) || maxAttempts < min || maxAttempts > max) {
    throw new RangeError(`faasport: maxAttempts ${maxAttempts} is outside Lambda's ${min} to ${max} attempts for an asynchronous invocation (${source})`);
  }
  return maxAttempts - 1;
}

/** A topic function's attempts on AWS: its own maxAttempts, else the most Lambda allows (3). */
const topicAttempts = (fn: DiscoveredFunctionOf<'topic'>): number => fn.options.maxAttempts ?? AWS_ASYNC_DEFAULT_ATTEMPTS;

/**
 * SNS, S3 and EventBridge invoke the function asynchronously: on a throw Lambda retries, then sends the event
 * (with the error) to the function's on-failure destination, an SQS queue declared here. SAM gives the
 * function's role `sqs:SendMessage` on it.
 */
function asyncInvokeConfig(built: Built, functionId: string, maxAttempts: number): Mapping {
  const failures = built.ids.take(`${functionId}FailureQueue`);
  built.resources[failures] = { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: DEAD_LETTER_RETENTION_SECONDS } };
  return {
    EventInvokeConfig: {
      MaximumRetryAttempts: asyncRetries(maxAttempts),
      DestinationConfig: { OnFailure: { Type: 'SQS', Destination: getAtt(failures, 'Arn') } },
    },
  };
}

/**
 * EventBridge rules (events and schedules) deliver to Lambda themselves: when that delivery fails (the function
 * is gone, throttling past the retry policy, missing permission) the event goes to a rule dead-letter queue,
 * which SAM creates with the queue policy EventBridge needs. Failures inside the function are Lambda's
 * (`asyncInvokeConfig`).
 */
function ruleDelivery(built: Built, functionId: string, maxAttempts: number): Mapping {
  return {
    DeadLetterConfig: { Type: 'SQS', QueueLogicalId: built.ids.take(`${functionId}RuleDeadLetterQueue`) },
    RetryPolicy: { MaximumRetryAttempts: maxAttempts - 1 },
  };
}

/** Events (and extra function properties) of one function; declares the queues/topics/buckets it needs. */
function triggers(fn: DiscoveredFunction, functionId: string, built: Built, shared: ReadonlySet<string>): { events: Mapping; extra: Mapping } {
  switch (fn.kind) {
    case 'http':
      // HTTP APIs buffer a Lambda response; a Function URL in RESPONSE_STREAM mode streams it (it serves every
      // path, and faasport routes). https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html
      // A Function URL with AuthType AWS_IAM, like an HttpApi route with the IAM authorizer, takes SigV4-signed callers
      // only (docs.aws.amazon.com/lambda/latest/dg/urls-auth.html).
      if (fn.options.stream === true) {
        return { events: {}, extra: { FunctionUrlConfig: { AuthType: isPrivate(fn) ? 'AWS_IAM' : 'NONE', InvokeMode: 'RESPONSE_STREAM' } } };
      }
      return { events: httpEvents(fn, shared), extra: {} };
    case 'queue': {
      const queue = queueResource(built, fn);
      const batchSize = fn.options.batchSize ?? DEFAULT_BATCH_SIZE;
      return {
        events: {
          Queue: {
            Type: 'SQS',
            Properties: {
              Queue: getAtt(queue, 'Arn'),
              BatchSize: batchSize,
              MaximumBatchingWindowInSeconds: batchingWindow(batchSize),
              // The adapter reports failed messages one by one; without this Lambda would retry the whole batch.
              FunctionResponseTypes: ['ReportBatchItemFailures'],
            },
          },
        },
        extra: {},
      };
    }
    case 'topic': {
      const topic = sharedResource(built.topics, built, fn.options.topic, 'Topic', {
        Type: 'AWS::SNS::Topic',
        Properties: { TopicName: fn.options.topic },
      });
      return {
        events: { Topic: { Type: 'SNS', Properties: { Topic: ref(topic) } } },
        extra: asyncInvokeConfig(built, functionId, topicAttempts(fn)),
      };
    }
    case 'storage': {
      // SAM's S3 event only takes a bucket declared in the same template.
      const bucket = sharedResource(built.buckets, built, fn.options.bucket, 'Bucket', {
        Type: 'AWS::S3::Bucket',
        Properties: { BucketName: fn.options.bucket },
      });
      const events = (fn.options.events ?? DEFAULT_STORAGE_EVENTS).map((e) => S3_EVENTS[e]);
      return {
        events: { Storage: { Type: 'S3', Properties: { Bucket: ref(bucket), Events: events } } },
        extra: asyncInvokeConfig(built, functionId, AWS_ASYNC_DEFAULT_ATTEMPTS),
      };
    }
    case 'schedule':
      return {
        events: {
          Schedule: {
            Type: 'Schedule',
            Properties: { Schedule: toAwsCron(fn.options.cron), Enabled: true, ...ruleDelivery(built, functionId, DEFAULT_MAX_ATTEMPTS) },
          },
        },
        extra: asyncInvokeConfig(built, functionId, AWS_ASYNC_DEFAULT_ATTEMPTS),
      };
    case 'event': {
      const types = typeof fn.options.type === 'string' ? [fn.options.type] : [...fn.options.type];
      // The adapter maps `detail-type` to the CloudEvent type and `source` to its source.
      const pattern: Mapping = { 'detail-type': types, source: fn.options.source === undefined ? undefined : [fn.options.source] };
      return {
        events: { Event: { Type: 'EventBridgeRule', Properties: { Pattern: pattern, ...ruleDelivery(built, functionId, DEFAULT_MAX_ATTEMPTS) } } },
        extra: asyncInvokeConfig(built, functionId, AWS_ASYNC_DEFAULT_ATTEMPTS),
      };
    }
  }
}

/** The SAM template as a plain object (tests read it; `awsFiles` writes it as YAML). */
export function samTemplate(input: EmitInput): Mapping {
  const queueTimeouts = new Map<string, number>();
  for (const fn of input.functions) {
    if (fn.kind === 'queue') queueTimeouts.set(fn.options.queue, Math.max(queueTimeouts.get(fn.options.queue) ?? 0, fn.options.timeout ?? AWS_TIMEOUT_SECONDS));
  }
  const built: Built = { resources: {}, ids: new LogicalIds(), queues: new Map(), topics: new Map(), buckets: new Map(), queueTimeouts };
  const shared = sharedRouteKeys(input.functions);
  const functionResources: [string, Mapping][] = [];
  // Function IDs first, so they keep the plain PascalCase name whatever resources come later.
  const ids = input.functions.map((fn) => built.ids.take(pascalCase(fn.name)));
  for (const id of ids) for (const suffix of SAM_GENERATED_SUFFIXES) built.ids.reserve(`${id}${suffix}`);
  input.functions.forEach((fn, index) => {
    const id = ids[index]!;
    const { events, extra } = triggers(fn, id, built, shared);
    functionResources.push([
      id,
      {
        Type: 'AWS::Serverless::Function',
        Properties: { CodeUri: `${fn.name}/`, Handler: 'index.handler', ...settingsProperties(fn), ...extra, Events: Object.keys(events).length > 0 ? events : undefined },
      },
    ]);
  });
  const hasHttp = input.functions.some((fn) => fn.kind === 'http' && fn.options.stream !== true);
  // SAM names the Function URL resource `<function id>Url`.
  const streamUrls = input.functions.flatMap((fn, index) =>
    fn.kind === 'http' && fn.options.stream === true
      ? [[`${ids[index]}Url`, { Description: `Function URL (response streaming) of ${fn.name}`, Value: getAtt(`${ids[index]}Url`, 'FunctionUrl') }] as const]
      : [],
  );
  const anyPrivate = input.functions.some((fn) => fn.kind === 'http' && isPrivate(fn) && fn.options.stream !== true);
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Transform: 'AWS::Serverless-2016-10-31',
    Description: `${input.appName}: generated by faasport build`,
    Globals: {
      Function: { Runtime: platformRuntime('aws', input.runtime).id, Architectures: ['arm64'], MemorySize: AWS_DEFAULTS.memory, Timeout: AWS_DEFAULTS.timeout },
      // The implicit HTTP API (ServerlessHttpApi) takes its settings from Globals.
      HttpApi: anyPrivate ? { Auth: { EnableIamAuthorizer: true } } : undefined,
    },
    Resources: { ...Object.fromEntries(functionResources), ...built.resources },
    Outputs:
      hasHttp || streamUrls.length > 0
        ? {
            ApiUrl: hasHttp
              ? {
                  Description: 'Base URL of the HTTP API',
                  Value: { 'Fn::Sub': 'https://${ServerlessHttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/' },
                }
              : undefined,
            ...Object.fromEntries(streamUrls),
          }
        : undefined,
  };
}

export function awsFiles(input: EmitInput): OutputFile[] {
  return [
    { path: 'template.yaml', contents: toYaml(samTemplate(input), ['Generated by faasport build; edits are overwritten on the next build.']) },
    manifestFile('aws', input.functions, input.runtime, withDeployedDelivery(samTemplate(input), input.functions)),
  ];
}

/** How the template delivers events to a function, read back from it for the emulator (faasport.json `settings`). */
export interface AwsDeliverySettings {
  /** queue: the SQS event source mapping and its queue, as deployed. */
  readonly sqs?: {
    readonly batchSize: number;
    readonly maximumBatchingWindowInSeconds: number;
    readonly visibilityTimeout: number;
    readonly maxReceiveCount: number;
    readonly fifo: boolean;
    readonly contentBasedDeduplication: boolean;
  };
  /** topic, storage, schedule, event: Lambda's retries of a failed asynchronous invocation (EventInvokeConfig). */
  readonly maximumRetryAttempts?: number;
}

/** `awsSettings` plus the delivery settings of the function's resources in `template`, so the two never disagree. */
function withDeployedDelivery(template: Mapping, functions: readonly DiscoveredFunction[]): (fn: DiscoveredFunction) => DeployedSettings & AwsDeliverySettings {
  const resources = template.Resources as Record<string, Mapping>;
  const props = (id: string): Mapping => (resources[id]?.Properties ?? {}) as Mapping;
  const idOf = new Map(functions.map((fn) => [fn.name, Object.keys(resources).find((id) => props(id).CodeUri === `${fn.name}/`)!]));
  return (fn) => {
    const own = props(idOf.get(fn.name)!);
    const retries = (own.EventInvokeConfig as Mapping | undefined)?.MaximumRetryAttempts;
    const source = ((own.Events as Mapping | undefined)?.Queue as Mapping | undefined)?.Properties as Mapping | undefined;
    if (!source) return { ...awsSettings(fn), ...(typeof retries === 'number' ? { maximumRetryAttempts: retries } : {}) };
    const queue = props(((source.Queue as Mapping)['Fn::GetAtt'] as string[])[0]!);
    const sqs = {
      batchSize: source.BatchSize as number,
      maximumBatchingWindowInSeconds: (source.MaximumBatchingWindowInSeconds as number | undefined) ?? 0,
      visibilityTimeout: queue.VisibilityTimeout as number,
      maxReceiveCount: (queue.RedrivePolicy as Mapping).maxReceiveCount as number,
      fifo: queue.FifoQueue === true,
      contentBasedDeduplication: queue.ContentBasedDeduplication === true,
    };
    return { ...awsSettings(fn), sqs };
  };
}
