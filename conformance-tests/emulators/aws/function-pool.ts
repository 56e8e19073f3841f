/**
 * The execution environments of one function. Like Lambda, an invocation goes to an idle environment
 * (the most recently used, so sequential calls stay warm) or, when all are busy, to a new one, up to
 * `maxInstances`; past that it waits its turn. Environments start on first use (cold start, no pre-warming).
 */
import type { LogBuffer } from './log-buffer.js';
import { Sandbox, type FunctionConfig, type InvokeOutcome, type InvokeRequest } from './sandbox.js';

interface Waiting {
  readonly req: InvokeRequest;
  readonly resolve: (outcome: InvokeOutcome) => void;
  readonly reject: (err: Error) => void;
}

export class FunctionPool {
  private readonly sandboxes: Sandbox[] = [];
  private readonly queue: Waiting[] = [];
  private stopping = false;

  constructor(
    readonly config: FunctionConfig,
    readonly log: LogBuffer,
    private readonly maxInstances: number,
  ) {}

  invoke(req: InvokeRequest): Promise<InvokeOutcome> {
    if (this.stopping) return Promise.reject(new Error('the emulator is stopping'));
    return new Promise((resolve, reject) => {
      this.queue.push({ req, resolve, reject });
      this.pump();
    });
  }

  /** Number of runtime processes started or running (for tests and diagnostics). */
  get liveInstances(): number {
    return this.sandboxes.filter((s) => s.state !== 'dead' && s.state !== 'cold').length;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const waiting of this.queue.splice(0)) waiting.reject(new Error('the emulator stopped'));
    await Promise.all(this.sandboxes.splice(0).map((s) => s.stop()));
  }

  private pump(): void {
    if (this.stopping) return;
    // Forget environments that died (timeout, crash, init failure): the next call gets a fresh one.
    for (let i = this.sandboxes.length - 1; i >= 0; i--) {
      if (this.sandboxes[i]!.state === 'dead') this.sandboxes.splice(i, 1);
    }
    while (this.queue.length > 0) {
      const idle = this.sandboxes
        .filter((s) => s.state === 'idle')
        .sort((a, b) => b.lastUsed - a.lastUsed)[0];
      let sandbox = idle;
      // An environment that just answered is about to ask for more work: wait for it rather than cold-start
      // another, so sequential calls stay on one warm environment as they do on Lambda.
      if (!sandbox && this.sandboxes.some((s) => s.settling)) return;
      if (!sandbox && this.sandboxes.length < this.maxInstances) {
        sandbox = new Sandbox(this.config, this.log, () => queueMicrotask(() => this.pump()));
        this.sandboxes.push(sandbox);
      }
      if (!sandbox) return;
      const waiting = this.queue.shift()!;
      sandbox.invoke(waiting.req).then(waiting.resolve, waiting.reject);
    }
  }
}
