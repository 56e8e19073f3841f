/**
 * The shapes exchanged between the emulated Functions host and the emulated Node worker.
 *
 * The `Rpc*` types are the worker protocol as `@azure/functions` sees it through `@azure/functions-core`
 * (azure-functions-nodejs-worker, types-core/index.d.ts): the host's gRPC messages after the worker turned
 * proto enums into strings. Only the fields the HTTP path uses are spelled out.
 */

export interface RpcNullableString {
  value?: string | null;
}
export interface RpcNullableBool {
  value?: boolean | null;
}
export interface RpcNullableDouble {
  value?: number | null;
}
export interface RpcNullableTimestamp {
  value?: { seconds?: number | null; nanos?: number | null } | null;
}

export type RpcHttpCookieSameSite = 'none' | 'lax' | 'strict' | 'explicitNone';

export interface RpcHttpCookie {
  name?: string | null;
  value?: string | null;
  domain?: RpcNullableString | null;
  path?: RpcNullableString | null;
  expires?: RpcNullableTimestamp | null;
  secure?: RpcNullableBool | null;
  httpOnly?: RpcNullableBool | null;
  sameSite?: RpcHttpCookieSameSite | null;
  maxAge?: RpcNullableDouble | null;
}

export interface RpcHttpData {
  method?: string | null;
  url?: string | null;
  headers?: Record<string, string> | null;
  body?: RpcTypedData | null;
  params?: Record<string, string> | null;
  statusCode?: string | null;
  query?: Record<string, string> | null;
  enableContentNegotiation?: boolean | null;
  rawBody?: RpcTypedData | null;
  cookies?: RpcHttpCookie[] | null;
  nullableHeaders?: Record<string, RpcNullableString> | null;
  nullableParams?: Record<string, RpcNullableString> | null;
  nullableQuery?: Record<string, RpcNullableString> | null;
}

export interface RpcTypedData {
  string?: string | null;
  json?: string | null;
  bytes?: Uint8Array | null;
  stream?: Uint8Array | null;
  http?: RpcHttpData | null;
  int?: number | null;
  double?: number | null;
}

export interface RpcParameterBinding {
  name?: string | null;
  data?: RpcTypedData | null;
}

export interface RpcInvocationRequest {
  invocationId?: string | null;
  functionId?: string | null;
  inputData?: RpcParameterBinding[] | null;
  triggerMetadata?: Record<string, RpcTypedData> | null;
  traceContext?: { traceParent?: string | null; traceState?: string | null; attributes?: Record<string, string> | null } | null;
  retryContext?: { retryCount?: number | null; maxRetryCount?: number | null } | null;
}

export interface RpcException {
  source?: string | null;
  stackTrace?: string | null;
  message?: string | null;
}

export interface RpcInvocationResponse {
  invocationId?: string | null;
  outputData?: RpcParameterBinding[] | null;
  returnValue?: RpcTypedData | null;
  result?: { status?: 'failure' | 'success' | 'cancelled' | null; exception?: RpcException | null } | null;
}

/** A binding as `@azure/functions` registers it (`toCoreFunctionMetadata`): trigger options plus type and direction. */
export interface RpcBindingInfo {
  type?: string | null;
  direction?: 'in' | 'out' | 'inout' | null;
  dataType?: string | null;
  [option: string]: unknown;
}

export type RpcLogLevel = 'trace' | 'debug' | 'information' | 'warning' | 'error' | 'critical' | 'none';
export type RpcLogCategory = 'user' | 'system' | 'customMetric';

/** One function the app registered through `registerFunction`. */
export interface RegisteredFunction {
  readonly functionId: string;
  readonly name: string;
  readonly bindings: Record<string, RpcBindingInfo>;
}

export interface WorkerLog {
  readonly level: RpcLogLevel;
  readonly category: RpcLogCategory;
  readonly message: string;
  readonly invocationId?: string | undefined;
}

/** Host -> worker (Node IPC, advanced serialization: Uint8Array travels as bytes). */
export type HostMessage =
  | { readonly type: 'invoke'; readonly request: RpcInvocationRequest }
  | { readonly type: 'terminate' };

/** Worker -> host. */
export type WorkerMessage =
  | { readonly type: 'ready'; readonly functions: readonly RegisteredFunction[]; readonly httpUri?: string | undefined }
  | { readonly type: 'startup-error'; readonly message: string; readonly stack?: string | undefined }
  | { readonly type: 'response'; readonly response: RpcInvocationResponse }
  | { readonly type: 'log'; readonly log: WorkerLog }
  | { readonly type: 'terminated' };

/** What the host tells the worker at start (as JSON in an environment variable). */
export interface WorkerStartup {
  /** Absolute path of the app's entry (package.json `main`). */
  readonly entry: string;
  readonly appDir: string;
  /** A file URL to resolve packages from when the app has none of its own (faasport's install). */
  readonly fallbackParentUrl: string;
  /** Bare specifiers (package names) that may fall back, e.g. `@azure/functions`. */
  readonly fallbackPackages: readonly string[];
}

export const WORKER_STARTUP_ENV = 'FAASPORT_AZURE_WORKER';
