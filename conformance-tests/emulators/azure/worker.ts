/**
 * The emulated Node language worker: the child process the emulated host starts. It plays the part of
 * azure-functions-nodejs-worker around the real, unmodified `@azure/functions`:
 * 1. makes `require('@azure/functions-core')` return the worker's API object *before* app code loads (the
 *    real worker wraps `Module.prototype.require` the same way; without it the library falls into test mode
 *    and silently skips every registration);
 * 2. imports the app from package.json `main`, collecting `registerFunction` calls, then locks registration,
 *    asks the programming model for its capabilities and runs appStart hooks;
 * 3. invokes as the worker's InvocationHandler does: getInvocationModel(coreCtx) -> getArguments ->
 *    preInvocation hooks -> invokeFunction -> postInvocation hooks -> getResponse.
 * It talks to the host over the Node IPC channel (advanced serialization, so bytes stay bytes).
 *
 * This module is also the ESM resolve hook (module.register loads it again in the hooks thread): when the
 * app folder has no `@azure/functions` of its own, the bare specifier resolves from faasport's install.
 */
import Module, { register as registerHooks } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { isMainThread } from 'node:worker_threads';
import {
  WORKER_STARTUP_ENV,
  type HostMessage,
  type RegisteredFunction,
  type RpcBindingInfo,
  type RpcInvocationRequest,
  type RpcInvocationResponse,
  type RpcLogCategory,
  type RpcLogLevel,
  type WorkerMessage,
  type WorkerStartup,
} from './protocol.js';

// ---- resolve hook (runs in the loader thread) ----------------------------------------------------------

interface FallbackData {
  parentURL: string;
  packages: readonly string[];
}

let fallback: FallbackData | undefined;

export function initialize(data: FallbackData): void {
  fallback = data;
}

type NextResolve = (specifier: string, context: { parentURL?: string | undefined }) => Promise<{ url: string }>;

export async function resolve(specifier: string, context: { parentURL?: string | undefined }, next: NextResolve): Promise<{ url: string }> {
  try {
    return await next(specifier, context);
  } catch (error) {
    const packages = fallback?.packages ?? [];
    const wanted = packages.some((name) => specifier === name || specifier.startsWith(`${name}/`));
    if (!fallback || !wanted || (error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    return next(specifier, { ...context, parentURL: fallback.parentURL });
  }
}

// ---- the worker (main thread of the child process) ------------------------------------------------------

type FunctionCallback = (...args: unknown[]) => unknown;
type HookCallback = (context: Record<string, unknown>) => unknown;

interface InvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], callback: FunctionCallback): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<RpcInvocationResponse>;
}

interface ProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(coreCtx: unknown): InvocationModel | Promise<InvocationModel>;
  getCapabilities?(capabilities: Record<string, string>): Promise<Record<string, string>> | Record<string, string>;
}

interface FunctionMetadata {
  name: string;
  functionId?: string;
  bindings: Record<string, RpcBindingInfo>;
  [key: string]: unknown;
}

/** `@azure/functions-core`'s Disposable. */
class Disposable {
  #callOnDispose: (() => unknown) | undefined;
  static from(...likes: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => {
      for (const like of likes) like?.dispose?.();
    });
  }
  constructor(callOnDispose: () => unknown) {
    this.#callOnDispose = callOnDispose;
  }
  dispose(): unknown {
    const call = this.#callOnDispose;
    this.#callOnDispose = undefined;
    return call?.();
  }
}

/** The capabilities the real Node worker announces; a programming model may add to them. */
const WORKER_CAPABILITIES: Readonly<Record<string, string>> = {
  RawHttpBodyBytes: 'true',
  RpcHttpTriggerMetadataRemoved: 'true',
  RpcHttpBodyOnly: 'true',
  IgnoreEmptyValuedRpcHttpHeaders: 'true',
  UseNullableValueDictionaryForHttp: 'true',
  WorkerStatus: 'true',
  TypedDataCollection: 'true',
  HandlesWorkerTerminateMessage: 'true',
};

class EmulatedWorker {
  readonly functions = new Map<string, { metadata: FunctionMetadata & { functionId: string }; callback: FunctionCallback }>();
  readonly hooks = new Map<string, HookCallback[]>();
  readonly appHookData: Record<string, unknown> = {};
  programmingModel: ProgrammingModel | undefined;
  locked = false;

  constructor(private readonly send: (message: WorkerMessage) => void) {}

  /** The object `require('@azure/functions-core')` returns. */
  coreApi(): Record<string, unknown> {
    return {
      version: '3.12.0-faasport-emulator',
      hostVersion: '4.1040.0-faasport-emulator',
      registerFunction: (metadata: FunctionMetadata, callback: FunctionCallback) => this.registerFunction(metadata, callback),
      registerHook: (name: string, callback: HookCallback) => this.registerHook(name, callback),
      setProgrammingModel: (model: ProgrammingModel) => {
        this.programmingModel = model;
      },
      getProgrammingModel: () => this.programmingModel,
      log: (level: RpcLogLevel, category: RpcLogCategory, message: string) => this.log(level, category, message, undefined, undefined),
      Disposable,
    };
  }

  registerFunction(metadata: FunctionMetadata, callback: FunctionCallback): Disposable {
    if (this.locked) throw new Error('A function can only be registered during app startup.');
    const functionId = metadata.functionId || metadata.name;
    if (this.functions.has(functionId)) throw new Error(`A function with id "${functionId}" has already been registered.`);
    this.functions.set(functionId, { metadata: { ...metadata, functionId }, callback });
    return new Disposable(() => {
      if (this.locked) throw new Error('A function can only be disposed during app startup.');
      this.functions.delete(functionId);
    });
  }

  registerHook(name: string, callback: HookCallback): Disposable {
    const list = this.hooks.get(name) ?? [];
    list.push(callback);
    this.hooks.set(name, list);
    return new Disposable(() => {
      const current = this.hooks.get(name) ?? [];
      const index = current.indexOf(callback);
      if (index !== -1) current.splice(index, 1);
    });
  }

  async runHooks(name: string, context: Record<string, unknown>): Promise<void> {
    for (const hook of [...(this.hooks.get(name) ?? [])]) await hook(context);
  }

  log(level: RpcLogLevel, category: RpcLogCategory, message: string, invocationId: string | undefined, invocationContext: unknown): void {
    const logHooks = this.hooks.get('log');
    const entry: Record<string, unknown> = { hookData: {}, appHookData: this.appHookData, level, category, message, invocationContext };
    // Log hooks run synchronously and may rewrite level and message.
    if (logHooks && logHooks.length > 0 && category === 'user') for (const hook of logHooks) hook(entry);
    this.send({ type: 'log', log: { level: entry.level as RpcLogLevel, category, message: String(entry.message), invocationId } });
  }

  /**
   * Loads the app and asks the programming model for its capabilities, as the real worker does at
   * FunctionEnvironmentReloadRequest/WorkerInitRequest. `HttpUri` is set when the app called
   * `app.setup({ enableHttpStream: true })`: @azure/functions then runs its own HTTP server and takes every HTTP
   * invocation's request and response there (src/ProgrammingModel.ts, src/http/httpProxy.ts).
   */
  async start(startup: WorkerStartup): Promise<{ functions: RegisteredFunction[]; httpUri: string | undefined }> {
    await import(pathToFileURL(startup.entry).href);
    this.locked = true;
    if (!this.programmingModel) {
      throw new Error(`${startup.entry} did not load "@azure/functions" (no programming model was set), so no function is registered`);
    }
    const capabilities = (await this.programmingModel.getCapabilities?.({ ...WORKER_CAPABILITIES })) ?? {};
    await this.runHooks('appStart', { hookData: {}, appHookData: this.appHookData, functionAppDirectory: startup.appDir });
    const functions = [...this.functions.values()].map(({ metadata }) => ({
      functionId: metadata.functionId,
      name: metadata.name,
      bindings: metadata.bindings,
    }));
    return { functions, httpUri: capabilities.HttpUri };
  }

  async invoke(request: RpcInvocationRequest): Promise<RpcInvocationResponse> {
    const invocationId = request.invocationId ?? '';
    try {
      const registered = this.functions.get(request.functionId ?? '');
      if (!registered) throw new Error(`Function code for '${request.functionId}' is not loaded and cannot be invoked.`);
      const model = this.programmingModel;
      if (!model) throw new Error('no programming model is set');
      let invocationContext: unknown;
      const coreCtx: { state: string | undefined } & Record<string, unknown> = {
        invocationId,
        request,
        metadata: registered.metadata,
        state: undefined,
        log: (level: RpcLogLevel, category: RpcLogCategory, message: string) => this.log(level, category, message, invocationId, invocationContext),
      };
      const invocation = await model.getInvocationModel(coreCtx);
      const args = await invocation.getArguments();
      invocationContext = args.context;
      const hookData = {};
      const pre = { hookData, appHookData: this.appHookData, invocationContext, functionCallback: registered.callback, inputs: args.inputs };
      coreCtx.state = 'preInvocationHooks';
      try {
        await this.runHooks('preInvocation', pre);
      } finally {
        coreCtx.state = undefined;
      }
      const post = { hookData, appHookData: this.appHookData, invocationContext, inputs: pre.inputs, result: null as unknown, error: null as unknown };
      coreCtx.state = 'invocation';
      try {
        post.result = await invocation.invokeFunction(invocationContext, pre.inputs, pre.functionCallback);
      } catch (error) {
        post.error = error;
      } finally {
        coreCtx.state = undefined;
      }
      coreCtx.state = 'postInvocationHooks';
      try {
        await this.runHooks('postInvocation', post);
      } finally {
        coreCtx.state = undefined;
      }
      if (post.error !== null && post.error !== undefined) throw post.error;
      const response = await invocation.getResponse(invocationContext, post.result);
      return { ...response, invocationId, result: { status: 'success' } };
    } catch (error) {
      const e = error instanceof Error ? error : new Error(format('%s', error));
      this.log('error', 'system', `Executed '${request.functionId}' (Failed, Id=${invocationId}): ${e.stack ?? e.message}`, invocationId, undefined);
      return { invocationId, result: { status: 'failure', exception: { message: e.message, stackTrace: e.stack ?? null, source: e.name } } };
    }
  }
}

function send(message: WorkerMessage): void {
  // The host may be gone (it kills us on stop); nothing to tell then.
  if (process.connected) process.send?.(message);
}

/** Makes `require('@azure/functions-core')` answer with the worker API, as the real worker does. */
function installCoreModule(coreApi: Record<string, unknown>): void {
  const proto = Module.prototype as unknown as { require: (id: string) => unknown };
  proto.require = new Proxy(proto.require, {
    apply(target, thisArg, args: [string]) {
      return args[0] === '@azure/functions-core' ? coreApi : Reflect.apply(target, thisArg, args);
    },
  });
}

/** ESM resolves bare specifiers through node_modules folders only (no NODE_PATH): look for them the same way. */
function needsFallback(appDir: string, packages: readonly string[]): boolean {
  return packages.some((name) => {
    for (let dir = path.resolve(appDir); ; dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, 'node_modules', name, 'package.json'))) return false;
      if (path.dirname(dir) === dir) return true;
    }
  });
}

async function main(): Promise<void> {
  const raw = process.env[WORKER_STARTUP_ENV];
  if (!raw || !process.send) throw new Error('the faasport Azure worker must be started by the emulator (IPC and startup data missing)');
  const startup = JSON.parse(raw) as WorkerStartup;
  const worker = new EmulatedWorker(send);
  installCoreModule(worker.coreApi());
  if (needsFallback(startup.appDir, startup.fallbackPackages)) {
    registerHooks(import.meta.url, { data: { parentURL: startup.fallbackParentUrl, packages: startup.fallbackPackages } });
  }
  let started: { functions: RegisteredFunction[]; httpUri: string | undefined };
  try {
    started = await worker.start(startup);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    send({ type: 'startup-error', message: e.message, stack: e.stack });
    process.disconnect?.();
    return;
  }
  process.on('message', (message: HostMessage) => {
    if (message.type === 'invoke') {
      void worker.invoke(message.request).then((response) => send({ type: 'response', response }));
    } else if (message.type === 'terminate') {
      void worker
        .runHooks('appTerminate', { hookData: {}, appHookData: worker.appHookData })
        .catch(() => undefined)
        .finally(() => {
          send({ type: 'terminated' });
          process.disconnect?.();
        });
    }
  });
  send({ type: 'ready', functions: started.functions, httpUri: started.httpUri });
}

if (isMainThread && process.env[WORKER_STARTUP_ENV]) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
    process.disconnect?.();
  });
}
