import type { Provider } from '../../core/types.js';
import type { DeliveryReport, OutgoingRequest, Stimulus } from '../invoker.js';

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
  /**
   * Azure only, where one worker runs the whole app: its latest lines (host and worker, not Azurite's access log),
   * each with the Azure function it is about when the host knows it (`faasport dev` names lines by it).
   */
  appLogs?(): readonly { readonly message: string; readonly functionName?: string | undefined }[];
  /** Adds the credentials a permitted caller of a non-anonymous HTTP function presents (in place). */
  authorize(request: OutgoingRequest): void;
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  provider: Provider;
  /** A `faasport build` output folder for that provider, e.g. `.faasport/aws`. */
  dir: string;
  port?: number;
  /** Extra environment for every function process (the runner passes FAASPORT_PROBE_URL). */
  env?: Record<string, string>;
  /** Deliver handled messages a second time at this rate (see `DuplicateDelivery`); off by default. */
  atLeastOnce?: AtLeastOnceOptions;
}

/** The emulators' at-least-once mode: the same shape on every provider. */
export interface AtLeastOnceOptions {
  /** 0 to 1: the chance that a handled message is delivered once more (default 1 when the mode is on). */
  duplicateRate?: number;
  /** Seed of the generator that draws duplicates (default 1), so a run can be replayed. */
  seed?: number;
}

type AwsModule = typeof import('./aws/index.js');
type AzureModule = typeof import('./azure/index.js');
type GcpModule = typeof import('./gcp/index.js');

// Each provider's emulator is imported on first use, so running one provider needs only that provider's packages.
export const startAwsEmulator = async (...args: Parameters<AwsModule['startAwsEmulator']>) => (await import('./aws/index.js')).startAwsEmulator(...args);
export const startAzureEmulator = async (...args: Parameters<AzureModule['startAzureEmulator']>) => (await import('./azure/index.js')).startAzureEmulator(...args);
export const startGcpEmulator = async (...args: Parameters<GcpModule['startGcpEmulator']>) => (await import('./gcp/index.js')).startGcpEmulator(...args);

/** The caller the conformance invoker signs as on AWS: made-up keys, which the front door checks for shape only. */
const CALLER_KEYS = { accessKeyId: 'AKIAFAASPORTCALLER00', secretAccessKey: 'faasport-local-caller-secret' };

/** Starts the local emulator of one provider on free loopback ports; the real provider code runs inside. */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const { provider, dir, port, env, atLeastOnce } = options;
  switch (provider) {
    case 'aws': {
      const { startAwsEmulator } = await import('./aws/index.js');
      // Default settings: a CloudEvent's data is the EventBridge detail, as most senders write it (see README).
      const emu = await startAwsEmulator({ dir, port, env, atLeastOnce });
      const { signRequest } = await import('./aws/sigv4.js');
      return {
        provider,
        url: emu.url,
        lambdaEndpoint: emu.lambdaEndpoint,
        deliver: (fn, stimulus) => emu.deliver(fn, stimulus),
        logs: (fn) => emu.logs(fn),
        authorize: (request) => signRequest(request, CALLER_KEYS, 'us-east-1', new Date(), emu.signingServiceFor(request.method, request.url.pathname)),
        stop: () => emu.stop(),
      };
    }
    case 'azure': {
      const { startAzureEmulator } = await import('./azure/index.js');
      const emu = await startAzureEmulator({ dir, port, env, atLeastOnce });
      // One worker runs every function of the app, so its log is the app's.
      const logs = () => emu.logs.map((entry) => entry.message);
      return {
        provider,
        url: emu.url,
        deliver: (fn, stimulus) => emu.deliver(fn, stimulus),
        logs,
        appLogs: () => emu.logs.filter((entry) => entry.source !== 'azurite' && entry.category !== 'azurite'),
        // A function key opens 'function' and the master key 'admin' too: present the master key.
        authorize: (request) => void (request.headers['x-functions-key'] = emu.keys.master),
        stop: () => emu.stop(),
      };
    }
    case 'gcp': {
      const { startGcpEmulator } = await import('./gcp/index.js');
      const emu = await startGcpEmulator({ dir, port, env, atLeastOnce });
      const { makeIdentityToken } = await import('./gcp/identity-token.js');
      return {
        provider,
        url: emu.url,
        deliver: (fn, stimulus) => emu.deliver(fn, stimulus),
        logs: (fn) => emu.logs(fn),
        // The audience of an identity token for a Cloud Run function is its URL.
        authorize: (request) => void (request.headers.authorization = `Bearer ${makeIdentityToken(request.url.origin)}`),
        stop: () => emu.stop(),
      };
    }
    default:
      throw new TypeError(`faasport: no emulator for provider "${String(provider)}"; use one of aws, azure, gcp`);
  }
}

