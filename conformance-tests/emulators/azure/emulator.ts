/**
 * The emulated Functions host: an HTTP server on loopback that routes like the host (routePrefix from
 * host.json), turns each request into the worker's invocation request, and the worker's response into the
 * HTTP answer. Host rules: a failed invocation -> 500 with an empty body; the worker process dying -> 500
 * for the requests it held, and a new worker; an invocation over functionTimeout -> 500, and the worker is
 * killed and replaced (the real host restarts too). Event triggers: see delivery.ts and README.md.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { DeliveryReport, Stimulus } from '../../invoker.js';
import { readAppConfig, type AppConfig } from './app-config.js';
import { startAzurite, type AzuriteEndpoints, type AzuriteProcess } from './azurite.js';
import type { AtLeastOnceOptions } from '../index.js';
import { DuplicatePolicy } from '../duplicates.js';
import {
  deliverEventGrid,
  deliverServiceBus,
  deliverTimer,
  functionQueueListener,
  structuredCloudEvent,
  TimerSchedules,
  type DeadLetter,
  type EventHost,
  type FunctionQueueDeliver,
  type InvokeResult,
  type QueueListener,
} from './delivery.js';
import { BLOBS_WEBHOOK_PATH, BlobTriggerHost, deliverBlobCreated, deliverBlobDeleted, type WebhookPost } from './blob-delivery.js';
import { checkStimulus, maxAttemptsOf, resolveEventTarget, type EventTarget } from './event-targets.js';
import type { RegisteredFunction, RpcInvocationRequest, WorkerLog, WorkerStartup } from './protocol.js';
import { forwardToWorker, streamTriggerMetadata } from './http-stream.js';
import { StorageRest } from './storage-rest.js';
import { bindingAuthLevel, generateKeys, isAuthorized, presentedKey, type FunctionKeys } from './function-keys.js';
import { buildRoutes, selectRoute, type HostRoute } from './routes.js';
import { fromInvocationResponse, toInvocationRequest, toRpcHttp, type HostHttpResponse } from './rpc.js';
import { InvocationTimeoutError, WorkerProcess } from './worker-process.js';
import { workerScript } from './worker-script.js';

export interface AzureEmulatorOptions {
  /** A Functions app folder: host.json, package.json with `main`, the entry it names. */
  dir: string;
  /** Host port on 127.0.0.1 (default: a free one). */
  port?: number;
  /** Overrides host.json `functionTimeout` (default there: 30 minutes, the Flex Consumption plan's). */
  timeoutMs?: number;
  /** How long the worker may take to load the app (default 30 s). */
  startupTimeoutMs?: number;
  /** Every host and worker log line, as it happens (they are also kept in `logs`). */
  onLog?: (entry: AzureEmulatorLog) => void;
  /** Extra environment for the worker process (the conformance runner passes FAASPORT_PROBE_URL). */
  env?: Record<string, string>;
  /** The app's keys for non-anonymous HTTP functions (default: random ones, as Azure makes them). */
  keys?: FunctionKeys;
  /** Deliver handled messages once more, as the platforms' duplicates arrive (see delivery.ts); off by default. */
  atLeastOnce?: AtLeastOnceOptions;
  /** How long the emulated Event Grid waits for an answer before it retries (Event Grid: 30 s; lower it in tests). */
  eventGridResponseTimeoutMs?: number;
}

export interface AzureEmulatorLog {
  /**
   * `host`: the emulated host; `worker`: through the worker protocol; `stdout`/`stderr`: the worker's console;
   * `azurite`: the storage emulator's own access log (not the app's).
   */
  readonly source: 'host' | 'worker' | 'stdout' | 'stderr' | 'azurite';
  readonly level: string;
  readonly message: string;
  readonly category?: string | undefined;
  readonly invocationId?: string | undefined;
  /** The Azure function the line is about, when the host or the worker knows it (the invocation's function). */
  readonly functionName?: string | undefined;
}

export interface AzureEmulator {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly functions: readonly RegisteredFunction[];
  readonly logs: readonly AzureEmulatorLog[];
  /**
   * The lines about one function: those of its invocations (the host's and what its code logged through the
   * worker), for a faasport function also those of its `<name>-deleted` function. Console output outside an
   * invocation and Azurite's access log are not in it.
   */
  logsOf(functionName: string): readonly AzureEmulatorLog[];
  /** The current worker process id (changes after a restart). */
  readonly workerPid: number | undefined;
  /** Messages and events given up on, in order (also in Azurite's poison queues for queue and blob triggers). */
  readonly deadLetters: readonly DeadLetter[];
  /**
   * Delivers events to a faasport event function through the host's trigger mechanism (see delivery.ts) and
   * resolves once every message settled: acked, or dead-lettered after maxAttempts.
   */
  deliver(functionName: string, stimulus: Stimulus): Promise<DeliveryReport>;
  /** The master key and the default function key, for functions whose `authLevel` is not anonymous. */
  readonly keys: FunctionKeys;
  /** The `blobs_extension` system key, which the blobs webhook (`/runtime/webhooks/blobs`) wants in `code`. */
  readonly blobsExtensionKey: string;
  /** Azurite's endpoints and dev account (started on first use), e.g. to look into poison queues. */
  storage(): Promise<AzuriteEndpoints>;
  stop(): Promise<void>;
}

/** The packages an app folder may import without installing them: resolved from faasport's own install. */
const FALLBACK_PACKAGES = ['@azure/functions'] as const;
const MAX_LOGS = 5000;
const TERMINATE_GRACE_MS = 2000;

function nodePathWithFallback(): string {
  // CommonJS apps resolve through NODE_PATH; ESM apps through the worker's resolve hook.
  const pkg = createRequire(import.meta.url).resolve('@azure/functions/package.json');
  const modules = path.dirname(path.dirname(path.dirname(pkg)));
  const existing = process.env.NODE_PATH;
  return existing ? `${existing}${path.delimiter}${modules}` : modules;
}

function headerLists(req: http.IncomingMessage): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(req.headersDistinct)) if (values) out[name] = values;
  return out;
}

async function readBody(req: http.IncomingMessage): Promise<Uint8Array> {
  const body = await readLimitedBody(req, MAX_REQUEST_BODY_BYTES);
  // The host hands the worker a body only when `request.Body != null && request.ContentLength > 0`
  // (Azure/azure-functions-host src/WebJobs.Script.Grpc/MessageExtensions/GrpcMessageConversionExtensions.cs),
  // so a chunked upload (no Content-Length) reaches the function empty. The bytes are still read off the wire.
  return Number(req.headers['content-length']) > 0 ? body : new Uint8Array(0);
}

/**
 * The Functions host's HTTP limits: a request body over 100 MB (104,857,600 bytes) and a URL over 4 KB (4,096 bytes)
 * are refused before any function runs (https://learn.microsoft.com/azure/azure-functions/functions-bindings-http-webhook-trigger#limits).
 * The answers are the HTTP ones for these cases: 413 Content Too Large and 414 URI Too Long, with an empty body.
 */
export const MAX_REQUEST_BODY_BYTES = 104_857_600;
export const MAX_URL_BYTES = 4096;

class BodyTooLargeError extends Error {}

async function readLimitedBody(req: http.IncomingMessage, limit: number): Promise<Uint8Array> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).byteLength;
    if (size > limit) throw new BodyTooLargeError();
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks);
  return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
}

function writeAnswer(res: http.ServerResponse, method: string, answer: HostHttpResponse): void {
  const headers: http.OutgoingHttpHeaders = {};
  const setCookie: string[] = [];
  for (const [name, value] of Object.entries(answer.headers)) {
    if (name.toLowerCase() === 'set-cookie') setCookie.push(value);
    else headers[name] = value;
  }
  setCookie.push(...answer.setCookies);
  if (setCookie.length > 0) headers['set-cookie'] = setCookie;
  const bodyless = method === 'HEAD' || answer.status === 204 || answer.status === 304;
  if (!bodyless) headers['content-length'] = answer.body.byteLength;
  res.writeHead(answer.status, headers);
  res.end(bodyless ? undefined : answer.body);
}

function writeEmpty(res: http.ServerResponse, status: number): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-length': 0 });
  res.end();
}

class EmulatedHost {
  readonly logs: AzureEmulatorLog[] = [];
  functions: readonly RegisteredFunction[] = [];
  routes: HostRoute<RegisteredFunction>[] = [];
  #worker: WorkerProcess | undefined;
  #stopping = false;
  readonly #killOnExit = () => this.#worker?.kill();

  constructor(
    private readonly config: AppConfig,
    private readonly script: string,
    private readonly options: AzureEmulatorOptions,
  ) {
    // A test runner that exits without stop() must not leave the worker behind.
    process.once('exit', this.#killOnExit);
    this.#policy = new DuplicatePolicy(options.atLeastOnce);
  }

  get workerPid(): number | undefined {
    return this.#worker?.pid;
  }

  get keys(): FunctionKeys {
    return (this.#keys ??= this.options.keys ?? generateKeys());
  }
  #keys: FunctionKeys | undefined;

  get timeoutMs(): number {
    return this.options.timeoutMs ?? this.config.functionTimeoutMs;
  }

  /** invocationId -> function name, while the invocation runs: the worker's log lines carry only the id. */
  readonly #invocations = new Map<string, string>();
  readonly #policy: DuplicatePolicy;
  readonly #schedules = new TimerSchedules(new Date());
  /** The app's `blobs_extension` system key, which Event Grid presents to the blobs webhook. */
  readonly blobsExtensionKey = generateKeys().master;
  /** `http://127.0.0.1:<port>`, once the server listens (the emulated Event Grid posts to it). */
  url = '';

  #named(entry: AzureEmulatorLog): AzureEmulatorLog {
    if (entry.functionName !== undefined || entry.invocationId === undefined) return entry;
    const functionName = this.#invocations.get(entry.invocationId);
    return functionName === undefined ? entry : { ...entry, functionName };
  }

  logsOf(functionName: string): AzureEmulatorLog[] {
    return this.logs.filter((entry) => entry.functionName === functionName || entry.functionName === `${functionName}-deleted`);
  }

  log(raw: AzureEmulatorLog): void {
    const entry = this.#named(raw);
    this.logs.push(entry);
    if (this.logs.length > MAX_LOGS) this.logs.splice(0, this.logs.length - MAX_LOGS);
    this.options.onLog?.(entry);
  }

  #spawn(): WorkerProcess {
    const startup: WorkerStartup = {
      entry: this.config.entry,
      appDir: this.config.dir,
      fallbackParentUrl: import.meta.url,
      fallbackPackages: FALLBACK_PACKAGES,
    };
    const worker = new WorkerProcess({
      script: this.script,
      startup,
      env: {
        ...process.env,
        ...this.config.settings,
        ...this.options.env,
        FUNCTIONS_WORKER_RUNTIME: 'node',
        AzureWebJobsScriptRoot: this.config.dir,
        NODE_PATH: nodePathWithFallback(),
      },
      startupTimeoutMs: this.options.startupTimeoutMs ?? 30_000,
      onLog: (log: WorkerLog | { level: string; category: 'stdout' | 'stderr'; message: string }) =>
        this.log(
          log.category === 'stdout' || log.category === 'stderr'
            ? { source: log.category, level: log.level, message: log.message }
            : { source: 'worker', level: log.level, category: log.category, message: log.message, invocationId: (log as WorkerLog).invocationId },
        ),
    });
    void worker.exited.then(() => {
      if (this.#stopping || this.#worker !== worker) return;
      this.log({ source: 'host', level: 'warning', message: `Language worker process exited (pid ${worker.pid}); starting a new one` });
      // Restart right away after a crash; after a startup failure wait for the next request instead of looping.
      if (worker.wasReady) this.#worker = this.#spawn();
    });
    return worker;
  }

  async start(): Promise<void> {
    this.#worker = this.#spawn();
    this.functions = await this.#worker.ready;
    const http = this.functions.flatMap((fn) => {
      const trigger = Object.values(fn.bindings).find((b) => typeof b.type === 'string' && b.type.toLowerCase() === 'httptrigger');
      if (!trigger) return [];
      const route = typeof trigger.route === 'string' ? trigger.route : undefined;
      const methods = Array.isArray(trigger.methods) ? trigger.methods.map(String) : undefined;
      return [{ target: fn, functionName: fn.name, route, methods }];
    });
    this.routes = buildRoutes(http, this.config.routePrefix);
    for (const route of this.routes) {
      this.log({ source: 'host', level: 'information', message: `${route.target.name}: [${[...(route.methods ?? ['*'])].join(',')}] /${route.template}` });
    }
  }

  /** Kills a worker that overran the timeout and starts its successor at once, as the host restarts. */
  #replace(worker: WorkerProcess): void {
    worker.kill();
    if (this.#worker === worker && !this.#stopping) this.#worker = this.#spawn();
  }

  async #readyWorker(): Promise<WorkerProcess> {
    if (!this.#worker || this.#worker.dead) this.#worker = this.#spawn();
    const worker = this.#worker;
    await worker.ready;
    return worker;
  }

  /** One event invocation: a failed result, a worker crash and a timeout are all failures (the host retries). */
  async invokeEvent(fn: RegisteredFunction, request: RpcInvocationRequest): Promise<InvokeResult> {
    const invocationId = request.invocationId ?? '';
    const started = Date.now();
    let worker: WorkerProcess | undefined;
    let reason: string;
    this.#invocations.set(invocationId, fn.name);
    try {
      worker = await this.#readyWorker();
      const response = await worker.invoke(request, this.timeoutMs);
      if (response.result?.status !== 'failure') {
        this.log({ source: 'host', level: 'information', invocationId, functionName: fn.name, message: `Executed 'Functions.${fn.name}' (Succeeded, Id=${invocationId}, Duration=${Date.now() - started}ms)` });
        return { ok: true };
      }
      reason = response.result.exception?.message ?? 'the function failed';
    } catch (error) {
      if (error instanceof InvocationTimeoutError && worker) this.#replace(worker);
      reason = (error as Error).message;
    } finally {
      this.#invocations.delete(invocationId);
    }
    this.log({ source: 'host', level: 'error', invocationId, functionName: fn.name, message: `Executed 'Functions.${fn.name}' (Failed, Id=${invocationId}, Duration=${Date.now() - started}ms): ${reason}` });
    return { ok: false, reason };
  }

  #azurite: Promise<AzuriteProcess> | undefined;
  #rest: StorageRest | undefined;
  readonly deadLetters: DeadLetter[] = [];
  readonly #listeners = new Map<string, QueueListener & { deliver: FunctionQueueDeliver }>();
  #blobHost: BlobTriggerHost | undefined;

  /** The host's blob trigger machinery (the blobs webhook and its shared queue), made on first use. */
  get blobHost(): BlobTriggerHost {
    return (this.#blobHost ??= new BlobTriggerHost(this.eventHost(), () => this.functions, this.config.queues));
  }

  /** The emulated Event Grid's POST to this host. */
  readonly #post: WebhookPost = async (pathAndQuery, headers, body, signal) => {
    const res = await fetch(`${this.url}${pathAndQuery}`, { method: 'POST', headers, body, signal });
    await res.arrayBuffer();
    return res.status;
  };

  /** Azurite, started on first use: only apps with storage triggers need it. */
  async storage(): Promise<{ rest: StorageRest; endpoints: AzuriteEndpoints }> {
    if (this.#stopping) throw new Error('the emulator is stopping');
    this.#azurite ??= startAzurite({ onLog: (line) => this.log({ source: 'azurite', level: 'debug', category: 'azurite', message: line }) }).catch((error: unknown) => {
      this.#azurite = undefined;
      throw error;
    });
    const azurite = await this.#azurite;
    this.#rest ??= new StorageRest(azurite.endpoints);
    return { rest: this.#rest, endpoints: azurite.endpoints };
  }

  eventHost(): EventHost {
    return {
      invoke: (fn, request) => this.invokeEvent(fn, request),
      storage: () => this.storage(),
      deadLetter: (entry) => {
        this.deadLetters.push(entry);
        this.log({ source: 'host', level: 'warning', message: `${entry.functionName}: gave up on ${entry.id} after ${entry.attempts} attempt(s), moved to ${entry.place}: ${entry.reason}` });
      },
      warn: (message) => this.log({ source: 'host', level: 'warning', message }),
    };
  }

  async deliver(functionName: string, stimulus: Stimulus): Promise<DeliveryReport> {
    if (typeof stimulus !== 'object' || stimulus === null) throw new TypeError('faasport azure emulator: deliver() needs a stimulus object');
    const target = resolveEventTarget(functionName, this.functions, this.config.manifest);
    checkStimulus(target, stimulus);
    const host = this.eventHost();
    const need = (fn: RegisteredFunction | undefined, what: string): RegisteredFunction => {
      if (!fn) throw new Error(`faasport azure emulator: "${functionName}" has no ${what} registration (does it listen to that event?)`);
      return fn;
    };
    // At-least-once: one draw per handled message, from the stimulus's rate or the emulator's option.
    const duplicate = () => this.#policy.duplicate(stimulus);
    switch (target.kind) {
      case 'queue': {
        const { messages, maxAttempts } = stimulus as Extract<Stimulus, { messages: unknown }>;
        const fn = need(target.main, 'queue trigger');
        let listener = this.#listeners.get(fn.name);
        if (!listener) this.#listeners.set(fn.name, (listener = functionQueueListener(host, fn, this.config.queues)));
        const attempts = maxAttemptsOf({ maxAttempts }, target, this.config.queueMaxDequeueCount);
        return { outcomes: await listener.deliver(messages, attempts, duplicate) };
      }
      case 'topic': {
        const { messages, maxAttempts } = stimulus as Extract<Stimulus, { messages: unknown }>;
        return { outcomes: await deliverServiceBus(host, need(target.main, 'Service Bus trigger'), messages, maxAttemptsOf({ maxAttempts }, target, 5), duplicate) };
      }
      case 'storage': {
        const { object, type, maxAttempts } = stimulus as Extract<Stimulus, { object: unknown }>;
        const eventGrid = { duplicate, responseTimeoutMs: this.options.eventGridResponseTimeoutMs };
        const outcome =
          type === 'deleted'
            ? await deliverBlobDeleted(host, need(target.deleted, `"${functionName}-deleted" (Event Grid BlobDeleted)`), object, maxAttemptsOf({ maxAttempts }, target, 5), eventGrid)
            : // Blob trigger retries are the shared blob queue's: host.json queues.maxDequeueCount, not a per-function setting.
              await deliverBlobCreated(host, need(target.main, 'blob trigger'), object, {
                blobHost: this.blobHost,
                post: this.#post,
                systemKey: this.blobsExtensionKey,
                maxAttempts: maxAttempts ?? this.config.queues.maxDequeueCount,
                duplicate,
                eventGridTimeoutMs: this.options.eventGridResponseTimeoutMs,
              });
        return { outcomes: [outcome] };
      }
      case 'schedule': {
        const { scheduledTime, maxAttempts } = stimulus as Extract<Stimulus, { scheduledTime: unknown }>;
        const time = new Date(scheduledTime);
        if (Number.isNaN(time.getTime())) throw new TypeError(`faasport azure emulator: scheduledTime ${String(scheduledTime)} is not a date`);
        // The timer trigger has no retry of its own: one attempt unless the stimulus asks for more.
        return { outcomes: [await deliverTimer(host, need(target.main, 'timer trigger'), time, maxAttempts ?? 1, this.#schedules)] };
      }
      case 'event': {
        const { cloudEvent, maxAttempts } = stimulus as Extract<Stimulus, { cloudEvent: unknown }>;
        const options = { duplicate, responseTimeoutMs: this.options.eventGridResponseTimeoutMs };
        return { outcomes: [await deliverEventGrid(host, need(target.main, 'Event Grid trigger'), structuredCloudEvent(cloudEvent), maxAttemptsOf({ maxAttempts }, target, 5), options)] };
      }
    }
  }

  /** The blobs extension's webhook, as Event Grid calls it: the `blobs_extension` system key (or the master key) in `code`. */
  async #blobsWebhook(req: http.IncomingMessage, res: http.ServerResponse, query: URLSearchParams, body: Uint8Array): Promise<void> {
    const key = presentedKey(req.headers['x-functions-key'] as string | undefined, query);
    if (key !== this.blobsExtensionKey && key !== this.keys.master) {
      this.log({ source: 'host', level: 'warning', message: `${BLOBS_WEBHOOK_PATH}: 401, the blobs_extension system key is missing or wrong` });
      writeEmpty(res, 401);
      return;
    }
    if ((req.method ?? 'GET').toUpperCase() !== 'POST') {
      writeEmpty(res, 405);
      return;
    }
    const functionName = query.get('functionName') ?? '';
    const eventType = req.headers['aeg-event-type'];
    const answer = await this.blobHost.webhook(functionName, typeof eventType === 'string' ? eventType : undefined, Buffer.from(body).toString('utf8'));
    const bytes = Buffer.from(answer.body ?? '');
    res.writeHead(answer.status, { 'content-length': bytes.byteLength, ...(answer.body === undefined ? {} : { 'content-type': 'application/json' }) });
    res.end(bytes);
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse, port: number): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const rawPath = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
    if (Buffer.byteLength(rawUrl) > MAX_URL_BYTES) {
      req.resume();
      writeEmpty(res, 414);
      return;
    }
    if (Number(req.headers['content-length']) > MAX_REQUEST_BODY_BYTES) {
      res.setHeader('connection', 'close');
      writeEmpty(res, 413);
      req.destroy();
      return;
    }
    let body: Uint8Array;
    try {
      body = await readBody(req);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      res.setHeader('connection', 'close');
      writeEmpty(res, 413);
      req.destroy();
      return;
    }
    if (rawPath === BLOBS_WEBHOOK_PATH) {
      await this.#blobsWebhook(req, res, new URLSearchParams(queryAt === -1 ? '' : rawUrl.slice(queryAt + 1)), body);
      return;
    }
    const match = selectRoute(this.routes, method, rawPath);
    if (!match) {
      writeEmpty(res, 404);
      return;
    }
    const fn = match.route.target;
    const trigger = Object.values(fn.bindings).find((b) => typeof b.type === 'string' && b.type.toLowerCase() === 'httptrigger');
    const level = bindingAuthLevel(trigger?.authLevel);
    const key = presentedKey(req.headers['x-functions-key'] as string | undefined, new URLSearchParams(queryAt === -1 ? '' : rawUrl.slice(queryAt + 1)));
    if (!isAuthorized(level, key, this.keys)) {
      this.log({ source: 'host', level: 'warning', message: `${fn.name}: 401, authLevel ${level} needs ${level === 'admin' ? 'the master key' : 'a function or host key'} in x-functions-key or ?code=` });
      writeEmpty(res, 401);
      return;
    }
    const invocationId = randomUUID();
    const started = Date.now();
    const host = req.headers.host ?? `127.0.0.1:${port}`;
    const incomingTrace = req.headers.traceparent;
    const traceParent =
      typeof incomingTrace === 'string' ? incomingTrace : `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-00`;
    const request = toInvocationRequest({
      invocationId,
      fn,
      http: toRpcHttp({ method, url: `http://${host}${rawUrl}`, headers: headerLists(req), body }, match.params),
      traceParent,
      traceState: typeof req.headers.tracestate === 'string' ? req.headers.tracestate : undefined,
    });
    let worker: WorkerProcess | undefined;
    this.#invocations.set(invocationId, fn.name);
    try {
      worker = await this.#readyWorker();
      if (worker.httpUri) {
        await this.#invokeStreamMode(worker, worker.httpUri, request, { req, res, method, rawUrl, host, body, params: match.params, started });
        return;
      }
      const answer = fromInvocationResponse(fn, await worker.invoke(request, this.timeoutMs));
      writeAnswer(res, method, answer);
      this.log({ source: 'host', level: 'information', invocationId, functionName: fn.name, message: `Executed 'Functions.${fn.name}' (Succeeded, Id=${invocationId}, Duration=${Date.now() - started}ms)` });
    } catch (error) {
      if (error instanceof InvocationTimeoutError && worker) this.#replace(worker);
      this.log({
        source: 'host',
        level: 'error',
        invocationId,
        functionName: fn.name,
        message: `Executed 'Functions.${fn.name}' (Failed, Id=${invocationId}, Duration=${Date.now() - started}ms): ${(error as Error).message}`,
      });
      writeEmpty(res, 500);
    } finally {
      this.#invocations.delete(invocationId);
    }
  }

  /** An HTTP invocation of an app in stream mode (http-stream.ts): the RPC and the forwarded request side by side. */
  async #invokeStreamMode(
    worker: WorkerProcess,
    httpUri: string,
    request: RpcInvocationRequest,
    call: { req: http.IncomingMessage; res: http.ServerResponse; method: string; rawUrl: string; host: string; body: Uint8Array; params: Record<string, string>; started: number },
  ): Promise<void> {
    const invocationId = request.invocationId ?? '';
    const name = this.functions.find((f) => f.functionId === request.functionId)?.name ?? request.functionId;
    const headers: Record<string, string> = {};
    for (const [key, values] of Object.entries(headerLists(call.req))) headers[key.toLowerCase()] = values.join(',');
    const forwarded = forwardToWorker(
      { httpUri, invocationId, method: call.method, rawUrl: call.rawUrl, host: call.host, headers: call.req.headers, body: call.body },
      call.res,
    );
    let failure: string | undefined;
    try {
      const response = await worker.invoke({ ...request, triggerMetadata: streamTriggerMetadata(headers, call.params) }, this.timeoutMs);
      if (response.result?.status === 'failure') failure = response.result.exception?.message ?? 'the function failed';
    } catch (error) {
      if (error instanceof InvocationTimeoutError) this.#replace(worker);
      failure = (error as Error).message;
    }
    if (failure === undefined) {
      await forwarded.done;
      this.log({ source: 'host', level: 'information', invocationId, functionName: name ?? undefined, message: `Executed 'Functions.${name}' (Succeeded, Id=${invocationId}, Duration=${Date.now() - call.started}ms)` });
      return;
    }
    this.log({ source: 'host', level: 'error', invocationId, functionName: name ?? undefined, message: `Executed 'Functions.${name}' (Failed, Id=${invocationId}, Duration=${Date.now() - call.started}ms): ${failure}` });
    if (call.res.headersSent) forwarded.abort();
    else {
      forwarded.cancelUpstream();
      writeEmpty(call.res, 500);
    }
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    process.removeListener('exit', this.#killOnExit);
    for (const listener of this.#listeners.values()) listener.stop();
    this.#blobHost?.listener.stop();
    const azurite = this.#azurite?.catch(() => undefined);
    await Promise.all([this.#worker?.terminate(TERMINATE_GRACE_MS), azurite?.then((a) => a?.stop())]);
  }
}

/** Starts the emulated Functions host and worker for a generated Azure app folder. */
export async function startAzureEmulator(options: AzureEmulatorOptions): Promise<AzureEmulator> {
  const config = await readAppConfig(options.dir);
  const script = await workerScript();
  const host = new EmulatedHost(config, script, options);
  const server = http.createServer();
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      server.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve())),
        host.stop(),
      ]);
    })());
  try {
    await host.start();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  host.url = `http://127.0.0.1:${port}`;
  server.on('request', (req, res) => {
    host.handle(req, res, port).catch((error: unknown) => {
      host.log({ source: 'host', level: 'error', message: `request failed in the emulator: ${(error as Error).stack ?? String(error)}` });
      writeEmpty(res, 500);
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    get functions() {
      return host.functions;
    },
    get logs() {
      return host.logs;
    },
    logsOf: (functionName) => host.logsOf(functionName),
    get workerPid() {
      return host.workerPid;
    },
    get deadLetters() {
      return host.deadLetters;
    },
    keys: host.keys,
    blobsExtensionKey: host.blobsExtensionKey,
    deliver: (functionName, stimulus) => host.deliver(functionName, stimulus),
    storage: async () => (await host.storage()).endpoints,
    stop,
  };
}
