/**
 * One emulated worker process, seen from the host: started with fork (IPC, advanced serialization), ready
 * when it reports its registrations, invoked by invocation id, killed on timeout or stop.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { readOnlyFsImport } from '../read-only-fs.js';
import {
  WORKER_STARTUP_ENV,
  type HostMessage,
  type RegisteredFunction,
  type RpcInvocationRequest,
  type RpcInvocationResponse,
  type WorkerLog,
  type WorkerMessage,
  type WorkerStartup,
} from './protocol.js';

export class WorkerExitedError extends Error {
  override name = 'WorkerExitedError';
}

export class InvocationTimeoutError extends Error {
  override name = 'InvocationTimeoutError';
}

export interface WorkerProcessOptions {
  readonly script: string;
  readonly startup: WorkerStartup;
  readonly env: NodeJS.ProcessEnv;
  readonly startupTimeoutMs: number;
  readonly onLog: (log: WorkerLog | { level: 'information' | 'error'; category: 'stdout' | 'stderr'; message: string }) => void;
}

interface Pending {
  resolve(response: RpcInvocationResponse): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout | undefined;
}

const STDERR_TAIL_LINES = 40;

export class WorkerProcess {
  readonly ready: Promise<readonly RegisteredFunction[]>;
  /** Where @azure/functions takes HTTP invocations in stream mode (`app.setup({ enableHttpStream: true })`). */
  httpUri: string | undefined;
  /** Settles when the process has exited. */
  readonly exited: Promise<void>;
  #child: ChildProcess;
  #pending = new Map<string, Pending>();
  #stderrTail: string[] = [];
  #exitCode: string | undefined;
  #wasReady = false;
  #killed = false;

  constructor(options: WorkerProcessOptions) {
    const startup: WorkerStartup = options.startup;
    this.#child = fork(options.script, [], {
      cwd: startup.appDir,
      env: { ...options.env, [WORKER_STARTUP_ENV]: JSON.stringify(startup) },
      // Running from a package (Flex Consumption's only way) makes wwwroot read-only (../read-only-fs.ts).
      execArgv: [`--import=${readOnlyFsImport({ writable: ['/'], readOnly: [startup.appDir] })}`],
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const child = this.#child;
    createInterface({ input: child.stdout! }).on('line', (line) => options.onLog({ level: 'information', category: 'stdout', message: line }));
    createInterface({ input: child.stderr! }).on('line', (line) => {
      this.#stderrTail.push(line);
      if (this.#stderrTail.length > STDERR_TAIL_LINES) this.#stderrTail.shift();
      options.onLog({ level: 'error', category: 'stderr', message: line });
    });

    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exitCode = signal ?? String(code);
        const error = new WorkerExitedError(`the worker process exited (${this.#exitCode})`);
        for (const pending of this.#pending.values()) {
          clearTimeout(pending.timer);
          pending.reject(error);
        }
        this.#pending.clear();
        resolve();
      });
    });

    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`faasport azure emulator: the worker did not report its functions within ${options.startupTimeoutMs} ms${this.#stderrText()}`));
        this.kill();
      }, options.startupTimeoutMs);
      const done = () => clearTimeout(timer);
      child.on('message', (message: WorkerMessage) => {
        switch (message.type) {
          case 'ready':
            done();
            this.#wasReady = true;
            this.httpUri = message.httpUri;
            resolve(message.functions);
            break;
          case 'startup-error':
            done();
            reject(new Error(`faasport azure emulator: the app failed to start: ${message.stack ?? message.message}`));
            break;
          case 'response': {
            const id = message.response.invocationId ?? '';
            const pending = this.#pending.get(id);
            if (!pending) break;
            this.#pending.delete(id);
            clearTimeout(pending.timer);
            pending.resolve(message.response);
            break;
          }
          case 'log':
            options.onLog(message.log);
            break;
          case 'terminated':
            break;
        }
      });
      child.once('error', (error) => {
        done();
        reject(new Error('faasport azure emulator: the worker process could not start', { cause: error }));
      });
      void this.exited.then(() => {
        done();
        reject(new Error(`faasport azure emulator: the worker exited (${this.#exitCode}) before reporting its functions${this.#stderrText()}`));
      });
    });
    // Nobody may be waiting on `ready` (a restart); the rejection is reported to whoever awaits it next.
    this.ready.catch(() => undefined);
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Exited, or never became ready: a new process is needed. */
  get dead(): boolean {
    return this.#killed || this.#exitCode !== undefined;
  }

  /** Reached ready before it died (a crash worth restarting eagerly, unlike a startup failure). */
  get wasReady(): boolean {
    return this.#wasReady;
  }

  #stderrText(): string {
    return this.#stderrTail.length > 0 ? `\n--- worker stderr ---\n${this.#stderrTail.join('\n')}` : '';
  }

  #send(message: HostMessage): void {
    if (this.#child.connected) this.#child.send(message);
  }

  invoke(request: RpcInvocationRequest, timeoutMs: number): Promise<RpcInvocationResponse> {
    const id = request.invocationId ?? '';
    if (this.dead) return Promise.reject(new WorkerExitedError(`the worker process exited (${this.#exitCode ?? 'killed'})`));
    return new Promise((resolve, reject) => {
      const timer = Number.isFinite(timeoutMs)
        ? setTimeout(() => {
            this.#pending.delete(id);
            reject(new InvocationTimeoutError(`Timeout value of ${timeoutMs} ms was exceeded by function invocation ${id}`));
          }, timeoutMs)
        : undefined;
      this.#pending.set(id, { resolve, reject, timer });
      this.#send({ type: 'invoke', request });
    });
  }

  /** Takes effect at once for `dead`, so no new invocation goes to a process on its way out. */
  kill(): void {
    if (this.dead) return;
    this.#killed = true;
    this.#child.kill('SIGKILL');
  }

  /** appTerminate hooks get a short grace period, then the process is killed. */
  async terminate(graceMs: number): Promise<void> {
    if (this.#exitCode !== undefined) return;
    if (this.#killed) return this.exited;
    this.#send({ type: 'terminate' });
    const timer = setTimeout(() => this.kill(), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
