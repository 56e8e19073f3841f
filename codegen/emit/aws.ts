/**
 * AWS: an AWS SAM `template.yaml` (one AWS::Serverless::Function per faasport function, CodeUri
 * `<name>/`, handler `index.handler`) and `faasport.json`. The bundles come from bundle.ts.
 */
import { toAwsCron } from '../cron/translate.js';
import type { DiscoveredFunction, DiscoveredFunctionOf } from '../discover.js';
import { awsHttpApiPaths, deployedMethods, sharedRouteKeys, type HttpDiscovered } from '../routes.js';
import { toYaml, type YamlValue } from '../yaml.js';
import { manifestFile } from './manifest.js';
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_STORAGE_EVENTS, type EmitInput, type OutputFile } from './types.js';

export const AWS_RUNTIME = 'nodejs20.x';
/** API Gateway HTTP APIs give up on an integration after 30 s, so a longer Lambda timeout buys nothing. */
export const AWS_TIMEOUT_SECONDS = 30;
/** SQS visibility timeout should be at least six times the function timeout (AWS guidance for SQS sources). */
const SQS_VISIBILITY_TIMEOUT = AWS_TIMEOUT_SECONDS * 6;
/** Lambda retries an asynchronous invocation (SNS) at most twice. */
const MAX_ASYNC_RETRIES = 2;

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
  take(base: string): string {
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}${n}`;
    this.used.add(id);
    return id;
  }
}

const HTTP_EVENT = 'Http';

function httpEvents(fn: HttpDiscovered, shared: ReadonlySet<string>): Mapping {
  const methods = deployedMethods(fn, shared);
  const paths = awsHttpApiPaths(fn.options.route);
  const events: Mapping = {};
  paths.forEach((path, index) => {
    const base = index === 0 ? HTTP_EVENT : `${HTTP_EVENT}Prefix`;
    for (const method of methods === 'any' ? ['ANY'] : methods) {
      const name = methods === 'any' ? base : `${base}${method[0]}${method.slice(1).toLowerCase()}`;
      events[name] = { Type: 'HttpApi', Properties: { Path: path, Method: method } };
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
}

function queueResource(built: Built, fn: DiscoveredFunctionOf<'queue'>): string {
  const known = built.queues.get(fn.options.queue);
  if (known) return known;
  const id = built.ids.take(`${pascalCase(fn.options.queue)}Queue`);
  const dlq = built.ids.take(`${pascalCase(fn.options.queue)}DeadLetterQueue`);
  built.resources[dlq] = {
    Type: 'AWS::SQS::Queue',
    Properties: { QueueName: `${fn.options.queue}-dlq`, MessageRetentionPeriod: 1209600 },
  };
  built.resources[id] = {
    Type: 'AWS::SQS::Queue',
    Properties: {
      QueueName: fn.options.queue,
      VisibilityTimeout: SQS_VISIBILITY_TIMEOUT,
      RedrivePolicy: { deadLetterTargetArn: getAtt(dlq, 'Arn'), maxReceiveCount: fn.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS },
    },
  };
  built.queues.set(fn.options.queue, id);
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

/** Events (and extra function properties) of one function; declares the queues/topics/buckets it needs. */
function triggers(fn: DiscoveredFunction, functionId: string, built: Built, shared: ReadonlySet<string>): { events: Mapping; extra: Mapping } {
  switch (fn.kind) {
    case 'http':
      return { events: httpEvents(fn, shared), extra: {} };
    case 'queue': {
      const queue = queueResource(built, fn);
      const batchSize = fn.options.batchSize ?? 10;
      return {
        events: {
          Queue: {
            Type: 'SQS',
            Properties: {
              Queue: getAtt(queue, 'Arn'),
              BatchSize: batchSize,
              // SQS only takes batches above 10 with a batching window.
              MaximumBatchingWindowInSeconds: batchSize > 10 ? 1 : undefined,
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
      // SNS invokes asynchronously: Lambda retries (at most twice), then sends the event to the DLQ.
      const dlq = built.ids.take(`${functionId}DeadLetterQueue`);
      built.resources[dlq] = { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 1209600 } };
      const retries = Math.min(MAX_ASYNC_RETRIES, (fn.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS) - 1);
      return {
        events: { Topic: { Type: 'SNS', Properties: { Topic: ref(topic) } } },
        extra: {
          EventInvokeConfig: { MaximumRetryAttempts: retries },
          DeadLetterQueue: { Type: 'SQS', TargetArn: getAtt(dlq, 'Arn') },
        },
      };
    }
    case 'storage': {
      const bucket = sharedResource(built.buckets, built, fn.options.bucket, 'Bucket', {
        Type: 'AWS::S3::Bucket',
        Properties: { BucketName: fn.options.bucket },
      });
      const events = (fn.options.events ?? DEFAULT_STORAGE_EVENTS).map((e) => (e === 'created' ? 's3:ObjectCreated:*' : 's3:ObjectRemoved:*'));
      return { events: { Storage: { Type: 'S3', Properties: { Bucket: ref(bucket), Events: events } } }, extra: {} };
    }
    case 'schedule':
      return { events: { Schedule: { Type: 'Schedule', Properties: { Schedule: toAwsCron(fn.options.cron), Enabled: true } } }, extra: {} };
    case 'event': {
      const types = typeof fn.options.type === 'string' ? [fn.options.type] : [...fn.options.type];
      const pattern: Mapping = { 'detail-type': types, source: fn.options.source === undefined ? undefined : [fn.options.source] };
      return { events: { Event: { Type: 'EventBridgeRule', Properties: { Pattern: pattern } } }, extra: {} };
    }
  }
}

/** The SAM template as a plain object (tests read it; `awsFiles` writes it as YAML). */
export function samTemplate(input: EmitInput): Mapping {
  const built: Built = { resources: {}, ids: new LogicalIds(), queues: new Map(), topics: new Map(), buckets: new Map() };
  const shared = sharedRouteKeys(input.functions);
  const functionResources: [string, Mapping][] = [];
  // Function IDs first, so they keep the plain PascalCase name whatever resources come later.
  const ids = input.functions.map((fn) => built.ids.take(pascalCase(fn.name)));
  input.functions.forEach((fn, index) => {
    const id = ids[index]!;
    const { events, extra } = triggers(fn, id, built, shared);
    functionResources.push([
      id,
      {
        Type: 'AWS::Serverless::Function',
        Properties: { CodeUri: `${fn.name}/`, Handler: 'index.handler', ...extra, Events: events },
      },
    ]);
  });
  const hasHttp = input.functions.some((fn) => fn.kind === 'http');
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Transform: 'AWS::Serverless-2016-10-31',
    Description: `${input.appName}: generated by faasport build`,
    Globals: {
      Function: { Runtime: AWS_RUNTIME, Architectures: ['arm64'], MemorySize: 256, Timeout: AWS_TIMEOUT_SECONDS },
    },
    Resources: { ...Object.fromEntries(functionResources), ...built.resources },
    Outputs: hasHttp
      ? {
          ApiUrl: {
            Description: 'Base URL of the HTTP API',
            Value: { 'Fn::Sub': 'https://${ServerlessHttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/' },
          },
        }
      : undefined,
  };
}

export function awsFiles(input: EmitInput): OutputFile[] {
  return [
    { path: 'template.yaml', contents: toYaml(samTemplate(input), ['Generated by faasport build; edits are overwritten on the next build.']) },
    manifestFile('aws', input.functions),
  ];
}
