/**
 * Azurite (Microsoft's storage emulator, `azurite@~3.35`, from faasport's own install) as a child process on
 * free loopback ports, in memory, without telemetry. Ready when it prints the blob and queue addresses; stopped
 * with SIGTERM (its own shutdown path), SIGKILL after a grace period. The table service also starts (the
 * single `azurite` entry runs all three) but is not used.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { DEV_ACCOUNT, DEV_KEY } from './shared-key.js';

export interface AzuriteEndpoints {
  /** `http://127.0.0.1:<port>/devstoreaccount1` (path-style, as the emulator answers). */
  readonly blob: string;
  readonly queue: string;
  readonly account: string;
  readonly key: string;
  /** A connection string the app's settings can carry (what `UseDevelopmentStorage=true` means, on these ports). */
  readonly connectionString: string;
}

export interface AzuriteProcess {
  readonly endpoints: AzuriteEndpoints;
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

const READY = /Azurite (Blob|Queue) service is successfully listening at (http:\/\/\S+)/;
const STOP_GRACE_MS = 2000;

function azuriteEntry(): string {
  const pkg = createRequire(import.meta.url).resolve('azurite/package.json');
  return path.join(path.dirname(pkg), 'dist', 'src', 'azurite.js');
}

export async function startAzurite(options: { timeoutMs?: number; onLog?: (line: string) => void } = {}): Promise<AzuriteProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      azuriteEntry(),
      '--inMemoryPersistence',
      '--disableTelemetry',
      '--skipApiVersionCheck',
      '--loose',
      '--blobHost', '127.0.0.1', '--blobPort', '0',
      '--queueHost', '127.0.0.1', '--queuePort', '0',
      '--tableHost', '127.0.0.1', '--tablePort', '0',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderr.push(line);
    options.onLog?.(line);
  });
  const found: Partial<Record<'Blob' | 'Queue', string>> = {};
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Azurite did not start within ${options.timeoutMs ?? 20_000} ms`)), options.timeoutMs ?? 20_000);
      createInterface({ input: child.stdout! }).on('line', (line) => {
        options.onLog?.(line);
        const m = READY.exec(line);
        if (!m) return;
        found[m[1] as 'Blob' | 'Queue'] = m[2]!.replace(/\/$/, '');
        if (found.Blob && found.Queue) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error('Azurite could not be started', { cause: error }));
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`Azurite exited before it was ready${stderr.length ? `:\n${stderr.slice(-20).join('\n')}` : ''}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const blob = `${found.Blob}/${DEV_ACCOUNT}`;
  const queue = `${found.Queue}/${DEV_ACCOUNT}`;
  return {
    endpoints: {
      blob,
      queue,
      account: DEV_ACCOUNT,
      key: DEV_KEY,
      connectionString: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};BlobEndpoint=${blob};QueueEndpoint=${queue};`,
    },
    get pid() {
      return child.pid;
    },
    stop,
  };
}
