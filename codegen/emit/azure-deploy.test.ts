/**
 * The parts of the generated Azure deploy.sh that make a Flex Consumption app work: the app's storage account, the
 * Event Grid subscription feeding each blob trigger (Event Grid source), and Key Vault access for secret settings.
 * Run with stand-ins for `az` and `func` (shell-stub.testing.ts); each flag is checked against its `az` reference page,
 * named beside the code in azure.ts.
 */
import { describe, expect, it } from 'vitest';
import type { DiscoveredFunction } from '../discover.js';
import { azureFiles } from './azure.js';
import { callsTo, hasBash, runWithStubs } from './shell-stub.testing.js';
import type { EmitInput } from './types.js';

const at = { file: 'src/app.ts', line: 1, column: 1 };
const fnOf = (name: string, kind: DiscoveredFunction['kind'], options: object) => ({ ...at, name, exportName: name, kind, options }) as DiscoveredFunction;
const input = (functions: readonly DiscoveredFunction[]): EmitInput => ({
  functions,
  appName: 'shop',
  versions: { azureFunctions: '^4.16.5', functionsFramework: '^5.0.5' },
  runtime: 'node24',
});
const file = (functions: readonly DiscoveredFunction[], path: string) => azureFiles(input(functions)).find((f) => f.path === path)!.contents;
const env = { RESOURCE_GROUP: 'rg', FUNCTION_APP: 'shop-app', STORAGE_ACCOUNT: 'shopstore' };

describe('Azure deploy.sh for Flex Consumption', () => {
  const upload = fnOf('onUpload', 'storage', { bucket: 'uploads' });

  it('lists the blob trigger subscription in deploy.json', () => {
    expect(JSON.parse(file([upload], 'deploy.json')).blobTriggerSubscriptions).toEqual([
      {
        name: 'onUpload-blobs',
        function: 'onUpload',
        container: 'uploads',
        connection: 'AzureWebJobsStorage',
        includedEventTypes: ['Microsoft.Storage.BlobCreated'],
        subjectBeginsWith: '/blobServices/default/containers/uploads/',
        maxDeliveryAttempts: 30,
        deadLetter: { connection: 'AzureWebJobsStorage', container: 'faasport-dead-letters' },
      },
    ]);
    expect(JSON.parse(file([fnOf('onGone', 'storage', { bucket: 'uploads', events: ['deleted'] })], 'deploy.json')).blobTriggerSubscriptions).toEqual([]);
  });

  it.skipIf(!hasBash)('creates the storage account when missing, before the function app', () => {
    const run = runWithStubs(file([upload], 'deploy.sh'), env);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const create = callsTo(run, 'az', 'storage', 'account', 'create');
    expect(create).toEqual([
      ['az', 'storage', 'account', 'create', '--name', 'shopstore', '--resource-group', 'rg', '--location', 'westeurope', '--sku', 'Standard_LRS', '--kind', 'StorageV2', '--allow-blob-public-access', 'false', '--output', 'none'],
    ]);
    expect(run.calls.indexOf(create[0]!)).toBeLessThan(run.calls.indexOf(callsTo(run, 'az', 'functionapp', 'create')[0]!));
    expect(callsTo(runWithStubs(file([upload], 'deploy.sh'), env, { exists: true }), 'az', 'storage', 'account', 'create')).toEqual([]);
  });

  it.skipIf(!hasBash)("subscribes the blobs extension webhook to the container's BlobCreated events, after publishing", () => {
    const run = runWithStubs(file([upload], 'deploy.sh'), env);
    expect(run.status).toBe(0);
    const publish = run.calls.findIndex((c) => c[0] === 'func');
    expect(callsTo(run, 'az', 'functionapp', 'keys', 'list')).toEqual([
      ['az', 'functionapp', 'keys', 'list', '--name', 'shop-app', '--resource-group', 'rg', '--query', 'systemKeys.blobs_extension', '--output', 'tsv'],
    ]);
    const topic = callsTo(run, 'az', 'eventgrid', 'system-topic', 'create');
    expect(topic).toEqual([
      [
        'az', 'eventgrid', 'system-topic', 'create', '--name', 'shopstore-events', '--resource-group', 'rg', '--location', 'westeurope',
        '--topic-type', 'Microsoft.Storage.StorageAccounts', '--source', '/subscriptions/sub/resourceGroups/rg/providers/storage/shopstore', '--output', 'none',
      ],
    ]);
    const subs = callsTo(run, 'az', 'eventgrid', 'system-topic', 'event-subscription', 'create');
    expect(subs).toEqual([
      [
        'az', 'eventgrid', 'system-topic', 'event-subscription', 'create', '--name', 'onUpload-blobs', '--resource-group', 'rg', '--system-topic-name', 'shopstore-events',
        '--endpoint', 'https://shop-app-abc123.westeurope-01.azurewebsites.net/runtime/webhooks/blobs?functionName=Host.Functions.onUpload&code=blobs-key',
        '--endpoint-type', 'webhook', '--event-delivery-schema', 'eventgridschema', '--included-event-types', 'Microsoft.Storage.BlobCreated',
        '--subject-begins-with', '/blobServices/default/containers/uploads/', '--max-delivery-attempts', '30',
        '--deadletter-endpoint', '/subscriptions/sub/resourceGroups/rg/providers/storage/shopstore/blobServices/default/containers/faasport-dead-letters', '--output', 'none',
      ],
    ]);
    expect(run.calls.indexOf(subs[0]!)).toBeGreaterThan(publish);
    expect(callsTo(run, 'az', 'storage', 'container', 'create').map((c) => c[5])).toEqual(['uploads', 'faasport-dead-letters']);
  });

  it.skipIf(!hasBash)('gives the managed identity read access to the Key Vault when settings are secrets', () => {
    const fn = fnOf('api', 'http', { route: '/x', environment: { TOKEN: { secret: 'api-token' } } });
    const run = runWithStubs(file([fn], 'deploy.sh'), { ...env, KEY_VAULT: 'vault' });
    expect(run.stderr).toBe('');
    expect(callsTo(run, 'az', 'functionapp', 'identity', 'assign')).toEqual([
      ['az', 'functionapp', 'identity', 'assign', '--name', 'shop-app', '--resource-group', 'rg', '--query', 'principalId', '--output', 'tsv'],
    ]);
    // The stub's vault is not an RBAC vault, so the access-policy path runs.
    expect(callsTo(run, 'az', 'keyvault', 'set-policy')).toEqual([
      ['az', 'keyvault', 'set-policy', '--name', 'vault', '--object-id', 'principal-1', '--secret-permissions', 'get', '--output', 'none'],
    ]);
    const settings = callsTo(run, 'az', 'functionapp', 'config', 'appsettings', 'set');
    expect(settings.at(-1)).toContain('TOKEN=@Microsoft.KeyVault(VaultName=vault;SecretName=api-token)');
    expect(callsTo(runWithStubs(file([fnOf('api', 'http', { route: '/x' })], 'deploy.sh'), env), 'az', 'functionapp', 'identity', 'assign')).toEqual([]);
  });
});
