import type { Provider } from '../../core/types.js';

export interface RunningEmulator {
  readonly provider: Provider;
  /** HTTP front door: API Gateway (aws), the Functions host (azure), the load balancer (gcp). */
  readonly url: string;
  /** AWS only: the Lambda API endpoint for `@aws-sdk/client-lambda`. */
  readonly lambdaEndpoint?: string;
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  provider: Provider;
  /** A `faasport build` output folder for that provider, e.g. `.faasport/aws`. */
  dir: string;
  port?: number;
}

/** Starts the local emulator of one provider on free loopback ports; the real provider code runs inside. */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const { provider, dir, port } = options;
  switch (provider) {
    case 'aws': {
      const { startAwsEmulator } = await import('./aws/index.js');
      const emu = await startAwsEmulator({ dir, port });
      return { provider, url: emu.url, lambdaEndpoint: emu.lambdaEndpoint, stop: () => emu.stop() };
    }
    case 'azure': {
      const { startAzureEmulator } = await import('./azure/index.js');
      const emu = await startAzureEmulator({ dir, port });
      return { provider, url: emu.url, stop: () => emu.stop() };
    }
    case 'gcp': {
      const { startGcpEmulator } = await import('./gcp/index.js');
      const emu = await startGcpEmulator({ dir, port });
      return { provider, url: emu.url, stop: () => emu.stop() };
    }
    default:
      throw new TypeError(`faasport: no emulator for provider "${String(provider)}"; use one of aws, azure, gcp`);
  }
}
