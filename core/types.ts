/** Provider-neutral model shared by every adapter. Imports no provider package. */

export const PROVIDERS = ['aws', 'azure', 'gcp'] as const;
export type Provider = (typeof PROVIDERS)[number];
export type RuntimeProvider = Provider | 'local';

/** Node.js major versions a build can target (`runtime` option, `faasport build --runtime`). */
export const NODE_RUNTIMES = ['node22', 'node24'] as const;
export type NodeRuntime = (typeof NODE_RUNTIMES)[number];
export const DEFAULT_NODE_RUNTIME: NodeRuntime = 'node24';

export const FUNCTION_KINDS = ['http', 'queue', 'topic', 'storage', 'schedule', 'event'] as const;
export type FunctionKind = (typeof FUNCTION_KINDS)[number];

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** What every handler receives next to its input. `N` is the adapter's native event/context. */
export interface Context<N = unknown> {
  readonly provider: RuntimeProvider;
  readonly functionName: string;
  readonly invocationId: string;
  /** Epoch ms at which the platform stops the invocation, when the platform says. */
  readonly deadline: number | undefined;
  remainingMs(): number;
  /** Aborts shortly before the platform deadline (never, when there is none). */
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** The raw provider event and context, for escape hatches. */
  readonly native: N;
}

export interface HttpContext<N = unknown> extends Context<N> {
  /** Route parameters, percent-decoded. A trailing `*` is available as `params['*']`. */
  readonly params: Readonly<Record<string, string>>;
}

export interface Message {
  readonly id: string;
  /** The exact bytes that were sent. */
  readonly body: Uint8Array;
  text(): string;
  /** Parses the body as JSON; throws a clear error naming the message when it is not JSON. */
  json<T = unknown>(): T;
  readonly attributes: Readonly<Record<string, string>>;
  /** 1 on first delivery. */
  readonly deliveryCount: number;
  readonly publishedAt?: Date;
  /** Queue or topic name. */
  readonly source: string;
}

export const STORAGE_EVENT_TYPES = ['created', 'deleted'] as const;
export type StorageEventType = (typeof STORAGE_EVENT_TYPES)[number];

export interface StorageEvent {
  readonly type: StorageEventType;
  readonly bucket: string;
  /** Object key, decoded. */
  readonly key: string;
  readonly size?: number;
  readonly etag?: string;
  readonly contentType?: string;
  readonly time: Date;
}

export interface ScheduleEvent {
  readonly scheduledTime: Date;
}

/** CloudEvents 1.0 (https://github.com/cloudevents/spec). Extensions are extra top-level attributes. */
export interface CloudEvent<T = unknown> {
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly specversion: '1.0' | string;
  readonly subject?: string;
  readonly time?: string;
  readonly datacontenttype?: string;
  readonly dataschema?: string;
  readonly data?: T;
  readonly [extension: string]: unknown;
}

export type AuthLevel = 'anonymous' | 'function' | 'admin';

/** An environment value kept in the platform's secret store, referenced by name (never by value). */
export interface SecretRef {
  /** AWS Secrets Manager secret, Azure Key Vault secret, GCP Secret Manager secret. */
  readonly secret: string;
  /** A pinned version (default: the latest). */
  readonly version?: string;
}

/** How a function runs, on every provider; a value a target platform cannot honour fails the build. */
export interface FunctionSettings {
  /** Memory in MB. */
  readonly memory?: number;
  /** Seconds before the platform stops an invocation. */
  readonly timeout?: number;
  /** Environment variables: plain values, or secrets by name. */
  readonly environment?: Readonly<Record<string, string | SecretRef>>;
  /** The most invocations that may run at once. */
  readonly concurrency?: number;
}

export const SETTING_KEYS = ['memory', 'timeout', 'environment', 'concurrency'] as const;

export interface HttpOptions extends FunctionSettings {
  /** `/items/:id`, `/files/*`, `/*`. */
  readonly route: string;
  /** Defaults to every method. */
  readonly methods?: readonly HttpMethod[];
  /**
   * Who may call it (default 'anonymous': anyone). Any other level is private on every provider: Azure asks
   * for a function key ('function') or the master key ('admin'), AWS deploys the route with `AWS_IAM`
   * authorization (SigV4-signed callers), GCP deploys without `--allow-unauthenticated` (IAM invoker, identity
   * token). AWS and GCP have no key levels, so 'function' and 'admin' mean the same there.
   */
  readonly authLevel?: AuthLevel;
  /**
   * Stream the response: a `Response` whose body is a `ReadableStream` reaches the client chunk by chunk as
   * the handler produces it, and `ctx.signal` aborts when the client goes away. Without it responses are
   * buffered. Lambda needs its own handler and endpoint for it (a Function URL), hence a flag.
   */
  readonly stream?: boolean;
}

export interface DeliveryOptions extends FunctionSettings {
  /** Deliveries before a failing message is dead-lettered (default 5). */
  readonly maxAttempts?: number;
  /** Azure Functions connection setting name. */
  readonly connection?: string;
}

export interface QueueOptions extends DeliveryOptions {
  readonly queue: string;
  /** Messages per invocation where the platform batches (AWS SQS; default 10). */
  readonly batchSize?: number;
}

export interface TopicOptions extends DeliveryOptions {
  readonly topic: string;
  /** Subscription name where the platform needs one (Azure Service Bus). */
  readonly subscription?: string;
}

export interface StorageOptions extends FunctionSettings {
  readonly bucket: string;
  readonly events?: readonly StorageEventType[];
  readonly connection?: string;
}

export interface ScheduleOptions extends FunctionSettings {
  /** Five-field unix cron, UTC. */
  readonly cron: string;
}

export interface EventOptions extends FunctionSettings {
  /** CloudEvent type(s) to receive. */
  readonly type: string | readonly string[];
  readonly source?: string;
}

export interface KindMap {
  http: { options: HttpOptions; input: Request; context: HttpContext; result: Response };
  queue: { options: QueueOptions; input: Message; context: Context; result: void };
  topic: { options: TopicOptions; input: Message; context: Context; result: void };
  storage: { options: StorageOptions; input: StorageEvent; context: Context; result: void };
  schedule: { options: ScheduleOptions; input: ScheduleEvent; context: Context; result: void };
  event: { options: EventOptions; input: CloudEvent; context: Context; result: void };
}

export type Handler<K extends FunctionKind> = (
  input: KindMap[K]['input'],
  ctx: KindMap[K]['context'],
) => Promise<KindMap[K]['result']> | KindMap[K]['result'];

/** The inert description a definer returns; nothing runs at import time. */
export interface FaasFunction<K extends FunctionKind = FunctionKind> {
  readonly kind: K;
  readonly options: KindMap[K]['options'];
  readonly handler: Handler<K>;
}

export type HttpFunction = FaasFunction<'http'>;
export type QueueFunction = FaasFunction<'queue'>;
export type TopicFunction = FaasFunction<'topic'>;
export type StorageFunction = FaasFunction<'storage'>;
export type ScheduleFunction = FaasFunction<'schedule'>;
export type EventFunction = FaasFunction<'event'>;
export type AnyFunction = { [K in FunctionKind]: FaasFunction<K> }[FunctionKind];

/** `faasport.config.ts` (typed with `defineConfig`); every field is optional, CLI flags win over it. */
export interface FaasportConfig {
  /** Files or folders to read functions from (default: src if it exists, else the project folder). */
  readonly entries?: readonly string[];
  /** Output folder (default .faasport). */
  readonly outDir?: string;
  readonly providers?: readonly Provider[];
  readonly runtime?: NodeRuntime;
  /** Settings of every function that does not set them itself. */
  readonly defaults?: FunctionSettings;
  /** Settings per function name; they win over the function's own options. */
  readonly functions?: Readonly<Record<string, FunctionSettings>>;
}
