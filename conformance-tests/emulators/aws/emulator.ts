/**
 * `startAwsEmulator`: runs a generated AWS output (`faasport build` -> `.faasport/aws`) locally.
 * Each function runs in its own processes under AWS's runtime interface client, started on first use
 * (cold start) and restarted after a timeout or crash; `lambdaEndpoint` serves the Invoke API for
 * `@aws-sdk/client-lambda`; `url` plays API Gateway HTTP API (payload 2.0) for the http functions; `deliver`
 * feeds event functions through SQS (event source mapping), SNS, S3 and EventBridge as AWS does (deliver.ts).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { utf8Decode, utf8Encode } from '../../../core/body.js';
import { DuplicatePolicy } from '../duplicates.js';
import type { AtLeastOnceOptions } from '../index.js';
import { AsyncInvocations, DEFAULT_ASYNC_ATTEMPTS, type OnFailureRecord } from './async-invocations.js';
import { deliverySettingsOf } from './delivery-settings.js';
import { Deliverer } from './deliver.js';
import type { DeliveryReport, Stimulus } from './delivery.js';
import type { BridgeDetailLayout } from './eventbridge-event.js';
import { FrontDoor } from './front-door.js';
import { buildRouteTable, selectRoute } from './routes.js';
import { EXECUTE_API, FUNCTION_URL_SERVICE } from './sigv4.js';
import { FunctionPool } from './function-pool.js';
import { InvokeApi } from './invoke-api.js';
import { REGION, type InvocationType } from './lambda-protocol.js';
import { LogBuffer } from './log-buffer.js';
import { functionEnvironment, isHttpFunction, parseManifest } from './manifest.js';
import type { QueuedMessage } from './sqs-queue.js';
import type { FunctionConfig } from './sandbox.js';

export interface AwsEmulatorOptions {
  /** A generated AWS output directory holding `faasport.json`. */
  readonly dir: string;
  /** Front door port (default: a free one). */
  readonly port?: number;
  /**
   * Function timeout: one for all, or per function name. Default: each function's deployed `settings.timeout`
   * from faasport.json (the template's `Timeout`; 3 s when a hand-written manifest has no settings).
   */
  readonly timeoutMs?: number | Readonly<Record<string, number>>;
  /** Memory for every function (`AWS_LAMBDA_FUNCTION_MEMORY_SIZE`, heap bound). Default: each function's `settings.memory`. */
  readonly memoryMb?: number;
  /** Environment variables for every function, over their deployed `settings.environment` (e.g. where the conformance probe listens). */
  readonly env?: Readonly<Record<string, string>>;
  /** Execution environments per function at most, for concurrent invocations (default 2). */
  readonly maxInstances?: number;
  /** Echo the functions' output to stderr (default: when `FAASPORT_DEBUG` is set). */
  readonly debug?: boolean;
  /**
   * At-least-once on demand: each handled message is delivered once more at `duplicateRate` (default 1), drawn
   * from `seed`; a stimulus's own `duplicateRate` wins. Off by default (redelivery then follows the deployed
   * visibility timeout only).
   */
  readonly atLeastOnce?: AtLeastOnceOptions;
  /** Seed of the draws that split waiting SQS messages into batches (default 1), so a run can be replayed. */
  readonly batchSeed?: number;
  /** Wait before the first retry of a failed async invocation, doubling after (default 50 ms; Lambda: ~1 then ~2 min). */
  readonly asyncRetryDelayMs?: number;
  /** `deliver` rejects when its messages have not all settled by then (default 60 s). */
  readonly deliveryTimeoutMs?: number;
  /**
   * How `deliver` puts a CloudEvent on the bus: 'data' (default) sends `data` as the EventBridge detail, so the
   * handler sees EventBridge's own id; 'cloudevent' sends the whole structured CloudEvent as detail, keeping its id
   * and extensions. Both are ways a real sender can publish; see README.
   */
  readonly eventBridgeDetail?: BridgeDetailLayout;
  /** How long the front door waits for an HTTP function before it answers 503 (default 30 s, the HTTP API's limit). */
  readonly integrationTimeoutMs?: number;
}

export interface InvokeResult {
  /** HTTP status of the Invoke call: 200, 202 (Event) or 204 (DryRun). */
  readonly statusCode: number;
  /** `Unhandled` when the function failed; the payload then holds `{ errorType, errorMessage, ... }`. */
  readonly functionError: string | undefined;
  readonly executedVersion: string | undefined;
  readonly payload: Uint8Array;
  /** The payload as text. */
  readonly text: string;
  /** The invocation's log tail (last 4 KB), for RequestResponse calls. */
  readonly logs: string | undefined;
}

export interface AwsEmulator {
  /** API Gateway HTTP API front door. */
  readonly url: string;
  /** The SigV4 service a caller signs a request to `path` for: `lambda` for a streaming function's Function URL, else `execute-api`. */
  signingServiceFor(method: string, path: string): string;
  /** Lambda Invoke API endpoint (use as `new LambdaClient({ endpoint })`). */
  readonly lambdaEndpoint: string;
  /** Invokes a function through the Invoke API with `@aws-sdk/client-lambda`; a Uint8Array payload is sent as-is, anything else as JSON. */
  invoke(name: string, payload: unknown, options?: { invocationType?: InvocationType }): Promise<InvokeResult>;
  /** The last lines a function printed, with Lambda's START/END/REPORT lines. */
  logs(name: string): string[];
  /** Runtime processes currently started for a function. */
  instances(name: string): number;
  /**
   * Delivers events to an event function the way its AWS trigger does and resolves once every message settled
   * (acked, or dead-lettered after its attempts); one outcome per message, in order.
   */
  deliver(functionName: string, stimulus: Stimulus): Promise<DeliveryReport>;
  /** What the redrive policy moved to `<queue>-dlq` (pass the source queue's name or the dead-letter queue's). */
  deadLetters(queueName: string): QueuedMessage[];
  /** Invocation records of async events (SNS, S3, EventBridge, Invoke Event) whose every attempt failed. */
  asyncFailures(functionName: string): OnFailureRecord[];
  /** Kills every runtime process and closes every server; safe to call twice. */
  stop(): Promise<void>;
}

const overrideFor = (value: number | Readonly<Record<string, number>> | undefined, name: string): number | undefined =>
  typeof value === 'number' ? value : value?.[name];


/** AWS's runtime interface client, resolved from faasport's own dependencies. */
function resolveRic(): string {
  // import.meta.url is missing in a CommonJS build; fall back to resolving from the working directory.
  const from = (import.meta as { url?: string }).url ?? path.join(process.cwd(), 'index.js');
  return createRequire(from).resolve('aws-lambda-ric/bin/index.mjs');
}

/**
 * The SDK clients this emulator drives would print an 8-line "NodeVersionSupportWarning" on Node < 22; the
 * variable is the SDK's own switch for it (aws-sdk-js-v3 packages/core/src/submodules/client/
 * emitWarningIfUnsupportedVersion.ts). A user who set it either way keeps their choice.
 */
function silenceSdkNodeVersionWarning(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

export async function startAwsEmulator(options: AwsEmulatorOptions): Promise<AwsEmulator> {
  silenceSdkNodeVersionWarning();
  const dir = path.resolve(options.dir);
  const manifestPath = path.join(dir, 'faasport.json');
  const manifestJson: unknown = JSON.parse(await readFile(manifestPath, 'utf8'));
  const manifest = parseManifest(manifestJson, manifestPath);
  const deliverySettings = deliverySettingsOf(manifestJson);
  const ricBin = resolveRic();
  const debug = options.debug ?? Boolean(process.env.FAASPORT_DEBUG);

  const pools = new Map<string, FunctionPool>();
  for (const fn of manifest.functions) {
    const config: FunctionConfig = {
      name: fn.name,
      taskRoot: path.join(dir, fn.codeDir),
      handler: fn.codeHandler,
      codeRoot: dir,
      runtimeId: manifest.runtimeId,
      // The deployed settings; an option overrides them (tests).
      timeoutMs: overrideFor(options.timeoutMs, fn.name) ?? fn.settings.timeoutSeconds * 1000,
      memoryMb: options.memoryMb ?? fn.settings.memoryMb,
      env: { ...functionEnvironment(fn.settings.environment), ...options.env },
      ricBin,
    };
    pools.set(fn.name, new FunctionPool(config, new LogBuffer(fn.name, 500, debug), options.maxInstances ?? 2));
  }

  const asyncInvocations = new AsyncInvocations(pools, {
    retryDelayMs: options.asyncRetryDelayMs ?? 50,
    // What EventInvokeConfig deploys (MaximumRetryAttempts + 1), never the source's maxAttempts.
    maxAttemptsFor: (name) => {
      const settings = deliverySettings.get(name);
      return (settings instanceof Error ? undefined : settings?.asyncAttempts) ?? DEFAULT_ASYNC_ATTEMPTS;
    },
  });
  let invokeApi: InvokeApi | undefined;
  let frontDoor: FrontDoor | undefined;
  const routeTable = buildRouteTable(manifest.functions.filter(isHttpFunction));
  let client: LambdaClient | undefined;
  let deliverer: Deliverer | undefined;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      asyncInvocations.stop();
      deliverer?.stop();
      client?.destroy();
      await Promise.allSettled([frontDoor?.close(), invokeApi?.close(), ...[...pools.values()].map((p) => p.stop())]);
    })());

  try {
    invokeApi = await InvokeApi.start(pools, asyncInvocations);
    frontDoor = await FrontDoor.start({
      functions: manifest.functions.filter(isHttpFunction),
      lambdaEndpoint: invokeApi.url,
      invokeStreaming: (name, request) => pools.get(name)!.invoke(request),
      port: options.port,
      integrationTimeoutMs: options.integrationTimeoutMs,
      onIntegrationError: debug ? (err) => process.stderr.write(`[aws:front-door] ${String(err)}\n`) : undefined,
    });
  } catch (err) {
    await stop();
    throw err;
  }
  const lambdaEndpoint = invokeApi.url;
  client = new LambdaClient({
    endpoint: lambdaEndpoint,
    region: REGION,
    credentials: { accessKeyId: 'AKIAFAASPORTLOCAL000', secretAccessKey: 'faasport-local-secret' },
    maxAttempts: 1,
  });
  const sdk = client;
  deliverer = new Deliverer({
    functions: manifest.functions,
    pools,
    client: sdk,
    asyncInvocations,
    settings: deliverySettings,
    duplicates: new DuplicatePolicy(options.atLeastOnce),
    batchSeed: options.batchSeed ?? 1,
    deliveryTimeoutMs: options.deliveryTimeoutMs ?? 60_000,
    concurrency: options.maxInstances ?? 2,
    eventBridgeDetail: options.eventBridgeDetail ?? 'data',
  });
  const events = deliverer;

  const poolFor = (name: string): FunctionPool => {
    const pool = pools.get(name);
    if (!pool) throw new Error(`aws emulator: no function named "${name}" in ${manifestPath}`);
    return pool;
  };

  return {
    url: frontDoor.url,
    lambdaEndpoint,
    async invoke(name, payload, invokeOptions) {
      const bytes = payload instanceof Uint8Array ? payload : utf8Encode(JSON.stringify(payload) ?? 'null');
      const invocationType = invokeOptions?.invocationType ?? 'RequestResponse';
      const result = await sdk.send(
        new InvokeCommand({
          FunctionName: name,
          Payload: bytes,
          InvocationType: invocationType,
          ...(invocationType === 'RequestResponse' ? { LogType: 'Tail' as const } : {}),
        }),
      );
      const out = result.Payload ?? new Uint8Array(0);
      return {
        statusCode: result.StatusCode ?? 0,
        functionError: result.FunctionError,
        executedVersion: result.ExecutedVersion,
        payload: out,
        text: utf8Decode(out),
        logs: result.LogResult === undefined ? undefined : Buffer.from(result.LogResult, 'base64').toString('utf8'),
      };
    },
    logs: (name) => poolFor(name).log.tail(),
    signingServiceFor: (method, path) =>
      selectRoute(routeTable, method.toUpperCase(), path)?.fn.options.stream === true ? FUNCTION_URL_SERVICE : EXECUTE_API,
    instances: (name) => poolFor(name).liveInstances,
    deliver: (functionName, stimulus) => events.deliver(functionName, stimulus),
    deadLetters: (queueName) => events.deadLetters(queueName),
    asyncFailures: (functionName) => events.asyncFailures(functionName),
    stop,
  };
}
