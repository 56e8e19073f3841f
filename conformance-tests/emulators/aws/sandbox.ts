/**
 * One Lambda execution environment: a child process running the function under AWS's runtime interface
 * client (`node <ric>/bin/index.mjs index.handler`, cwd = the function's own code folder, as Lambda starts the
 * Node.js managed runtime in /var/task), talking to its own Runtime API server. One invocation at a time; a
 * timeout, crash or init failure kills the environment and the pool starts a fresh one for the next invocation
 * (a cold start, as on Lambda).
 *
 * The sandbox bites as Lambda's does:
 * - frozen between invocations: once the runtime asks for the next invocation and none is waiting, the process
 *   is stopped (SIGSTOP) until one is handed out (SIGCONT), so timers and promises a handler left running make
 *   no progress in between. Lambda freezes the environment when the runtime's `/next` finds no work
 *   (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html, "Invoke phase").
 * - only /tmp is writable (read-only-fs.ts);
 * - the heap is bounded by the memory setting (memoryFlags);
 * - the reserved environment variables Lambda defines
 *   (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { lineSplitter, type LogBuffer } from './log-buffer.js';
import {
  ACCOUNT_ID,
  INIT_TIMEOUT_MS,
  MAX_SYNC_RESPONSE_BYTES,
  REGION,
  exitError,
  functionArn,
  responseTooLargeError,
  timeoutError,
  type LambdaErrorPayload,
} from './lambda-protocol.js';
import { readOnlyFsImport } from '../read-only-fs.js';
import { RuntimeApi, type RuntimeReport, type StreamedReport } from './runtime-api.js';

/** Lambda's only writable directory (https://docs.aws.amazon.com/lambda/latest/dg/configuration-ephemeral-storage.html). */
export const LAMBDA_WRITABLE_DIR = '/tmp';

export interface FunctionConfig {
  readonly name: string;
  /** The function's code folder (its CodeUri): `LAMBDA_TASK_ROOT` and the runtime's cwd, Lambda's /var/task. */
  readonly taskRoot: string;
  /** The handler inside the task root, as the template's `Handler` says it: `index.handler`. */
  readonly handler: string;
  /** Read-only for the function even where it lies under /tmp: the whole output (every function's code). */
  readonly codeRoot: string;
  /** Lambda's runtime id (`nodejs24.x`), for `AWS_EXECUTION_ENV`. */
  readonly runtimeId: string;
  readonly timeoutMs: number;
  readonly memoryMb: number;
  /** Function environment variables (template `Environment.Variables`, secrets already replaced). */
  readonly env: Readonly<Record<string, string>>;
  /** Path of `aws-lambda-ric/bin/index.mjs`. */
  readonly ricBin: string;
}

/**
 * V8 heap limits for a function of `memoryMb`, as Lambda's Node.js bootstrap derives them from
 * AWS_LAMBDA_FUNCTION_MEMORY_SIZE: a tenth for the young generation (half of that per semi-space), the rest
 * for the old generation (as published copies of /var/runtime/bootstrap show; AWS documents no formula). On
 * Lambda the memory setting bounds the whole sandbox; here only the heap is bounded, so buffers, native memory
 * and the runtime's own memory are not counted.
 */
export function memoryFlags(memoryMb: number): string[] {
  const young = Math.floor(memoryMb / 10);
  return [`--max-semi-space-size=${Math.max(1, Math.floor(young / 2))}`, `--max-old-space-size=${memoryMb - young}`];
}

export interface InvokeRequest {
  readonly requestId: string;
  readonly payload: Uint8Array;
  readonly traceId: string;
  readonly clientContext?: string | undefined;
  /**
   * The caller takes a streaming handler's response as a stream (InvokeWithResponseStream, a Function URL in
   * RESPONSE_STREAM mode). Otherwise a streamed response is buffered into `payload`, as Lambda's Invoke does.
   */
  readonly responseStream?: boolean;
}

export interface InvokeOutcome {
  /**
   * A streaming handler's response, as the runtime writes it (the outcome resolves when the stream starts, the
   * invocation ends with `stream.ended`); `payload` is then empty.
   */
  readonly stream?: Pick<StreamedReport, 'contentType' | 'body' | 'ended'>;
  readonly payload: Buffer;
  /** `Unhandled` when the function (or its runtime) failed. */
  readonly functionError: 'Unhandled' | undefined;
  /** START … REPORT lines of this invocation. */
  readonly logs: string[];
}

export type SandboxState = 'cold' | 'initializing' | 'idle' | 'busy' | 'dead';

interface Active {
  readonly req: InvokeRequest;
  resolve: (outcome: InvokeOutcome) => void;
  readonly stopCapture: () => string[];
  readonly acceptedAt: number;
  /** This invocation started the environment (its REPORT shows the init duration). */
  readonly cold: boolean;
  dispatchedAt?: number;
  timer?: NodeJS.Timeout;
}

// Every live runtime process, so that none outlives the emulator's process.
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
let reaper: ChildProcess | undefined;

/**
 * A frozen runtime cannot notice that the emulator died (PARENT_WATCH below needs it to run), so a small
 * watcher process, never frozen, holds the pid of every runtime: when its stdin from the emulator closes (the
 * emulator ended, even by SIGKILL) it kills them all, stopped or not.
 */
const REAPER_SOURCE =
  "const pids=new Set();let rest='';process.stdin.setEncoding('utf8').on('data',(d)=>{rest+=d;const lines=rest.split('\\n');rest=lines.pop();" +
  "for(const l of lines){if(l.startsWith('-'))pids.delete(l.slice(1));else if(l)pids.add(l);}}).on('end',()=>{for(const p of pids){try{process.kill(Number(p),'SIGKILL')}catch{}}process.exit(0)});";

function tellReaper(line: string): void {
  if (!reaper || reaper.exitCode !== null || reaper.signalCode !== null) {
    reaper = spawn(process.execPath, ['-e', REAPER_SOURCE], { stdio: ['pipe', 'ignore', 'ignore'] });
    reaper.on('error', () => {});
    reaper.stdin!.on('error', () => {});
    // Neither the watcher nor the pipe to it keeps the emulator's process alive.
    reaper.unref();
    (reaper.stdin as unknown as Socket).unref();
  }
  reaper.stdin!.write(`${line}\n`);
}

function track(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const c of liveChildren) c.kill('SIGKILL');
    });
  }
  liveChildren.add(child);
  if (child.pid !== undefined) tellReaper(String(child.pid));
  child.once('exit', () => {
    liveChildren.delete(child);
    if (child.pid !== undefined) tellReaper(`-${child.pid}`);
  });
}

// Preloaded into each runtime: stdin is a pipe from the emulator, so EOF means the emulator died (even by
// SIGKILL, when no 'exit' hook runs); the runtime then kills itself. unref() keeps the ric's
// "wait for an empty event loop" behaviour intact.
const PARENT_WATCH =
  "data:text/javascript,process.stdin.on('end',()=>process.kill(process.pid,'SIGKILL')).on('error',()=>{}).resume();process.stdin.unref()";

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

function logStreamName(): string {
  const d = new Date();
  const date = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`;
  return `${date}/[$LATEST]${hex(16)}`;
}

export class Sandbox {
  private stateValue: SandboxState = 'cold';
  private child: ChildProcess | undefined;
  private runtime: RuntimeApi | undefined;
  private active: Active | undefined;
  private initTimer: NodeJS.Timeout | undefined;
  private initStartedAt = 0;
  private initDurationMs: number | undefined;
  private initError: Buffer | undefined;
  private exited: Promise<void> = Promise.resolve();
  /** Stopped by SIGSTOP between invocations. */
  private frozen = false;
  lastUsed = 0;

  constructor(
    private readonly config: FunctionConfig,
    private readonly log: LogBuffer,
    /** Called when the sandbox can take the next invocation, or has died. */
    private readonly onAvailable: () => void,
  ) {}

  get state(): SandboxState {
    return this.stateValue;
  }

  /** Answered its invocation but has not asked for the next one yet (it will, or it will exit). */
  get settling(): boolean {
    return this.stateValue === 'busy' && !this.active;
  }

  /** Runs one invocation; never rejects (failures are Lambda error payloads). */
  async invoke(req: InvokeRequest): Promise<InvokeOutcome> {
    if (this.stateValue !== 'cold' && this.stateValue !== 'idle') {
      throw new Error(`sandbox for ${this.config.name} cannot take an invocation while ${this.stateValue}`);
    }
    this.lastUsed = Date.now();
    const outcome = new Promise<InvokeOutcome>((resolve) => {
      this.active = { req, resolve, stopCapture: this.log.capture(), acceptedAt: Date.now(), cold: this.stateValue === 'cold' };
    });
    this.log.push(`START RequestId: ${req.requestId} Version: $LATEST`);
    if (this.stateValue === 'cold') {
      try {
        await this.boot();
      } catch (err) {
        this.finish(errorBody({ errorType: 'Runtime.Unknown', errorMessage: String(err) }), 'Unhandled');
        this.kill();
        return outcome;
      }
    } else {
      this.stateValue = 'busy';
      this.dispatch();
    }
    return outcome;
  }

  /** Kills the runtime process and closes its Runtime API; safe to call in any state, more than once. */
  async stop(): Promise<void> {
    this.kill();
    await this.exited;
    await this.runtime?.close();
  }

  private async boot(): Promise<void> {
    this.stateValue = 'initializing';
    this.runtime = await RuntimeApi.start({
      onNext: () => this.onNext(),
      onReport: (report) => this.onReport(report),
    });
    // TS narrowed the state to 'initializing' above; stop() may have changed it during the await.
    if ((this.stateValue as SandboxState) === 'dead') {
      // stop() came while the Runtime API was starting: start no process.
      await this.runtime.close();
      return;
    }
    const c = this.config;
    const env: Record<string, string> = {
      // Unreserved: the function's configuration may change these.
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      LANG: 'en_US.UTF-8',
      ...c.env,
      // Reserved: Lambda sets them and refuses them in a function's configuration.
      TZ: ':UTC',
      LAMBDA_TASK_ROOT: c.taskRoot,
      LAMBDA_RUNTIME_DIR: c.ricBin.replace(/\/bin\/index\.mjs$/, ''),
      _HANDLER: c.handler,
      AWS_LAMBDA_RUNTIME_API: this.runtime.endpoint,
      AWS_EXECUTION_ENV: `AWS_Lambda_${c.runtimeId}`,
      AWS_LAMBDA_FUNCTION_NAME: c.name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(c.memoryMb),
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${c.name}`,
      AWS_LAMBDA_LOG_STREAM_NAME: logStreamName(),
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
      AWS_ACCESS_KEY_ID: 'AKIAFAASPORTLOCAL000',
      AWS_SECRET_ACCESS_KEY: 'faasport-local-secret',
      AWS_SESSION_TOKEN: 'faasport-local-session',
      AWS_ACCOUNT_ID: ACCOUNT_ID,
    };
    this.initStartedAt = Date.now();
    // The function's process has no TMPDIR: its os.tmpdir() is /tmp, as on Lambda.
    const readOnlyFs = readOnlyFsImport({ writable: [LAMBDA_WRITABLE_DIR], readOnly: [c.codeRoot] });
    const args = [...memoryFlags(c.memoryMb), `--import=${PARENT_WATCH}`, `--import=${readOnlyFs}`, c.ricBin, c.handler];
    const child = spawn(process.execPath, args, { cwd: c.taskRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    track(child);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    for (const stream of [child.stdout, child.stderr]) {
      const lines = lineSplitter((line) => this.log.push(line));
      stream?.on('data', (chunk: Buffer) => lines.write(chunk));
      stream?.on('end', () => lines.flush());
    }
    child.once('error', (err) => {
      this.log.push(`faasport: could not start the runtime: ${err.message}`);
      this.onExit(null, null);
    });
    child.once('exit', (code, signal) => this.onExit(code, signal));
    this.initTimer = setTimeout(() => this.onInitTimeout(), INIT_TIMEOUT_MS);
  }

  /** The runtime is ready for work: first after init, then after reporting each invocation. */
  private onNext(): void {
    if (this.stateValue === 'dead') return;
    if (this.stateValue === 'initializing') {
      clearTimeout(this.initTimer);
      this.initDurationMs = Date.now() - this.initStartedAt;
    }
    if (this.active && this.active.dispatchedAt === undefined) {
      this.stateValue = 'busy';
      this.dispatch();
    } else if (!this.active) {
      this.stateValue = 'idle';
      this.freeze();
      this.onAvailable();
    }
  }

  /** The runtime waits for work with none to give: stop the whole process until there is. */
  private freeze(): void {
    if (this.frozen || !this.alive()) return;
    try {
      this.frozen = this.child!.kill('SIGSTOP');
    } catch {
      // A platform without job-control signals (Windows): the environment stays awake.
      this.frozen = false;
    }
  }

  private thaw(): void {
    if (!this.frozen) return;
    this.frozen = false;
    if (this.alive()) this.child!.kill('SIGCONT');
  }

  private alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  private dispatch(): void {
    const active = this.active;
    if (!active || !this.runtime) return;
    this.thaw();
    const now = Date.now();
    active.dispatchedAt = now;
    active.timer = setTimeout(() => this.onTimeout(), this.config.timeoutMs);
    this.runtime.deliver({
      requestId: active.req.requestId,
      payload: active.req.payload,
      deadlineMs: now + this.config.timeoutMs,
      functionArn: functionArn(this.config.name),
      traceId: active.req.traceId,
      clientContext: active.req.clientContext,
    });
  }

  private onReport(report: RuntimeReport): void {
    if (report.kind === 'init-error') {
      // The ric exits (129) right after; the invocation answers with the init error as posted.
      this.initError = report.body;
      this.log.push(`INIT_REPORT Init Duration: ${(Date.now() - this.initStartedAt).toFixed(2)} ms Phase: init Status: error`);
      if (this.active) this.finish(report.body, 'Unhandled');
      this.kill();
      return;
    }
    if (!this.active || report.requestId !== this.active.req.requestId) return;
    if (report.kind === 'stream') {
      this.streaming(this.active, report);
      return;
    }
    if (report.kind === 'error') this.finish(report.body, 'Unhandled');
    else if (report.body.byteLength > MAX_SYNC_RESPONSE_BYTES) this.finish(errorBody(responseTooLargeError()), 'Unhandled');
    else this.finish(report.body, undefined);
  }

  /**
   * The caller gets the stream at once; the invocation stays this sandbox's (timeout included) until the runtime
   * ends the stream, and then ends as a buffered one would, failed when the trailers carry an error.
   */
  private streaming(active: Active, report: StreamedReport): void {
    if (!active.req.responseStream) {
      const chunks: Buffer[] = [];
      report.body.on('data', (chunk: Buffer) => chunks.push(chunk));
      report.ended.then(
        (error) => {
          if (this.active !== active) return;
          if (error) this.finish(error, 'Unhandled');
          else this.finish(Buffer.concat(chunks), undefined);
        },
        () => {},
      );
      return;
    }
    const caller = active.resolve;
    caller({ stream: report, payload: Buffer.alloc(0), functionError: undefined, logs: [] });
    active.resolve = () => {};
    report.ended.then(
      (error) => {
        if (this.active === active) this.finish(error ?? Buffer.alloc(0), error ? 'Unhandled' : undefined);
      },
      () => {}, // a broken stream: the process died (onExit) or was killed (timeout) and finishes it
    );
  }

  private onTimeout(): void {
    const active = this.active;
    if (!active) return;
    this.finish(errorBody(timeoutError(active.req.requestId, this.config.timeoutMs)), 'Unhandled', 'timeout');
    this.kill();
  }

  private onInitTimeout(): void {
    const active = this.active;
    this.log.push(`INIT_REPORT Init Duration: ${INIT_TIMEOUT_MS.toFixed(2)} ms Phase: init Status: timeout`);
    if (active) this.finish(errorBody(timeoutError(active.req.requestId, INIT_TIMEOUT_MS)), 'Unhandled', 'timeout');
    this.kill();
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    const active = this.active;
    if (active) this.finish(this.initError ?? errorBody(exitError(active.req.requestId, code, signal)), 'Unhandled', 'error');
    if (this.stateValue !== 'dead') this.markDead();
    void this.runtime?.close();
  }

  private kill(): void {
    // SIGKILL ends a stopped process too.
    if (this.alive()) this.child!.kill('SIGKILL');
    if (this.stateValue !== 'dead') this.markDead();
  }

  private markDead(): void {
    this.stateValue = 'dead';
    clearTimeout(this.initTimer);
    this.onAvailable();
  }

  private finish(payload: Buffer, functionError: 'Unhandled' | undefined, status?: 'timeout' | 'error'): void {
    const active = this.active;
    if (!active) return;
    this.active = undefined;
    clearTimeout(active.timer);
    const id = active.req.requestId;
    const duration = Date.now() - (active.dispatchedAt ?? active.acceptedAt);
    const init = active.cold && this.initDurationMs !== undefined ? `\tInit Duration: ${this.initDurationMs.toFixed(2)} ms` : '';
    // Give lines the runtime printed just before answering a loop turn to arrive through the pipe.
    setImmediate(() => {
      this.log.push(`END RequestId: ${id}`);
      this.log.push(
        `REPORT RequestId: ${id}\tDuration: ${duration.toFixed(2)} ms\tBilled Duration: ${Math.max(1, Math.ceil(duration))} ms\t` +
          `Memory Size: ${this.config.memoryMb} MB${init}${status ? `\tStatus: ${status}` : ''}`,
      );
      active.resolve({ payload, functionError, logs: active.stopCapture() });
    });
  }
}

const errorBody = (error: LambdaErrorPayload): Buffer => Buffer.from(JSON.stringify(error));
