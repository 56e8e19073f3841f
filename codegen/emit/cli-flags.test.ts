/**
 * The generated deploy scripts use only commands and flags that the az, func and gcloud references document.
 * The CLIs cannot be installed here, so the scripts of a built test app run with recording stand-ins
 * (shell-stub.testing.ts: real bash expands them, every call is logged, describe/show fail or succeed so both
 * the create and the update paths run) and each call is checked against the table below, one row per
 * command with its reference page. A command or flag the table does not know fails the test: add it here
 * only after reading it in the reference.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../build.js';
import { hasBash, runWithStubs, type StubRun } from './shell-stub.testing.js';

interface CommandRow {
  /** The words after the CLI name, up to the first positional argument or flag. */
  readonly command: string;
  readonly flags: readonly string[];
  readonly reference: string;
}

const AZ = 'https://learn.microsoft.com/cli/azure';
/** Global az arguments, accepted by every command (https://learn.microsoft.com/cli/azure/use-azure-cli-successfully-query, ...-output-formatting). */
const AZ_GLOBAL = ['--output', '--query', '--only-show-errors', '--subscription', '--debug', '--verbose'];

const AZ_COMMANDS: readonly CommandRow[] = [
  { command: 'group show', flags: ['--name'], reference: `${AZ}/group#az-group-show` },
  { command: 'storage account show', flags: ['--name', '--resource-group'], reference: `${AZ}/storage/account#az-storage-account-show` },
  {
    command: 'storage account create',
    flags: ['--name', '--resource-group', '--location', '--sku', '--kind', '--allow-blob-public-access'],
    reference: `${AZ}/storage/account#az-storage-account-create`,
  },
  { command: 'storage account show-connection-string', flags: ['--name', '--resource-group'], reference: `${AZ}/storage/account#az-storage-account-show-connection-string` },
  { command: 'storage queue create', flags: ['--name', '--account-name', '--auth-mode'], reference: `${AZ}/storage/queue#az-storage-queue-create` },
  { command: 'storage container create', flags: ['--name', '--account-name', '--auth-mode'], reference: `${AZ}/storage/container#az-storage-container-create` },
  { command: 'functionapp show', flags: ['--name', '--resource-group'], reference: `${AZ}/functionapp#az-functionapp-show` },
  {
    command: 'functionapp create',
    flags: ['--name', '--resource-group', '--storage-account', '--flexconsumption-location', '--runtime', '--runtime-version', '--instance-memory'],
    reference: `${AZ}/functionapp#az-functionapp-create`,
  },
  { command: 'functionapp config appsettings set', flags: ['--name', '--resource-group', '--settings'], reference: `${AZ}/functionapp/config/appsettings#az-functionapp-config-appsettings-set` },
  { command: 'functionapp keys list', flags: ['--name', '--resource-group'], reference: `${AZ}/functionapp/keys#az-functionapp-keys-list` },
  { command: 'functionapp identity assign', flags: ['--name', '--resource-group'], reference: `${AZ}/functionapp/identity#az-functionapp-identity-assign` },
  { command: 'resource show', flags: ['--ids'], reference: `${AZ}/resource#az-resource-show` },
  { command: 'keyvault show', flags: ['--name', '--resource-group'], reference: `${AZ}/keyvault#az-keyvault-show` },
  { command: 'keyvault set-policy', flags: ['--name', '--resource-group', '--object-id', '--secret-permissions'], reference: `${AZ}/keyvault#az-keyvault-set-policy` },
  {
    command: 'role assignment create',
    flags: ['--assignee-object-id', '--assignee-principal-type', '--role', '--scope'],
    reference: `${AZ}/role/assignment#az-role-assignment-create`,
  },
  { command: 'servicebus topic show', flags: ['--resource-group', '--namespace-name', '--name'], reference: `${AZ}/servicebus/topic#az-servicebus-topic-show` },
  { command: 'servicebus topic create', flags: ['--resource-group', '--namespace-name', '--name'], reference: `${AZ}/servicebus/topic#az-servicebus-topic-create` },
  {
    command: 'servicebus topic subscription show',
    flags: ['--resource-group', '--namespace-name', '--topic-name', '--name'],
    reference: `${AZ}/servicebus/topic/subscription#az-servicebus-topic-subscription-show`,
  },
  {
    command: 'servicebus topic subscription create',
    flags: ['--resource-group', '--namespace-name', '--topic-name', '--name', '--max-delivery-count'],
    reference: `${AZ}/servicebus/topic/subscription#az-servicebus-topic-subscription-create`,
  },
  {
    command: 'servicebus topic subscription update',
    flags: ['--resource-group', '--namespace-name', '--topic-name', '--name', '--max-delivery-count'],
    reference: `${AZ}/servicebus/topic/subscription#az-servicebus-topic-subscription-update`,
  },
  {
    command: 'servicebus namespace authorization-rule keys list',
    flags: ['--resource-group', '--namespace-name', '--name'],
    reference: `${AZ}/servicebus/namespace/authorization-rule/keys#az-servicebus-namespace-authorization-rule-keys-list`,
  },
  { command: 'eventgrid system-topic list', flags: ['--resource-group'], reference: `${AZ}/eventgrid/system-topic#az-eventgrid-system-topic-list` },
  {
    command: 'eventgrid system-topic create',
    flags: ['--name', '--resource-group', '--location', '--topic-type', '--source'],
    reference: `${AZ}/eventgrid/system-topic#az-eventgrid-system-topic-create`,
  },
  {
    command: 'eventgrid system-topic event-subscription create',
    flags: [
      '--name',
      '--resource-group',
      '--system-topic-name',
      '--endpoint',
      '--endpoint-type',
      '--event-delivery-schema',
      '--included-event-types',
      '--subject-begins-with',
      '--max-delivery-attempts',
      '--deadletter-endpoint',
    ],
    reference: `${AZ}/eventgrid/system-topic/event-subscription#az-eventgrid-system-topic-event-subscription-create`,
  },
  { command: 'eventgrid topic show', flags: ['--name', '--resource-group'], reference: `${AZ}/eventgrid/topic#az-eventgrid-topic-show` },
  { command: 'eventgrid topic create', flags: ['--name', '--resource-group', '--location', '--input-schema'], reference: `${AZ}/eventgrid/topic#az-eventgrid-topic-create` },
  {
    command: 'eventgrid event-subscription create',
    flags: [
      '--name',
      '--source-resource-id',
      '--endpoint',
      '--endpoint-type',
      '--event-delivery-schema',
      '--included-event-types',
      '--advanced-filter',
      '--subject-begins-with',
      '--max-delivery-attempts',
      '--deadletter-endpoint',
    ],
    reference: `${AZ}/eventgrid/event-subscription#az-eventgrid-event-subscription-create`,
  },
];

/** Azure Functions Core Tools (https://learn.microsoft.com/azure/azure-functions/functions-core-tools-reference). */
const FUNC_COMMANDS: readonly CommandRow[] = [
  { command: 'azure functionapp publish', flags: [], reference: 'https://learn.microsoft.com/azure/azure-functions/functions-core-tools-reference#func-azure-functionapp-publish' },
];

const GCLOUD = 'https://cloud.google.com/sdk/gcloud/reference';
/** gcloud-wide flags (https://cloud.google.com/sdk/gcloud/reference#--format and the other global flags). */
const GCLOUD_GLOBAL = ['--format', '--project', '--quiet', '--verbosity'];

const GCLOUD_COMMANDS: readonly CommandRow[] = [
  { command: 'config get-value', flags: [], reference: `${GCLOUD}/config/get-value` },
  { command: 'projects describe', flags: [], reference: `${GCLOUD}/projects/describe` },
  { command: 'pubsub topics describe', flags: [], reference: `${GCLOUD}/pubsub/topics/describe` },
  { command: 'pubsub topics create', flags: [], reference: `${GCLOUD}/pubsub/topics/create` },
  { command: 'pubsub topics add-iam-policy-binding', flags: ['--member', '--role'], reference: `${GCLOUD}/pubsub/topics/add-iam-policy-binding` },
  { command: 'pubsub subscriptions describe', flags: [], reference: `${GCLOUD}/pubsub/subscriptions/describe` },
  {
    command: 'pubsub subscriptions create',
    flags: ['--topic', '--push-endpoint', '--push-auth-service-account', '--ack-deadline', '--dead-letter-topic', '--max-delivery-attempts', '--min-retry-delay', '--max-retry-delay'],
    reference: `${GCLOUD}/pubsub/subscriptions/create`,
  },
  {
    command: 'pubsub subscriptions update',
    flags: ['--push-endpoint', '--push-auth-service-account', '--ack-deadline', '--dead-letter-topic', '--max-delivery-attempts', '--min-retry-delay', '--max-retry-delay'],
    reference: `${GCLOUD}/pubsub/subscriptions/update`,
  },
  { command: 'pubsub subscriptions add-iam-policy-binding', flags: ['--member', '--role'], reference: `${GCLOUD}/pubsub/subscriptions/add-iam-policy-binding` },
  {
    command: 'functions deploy',
    flags: [
      '--region',
      '--gen2',
      '--runtime',
      '--source',
      '--entry-point',
      '--trigger-http',
      '--trigger-topic',
      '--trigger-event-filters',
      '--trigger-location',
      '--retry',
      '--allow-unauthenticated',
      '--no-allow-unauthenticated',
      '--memory',
      '--timeout',
      '--set-env-vars',
      '--set-secrets',
      '--max-instances',
    ],
    reference: `${GCLOUD}/functions/deploy`,
  },
  { command: 'functions describe', flags: ['--gen2', '--region'], reference: `${GCLOUD}/functions/describe` },
  { command: 'functions add-invoker-policy-binding', flags: ['--region', '--member'], reference: `${GCLOUD}/functions/add-invoker-policy-binding` },
  { command: 'eventarc triggers describe', flags: ['--location'], reference: `${GCLOUD}/eventarc/triggers/describe` },
  {
    command: 'eventarc triggers create',
    flags: ['--location', '--destination-run-service', '--destination-run-region', '--event-filters', '--service-account'],
    reference: `${GCLOUD}/eventarc/triggers/create`,
  },
  { command: 'scheduler jobs describe', flags: ['--location'], reference: `${GCLOUD}/scheduler/jobs/describe` },
  {
    command: 'scheduler jobs create pubsub',
    flags: ['--location', '--schedule', '--time-zone', '--topic', '--message-body'],
    reference: `${GCLOUD}/scheduler/jobs/create/pubsub`,
  },
  {
    command: 'scheduler jobs update pubsub',
    flags: ['--location', '--schedule', '--time-zone', '--topic', '--message-body'],
    reference: `${GCLOUD}/scheduler/jobs/update/pubsub`,
  },
];

const TABLES: Readonly<Record<string, { rows: readonly CommandRow[]; global: readonly string[] }>> = {
  az: { rows: AZ_COMMANDS, global: AZ_GLOBAL },
  func: { rows: FUNC_COMMANDS, global: [] },
  gcloud: { rows: GCLOUD_COMMANDS, global: GCLOUD_GLOBAL },
};

/** `--name=value` and `--name value` both give `--name`; values and positionals are not flags. */
const flagName = (word: string): string | undefined => (/^--[a-z0-9][a-z0-9-]*/.exec(word) ?? [undefined])[0];

/** Each call as `cli command` with the flags it passes, and what in it the table does not know. */
function checkCall(call: readonly string[]): { command: string; unknown: string[] } {
  const [cli, ...args] = call;
  const table = TABLES[cli!];
  if (!table) return { command: call.join(' '), unknown: [`the CLI "${cli}"`] };
  const row = [...table.rows].sort((a, b) => b.command.length - a.command.length).find((r) => {
    const words = r.command.split(' ');
    return words.every((word, i) => args[i] === word);
  });
  if (!row) return { command: `${cli} ${args.filter((a) => !a.startsWith('-')).slice(0, 4).join(' ')}`, unknown: ['the command'] };
  const unknown = args.flatMap((word) => {
    const flag = flagName(word);
    return flag === undefined || row.flags.includes(flag) || table.global.includes(flag) ? [] : [flag];
  });
  return { command: `${cli} ${row.command}`, unknown };
}

const APP = `import { event, http, queue, schedule, storage, topic } from 'faasport';

export const report = http(
  { route: '/report', methods: ['GET'], memory: 1024, timeout: 20, environment: { REGION_NAME: 'eu', API_KEY: { secret: 'report-api-key' } } },
  () => new Response('ok'),
);
export const admin = http({ route: '/admin', authLevel: 'function' }, () => new Response('ok'));
export const onOrder = queue({ queue: 'orders', timeout: 120 }, () => {});
export const onSignup = topic({ topic: 'signups', subscription: 'mailer' }, () => {});
export const onUpload = storage({ bucket: 'uploads', events: ['created', 'deleted'] }, () => {});
export const nightly = schedule({ cron: '0 3 * * 1-5' }, () => {});
export const onShipped = event({ type: ['com.example.order.shipped', 'com.example.order.lost'], source: 'shop' }, () => {});
`;

const ENV = {
  RESOURCE_GROUP: 'rg',
  FUNCTION_APP: 'app',
  STORAGE_ACCOUNT: 'store',
  SERVICEBUS_NAMESPACE: 'bus',
  KEY_VAULT: 'vault',
  LOCATION: 'westeurope',
  TRIGGER_SERVICE_ACCOUNT: 'trigger@p.iam.gserviceaccount.com',
};

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe.skipIf(!hasBash)('deploy.sh commands and flags are the ones the az, func and gcloud references document', () => {
  const runs: Record<'azure' | 'gcp', StubRun[]> = { azure: [], gcp: [] };
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faasport-cli-flags-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'fns.ts'), APP);
    await build({ cwd: dir, providers: ['azure', 'gcp'] });
    // --max-instances comes from `concurrency`, which Azure refuses: a GCP-only build adds it.
    await build({ cwd: dir, providers: ['gcp'], outDir: '.faasport-gcp-concurrency', functions: { report: { concurrency: 5 } } });
    for (const [provider, folder] of [['azure', '.faasport/azure'], ['gcp', '.faasport/gcp'], ['gcp', '.faasport-gcp-concurrency/gcp']] as const) {
      const script = readFileSync(join(dir, folder, 'deploy.sh'), 'utf8');
      // Nothing exists (the create paths), then everything does (the update paths).
      for (const exists of [false, true]) runs[provider].push(runWithStubs(script, ENV, { exists }));
    }
  }, 120_000);

  it.each(['azure', 'gcp'] as const)('%s: the script runs to the end on both paths', (provider) => {
    for (const run of runs[provider]) expect(run.status, run.stderr).toBe(0);
  });

  it.each(['azure', 'gcp'] as const)('%s: every command and flag is in the table (each row names its reference page)', (provider) => {
    const calls = runs[provider].flatMap((run) => run.calls);
    expect(calls.length).toBeGreaterThan(10);
    const unknown = calls.map(checkCall).filter((c) => c.unknown.length > 0);
    expect(unknown, 'add a command or flag to the table only after reading it in the reference').toEqual([]);
  });

  it('the table is used: every gcloud functions deploy flag of the settings appears (memory in Mi, as the reference documents for 2nd gen)', () => {
    const deploys = runs.gcp.flatMap((run) => run.calls).filter((call) => call[1] === 'functions' && call[2] === 'deploy');
    const flags = new Set(deploys.flatMap((call) => call.flatMap((word) => flagName(word) ?? [])));
    for (const flag of ['--memory', '--timeout', '--set-env-vars', '--set-secrets', '--max-instances', '--trigger-http', '--trigger-topic', '--trigger-event-filters', '--retry']) {
      expect(flags, flag).toContain(flag);
    }
    expect(deploys.flat()).toContain('--memory=1024Mi');
  });
});

describe('checkCall', () => {
  it('refuses a flag the table does not list, and a command it does not know', () => {
    expect(checkCall(['gcloud', 'functions', 'deploy', 'f', '--region=us', '--memory=256MB'])).toEqual({ command: 'gcloud functions deploy', unknown: [] });
    expect(checkCall(['gcloud', 'functions', 'deploy', 'f', '--runtime-version=24']).unknown).toEqual(['--runtime-version']);
    expect(checkCall(['az', 'functionapp', 'create', '--name', 'a', '--consumption-plan-location', 'x']).unknown).toEqual(['--consumption-plan-location']);
    expect(checkCall(['az', 'webapp', 'up']).unknown).toEqual(['the command']);
    expect(checkCall(['kubectl', 'apply']).unknown).toEqual(['the CLI "kubectl"']);
  });

  it('takes global flags on any command and the longest matching command', () => {
    expect(checkCall(['az', 'storage', 'account', 'show', '--name', 's', '--resource-group', 'rg', '--query', 'id', '--output', 'tsv']).unknown).toEqual([]);
    expect(checkCall(['az', 'eventgrid', 'system-topic', 'event-subscription', 'create', '--system-topic-name', 't']).command).toBe('az eventgrid system-topic event-subscription create');
  });
});
