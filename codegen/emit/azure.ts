/**
 * Azure Functions (Node v4 programming model): `host.json`, `package.json` (main `index.mjs`, dependency
 * `@azure/functions`), `local.settings.json` for local runs, and `faasport.json`. The entry bundle that
 * calls `register()` for every function comes from bundle.ts.
 */
import type { EmitInput, OutputFile } from './types.js';
import { DEFAULT_MAX_ATTEMPTS, json } from './types.js';
import { manifestFile } from './manifest.js';

export const AZURE_EXTENSION_BUNDLE = { id: 'Microsoft.Azure.Functions.ExtensionBundle', version: '[4.*, 5.0.0)' } as const;

export function hostJson(input: EmitInput): Record<string, unknown> {
  const queueAttempts = input.functions.flatMap((fn) => (fn.kind === 'queue' ? [fn.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS] : []));
  return {
    version: '2.0',
    logging: {
      logLevel: { default: 'Information' },
      applicationInsights: { samplingSettings: { isEnabled: true, excludedTypes: 'Request' } },
    },
    extensionBundle: AZURE_EXTENSION_BUNDLE,
    extensions: {
      // Routes are the same paths as on the other clouds: no "/api" prefix.
      http: { routePrefix: '' },
      // One poison threshold per app; validation makes sure the queue functions agree on it.
      ...(queueAttempts.length > 0 ? { queues: { maxDequeueCount: queueAttempts[0] } } : {}),
    },
  };
}

export function azurePackageJson(input: EmitInput): Record<string, unknown> {
  return {
    name: input.appName,
    version: '1.0.0',
    private: true,
    type: 'module',
    main: 'index.mjs',
    dependencies: { '@azure/functions': input.versions.azureFunctions },
  };
}

/** Connection settings the functions name, pointed at the local storage emulator (Azurite). */
export function localSettings(input: EmitInput): Record<string, unknown> {
  const values: Record<string, string> = { FUNCTIONS_WORKER_RUNTIME: 'node', AzureWebJobsStorage: 'UseDevelopmentStorage=true' };
  for (const fn of input.functions) {
    if ((fn.kind === 'queue' || fn.kind === 'storage') && fn.options.connection) values[fn.options.connection] = 'UseDevelopmentStorage=true';
    if (fn.kind === 'topic' && fn.options.connection) values[fn.options.connection] = '';
  }
  return { IsEncrypted: false, Values: values };
}

export function azureFiles(input: EmitInput): OutputFile[] {
  return [
    { path: 'host.json', contents: json(hostJson(input)) },
    { path: 'package.json', contents: json(azurePackageJson(input)) },
    { path: 'local.settings.json', contents: json(localSettings(input)) },
    manifestFile('azure', input.functions),
  ];
}
