/**
 * One function = one functions-framework CLI process on a loopback port, as one Cloud Run instance
 * serves one function. Started eagerly, restarted on demand after it exits, stopped for good by stop().
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { canConnect, freePort } from './net.js';

/**
 * How long a function process may take to listen. It starts in about a second alone, but the emulator starts one
 * per function at once and CI shares two cores with other work: 20 s was seen to run out there. A process that
 * exits is reported at once, so only a hung start waits this long.
 */
const START_TIMEOUT_MS = 90_000;

export type OutputStream = 'stdout' | 'stderr';
export type OutputListener = (functionName: string, stream: OutputStream, line: string) => void;

export interface FunctionProcessOptions {
  readonly name: string;
  /** The app dir: `--source`, and the working directory as on the platform (/workspace). */
  readonly dir: string;
  readonly cliPath: string;
  /** `--import` argument (see preload.ts). */
  readonly preload: string;
  /** http now; cloudevent for event kinds. */
  readonly signatureType: 'http' | 'cloudevent';
  readonly env?: Readonly<Record<string, string>>;
  readonly onOutput?: OutputListener;
  /** How long a start may take before it counts as failed. */
  readonly startTimeoutMs?: number;
}

/** One live process of a function. */
export interface FunctionInstance {
  readonly port: number;
  /** Resolves when this process has exited. */
  readonly exited: Promise<ExitInfo>;
}

interface Running extends FunctionInstance {
  readonly child: ChildProcess;
}

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

const TAIL_CHARS = 8_000;

/**
 * Waits (briefly) for an instance to be seen exiting; once it is, the next instance() call starts a
 * new process. Undefined when it is still alive after `timeoutMs`.
 */
export function exitWithin(instance: FunctionInstance, timeoutMs: number): Promise<ExitInfo | undefined> {
  return Promise.race([instance.exited, sleep(timeoutMs, undefined, { ref: false })]);
}

export const describeExit = ({ code, signal }: ExitInfo): string =>
  signal ? `was killed by ${signal}` : `exited with code ${code}`;

export class FunctionProcess {
  readonly #options: FunctionProcessOptions;
  #current: Promise<Running> | undefined;
  #running: Running | undefined;
  #stopped = false;
  #tail = '';

  constructor(options: FunctionProcessOptions) {
    this.#options = options;
  }

  /** The last output of the function's processes (stdout and stderr interleaved as they came). */
  get output(): string {
    return this.#tail;
  }

  get name(): string {
    return this.#options.name;
  }

  /** The live process, starting one when there is none (one start at a time). */
  async instance(): Promise<FunctionInstance> {
    if (this.#stopped) throw new Error(`faasport gcp emulator: stopped; function "${this.name}" is not running`);
    this.#current ??= this.#start();
    const current = this.#current;
    try {
      return await current;
    } catch (error) {
      if (this.#current === current) this.#current = undefined; // the next request tries again
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    const current = this.#current;
    if (!current) return;
    const running = await current.catch(() => undefined);
    if (running) await terminate(running);
  }

  async #start(): Promise<Running> {
    const { name, dir, cliPath, preload, signatureType, env, startTimeoutMs = START_TIMEOUT_MS } = this.#options;
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ['--import', preload, cliPath, `--target=${name}`, `--source=${dir}`, `--port=${port}`, `--signature-type=${signatureType}`],
      {
        cwd: dir,
        // What the platform sets for a deployed function (2nd gen), NODE_ENV as Google's Node.js buildpack does.
        env: {
          ...process.env,
          NODE_ENV: 'production',
          ...env,
          PORT: String(port),
          K_SERVICE: name,
          K_REVISION: `${name}-00001`,
          K_CONFIGURATION: name,
          FUNCTION_TARGET: name,
          FUNCTION_SIGNATURE_TYPE: signatureType,
        },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      },
    );
    child.channel?.unref();
    this.#collect(child, 'stdout');
    this.#collect(child, 'stderr');
    const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }) as ExitInfo);
    const running: Running = { child, port, exited };
    this.#running = running;
    // A process that exits is forgotten at once (before anyone awaiting `exited` resumes), so the
    // next request starts a new one.
    void exited.then(() => {
      if (this.#running !== running) return;
      this.#running = undefined;
      this.#current = undefined;
    });
    try {
      await waitUntilListening(port, exited, startTimeoutMs);
    } catch (error) {
      const exitedEarly = child.exitCode !== null || child.signalCode !== null;
      await terminate(running);
      const output = this.#tail ? `\n--- its output ---\n${this.#tail.trimEnd()}` : '';
      if (exitedEarly) throw new InitError(name, `${initFailureReason(this.#tail) ?? (error as Error).message}`, output);
      throw new Error(`faasport gcp emulator: function "${name}" did not start: ${(error as Error).message}${output}`);
    }
    if (this.#stopped) {
      await terminate(running);
      throw new Error(`faasport gcp emulator: stopped while function "${name}" was starting`);
    }
    return running;
  }

  #collect(child: ChildProcess, stream: OutputStream): void {
    let partial = '';
    const source = child[stream]!;
    source.setEncoding('utf8');
    source.on('data', (chunk: string) => {
      this.#tail = (this.#tail + chunk).slice(-TAIL_CHARS);
      const onOutput = this.#options.onOutput;
      if (!onOutput) return;
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      for (const line of lines) onOutput(this.name, stream, line);
    });
    source.on('end', () => {
      if (partial && this.#options.onOutput) this.#options.onOutput(this.name, stream, partial);
    });
  }
}

/**
 * A function whose process ended before it listened: its module threw (or exited) while loading. Cloud Run
 * functions refuses such a deploy with "Function failed on loading user code" and the error (gcloud's deploy
 * error, https://cloud.google.com/functions/docs/troubleshooting, deployment errors), so the emulator
 * refuses to start, and a restart that fails this way answers the request 503 (see proxy.ts).
 */
export class InitError extends Error {
  override name = 'InitError';
  constructor(
    readonly functionName: string,
    readonly reason: string,
    output: string,
  ) {
    const fix = /is not defined in the provided module/.test(reason)
      ? 'the bundle does not register it: build the output again with faasport build'
      : "fix the error in the module's top-level code (or in what it imports) and build again";
    super(
      `faasport gcp emulator: function "${functionName}" failed at init: ${reason.replace(/\.$/, '')}. Its code failed while ` +
        'loading, before it could serve a request; Cloud Run functions refuses to deploy such code ("Function failed on ' +
        `loading user code"): ${fix}.${output}`,
    );
  }
}

/**
 * The error the framework printed when the module failed to load (its loader prints "Provided module can't be
 * loaded ... Detailed stack trace: <stack>", functions-framework-nodejs src/loader.ts), else undefined.
 */
export function initFailureReason(output: string): string | undefined {
  const stack = /Detailed stack trace: ([^\n]+)/.exec(output);
  if (stack) return `its module threw ${stack[1]!.trim()}`;
  const notFound = /(Function '[^']+' is not defined in the provided module\.)/.exec(output);
  if (notFound) return notFound[1];
  return undefined;
}

/** Polls a TCP connect: the framework listens only once the app loaded (a GET would need a handler). */
async function waitUntilListening(port: number, exited: Promise<ExitInfo>, timeoutMs: number): Promise<void> {
  let exit: ExitInfo | undefined;
  void exited.then((info) => (exit = info));
  const deadline = Date.now() + timeoutMs;
  for (let delay = 10; ; delay = Math.min(delay * 2, 100)) {
    if (exit) throw new Error(`the process ${describeExit(exit)} before listening on port ${port}`);
    if (await canConnect(port)) return;
    if (Date.now() > deadline) throw new Error(`nothing listened on port ${port} within ${timeoutMs} ms`);
    await sleep(delay);
  }
}

/** SIGTERM (the framework answers pending requests and exits), SIGKILL when that takes too long. */
async function terminate({ child, exited }: Running): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const done = await Promise.race([exited.then(() => true), sleep(3_000, false, { ref: false })]);
  if (!done) {
    child.kill('SIGKILL');
    await exited;
  }
}
