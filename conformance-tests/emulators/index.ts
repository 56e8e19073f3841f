import type { Provider } from '../../core/types.js';
import type { DeliveryReport, Stimulus } from '../invoker.js';

export interface RunningEmulator {
  readonly provider: Provider;
  /** HTTP front door: API Gateway (aws), the Functions host (azure), the load balancer (gcp). */
  readonly url: string;
  /** AWS only: the Lambda API endpoint for `@aws-sdk/client-lambda`. */
  readonly lambdaEndpoint?: string;
  /** Delivers events through the provider's own mechanism; resolves once every message settled. */
  deliver(functionName: string, stimulus: Stimulus): Promise<DeliveryReport>;
  /** The latest lines a function's platform logged for it (its handler's and faasport's), oldest first. */
  logs(functionName: string): string[];
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  provider: Provider;
  /** A `faasport build` output folder for that provider, e.g. `.faasport/aws`. */
  dir: string;
  port?: number;
  /** Extra environment for every function process (the runner passes FAASPORT_PROBE_URL). */
  env?: Record<string, string>;
}

type AwsModule = typeof import('./aws/index.js');
type AzureModule = typeof import('./azure/index.js');
type GcpModule = typeof import('./gcp/index.js');

// Each provider's emulator is imported on first use, so running one provider needs only that provider's packages.
export const startAwsEmulator = async (...args: Parameters<AwsModule['startAwsEmulator']>) => (await import('./aws/index.js')).startAwsEmulator(...args);
export const startAzureEmulator = async (...args: Parameters<AzureModule['startAzureEmulator']>) => (await import('./azure/index.js')).startAzureEmulator(...args);
export const startGcpEmulator = async (...args: Parameters<GcpModule['startGcpEmulator']>) => (await import('./gcp/index.js')).startGcpEmulator(...args);

/** Starts the local emulator of one provider on free loopback ports; the real provider code runs inside. */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const { provider, dir, port, env } = options;
  switch (provider) {
    case 'aws': {
      const { startAwsEmulator } = await import('./aws/index.js');
      // Default settings: a CloudEvent's data is the EventBridge detail, as most senders write it (see README).
      const emu = await startAwsEmulator({ dir, port, env });
      return { provider, url: emu.url, lambdaEndpoint: emu.lambdaEndpoint, deliver: (fn, stimulus) => emu.deliver(fn, stimulus), logs: (fn) => emu.logs(fn), stop: () => emu.stop() };
    }
    case 'azure': {
      const { startAzureEmulator } = await import('./azure/index.js');
      const emu = await startAzureEmulator({ dir, port, env });
      // One worker runs every function of the app, so its log is the app's.
      const logs = () => emu.logs.map((entry) => entry.message);
      return { provider, url: emu.url, deliver: (fn, stimulus) => emu.deliver(fn, stimulus), logs, stop: () => emu.stop() };
    }
    case 'gcp': {
      const { startGcpEmulator } = await import('./gcp/index.js');
      const emu = await startGcpEmulator({ dir, port, env });
      return { provider, url: emu.url, deliver: (fn, stimulus) => emu.deliver(fn, stimulus), logs: (fn) => emu.logs(fn), stop: () => emu.stop() };
    }
    default:
      throw new TypeError(`faasport: no emulator for provider "${String(provider)}"; use one of aws, azure, gcp`);
  }
}

