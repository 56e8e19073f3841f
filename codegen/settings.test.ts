/** Per-function settings (memory, timeout, environment, concurrency) as each provider deploys or refuses them. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from './build.js';
import { CodegenError } from './errors.js';
import { parse as readYaml } from 'yaml';

const repo = fileURLToPath(new URL('..', import.meta.url));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function app(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'faasport-settings-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'fns.ts'), `import { http, queue, topic, storage } from 'faasport';\n${source}`);
  return dir;
}

async function problems(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (error instanceof CodegenError) return error.message;
    throw error;
  }
  throw new Error('expected a CodegenError');
}

const json = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

describe('settings land in every manifest', () => {
  const out = mkdtempSync(join(tmpdir(), 'faasport-settings-out-'));
  dirs.push(out);
  beforeAll(async () => {
    await build({ cwd: repo, entries: ['codegen/fixtures/settings'], providers: ['aws', 'gcp'], outDir: out, force: true });
  });

  it('SAM: MemorySize, Timeout, ReservedConcurrentExecutions, Environment with a Secrets Manager reference', () => {
    const t = readYaml(readFileSync(join(out, 'aws', 'template.yaml'), 'utf8')) as { Resources: Record<string, { Properties: Record<string, unknown> }> };
    expect(t.Resources.Report!.Properties).toMatchObject({
      MemorySize: 1024,
      Timeout: 20,
      ReservedConcurrentExecutions: 5,
      Environment: { Variables: { REGION_NAME: 'eu', API_KEY: '{{resolve:secretsmanager:report-api-key}}' } },
    });
  });

  it('SQS: the visibility timeout is six times the timeout of the function reading the queue', () => {
    const t = readYaml(readFileSync(join(out, 'aws', 'template.yaml'), 'utf8')) as { Resources: Record<string, { Properties: Record<string, unknown> }> };
    expect(t.Resources.OnOrder!.Properties.Timeout).toBe(120);
    expect(t.Resources.OrdersQueue!.Properties.VisibilityTimeout).toBe(720);
  });

  it('gcloud: --memory, --timeout, --set-env-vars, --set-secrets, --max-instances; the push ack deadline follows the timeout', () => {
    const deploy = json(join(out, 'gcp', 'deploy.json'));
    const flags = (name: string) => deploy.functions.find((f: { name: string }) => f.name === name).flags;
    expect(flags('report')).toEqual(expect.arrayContaining(['--memory=1024Mi', '--timeout=20s', '--set-env-vars=REGION_NAME=eu', '--set-secrets=API_KEY=report-api-key:latest', '--max-instances=5']));
    expect(flags('onOrder')).toContain('--timeout=120s');
    expect(deploy.pushSubscriptions[0].ackDeadlineSeconds).toBe(120);
  });

  it('faasport.json carries what deploys, for the emulators', () => {
    const aws = json(join(out, 'aws', 'faasport.json')).functions;
    expect(aws.map((f: { name: string; settings: unknown }) => [f.name, f.settings])).toEqual([
      // Schedules are asynchronous invocations: Lambda's retries as the template deploys them (2 = 3 attempts).
      ['nightly', { timeout: 30, memory: 512, environment: { REGION_NAME: 'eu' }, maximumRetryAttempts: 2 }],
      [
        'onOrder',
        {
          timeout: 120,
          memory: 256,
          environment: {},
          maxAttempts: 5,
          // The queue and its event source mapping as template.yaml deploys them (visibility 6 x the timeout).
          sqs: { batchSize: 10, maximumBatchingWindowInSeconds: 0, visibilityTimeout: 720, maxReceiveCount: 5, fifo: false, contentBasedDeduplication: false },
        },
      ],
      ['report', { timeout: 20, memory: 1024, environment: { REGION_NAME: 'eu', API_KEY: { secret: 'report-api-key' } }, concurrency: 5 }],
    ]);
    expect(json(join(out, 'gcp', 'faasport.json')).functions[0].settings).toEqual({ timeout: 60, memory: 512, environment: { REGION_NAME: 'eu' }, maxAttempts: 5 });
  });
});

describe('Azure: settings are one per app', () => {
  let result: BuildResult;
  let dir: string;
  beforeAll(async () => {
    dir = app(`export const a = http({ route: '/a', timeout: 300, memory: 3000, environment: { MODE: 'x', TOKEN: { secret: 'tok', version: '2' } } }, () => new Response());
export const b = queue({ queue: 'jobs', timeout: 90 }, () => {});
`);
    result = await build({ cwd: dir, providers: ['azure'] });
  });

  it('functionTimeout is the largest, and the build output says so', () => {
    const host = json(join(dir, '.faasport', 'azure', 'host.json'));
    expect(host.functionTimeout).toBe('00:05:00');
    expect(result.warnings).toContain('azure: functionTimeout is one per app: 00:05:00, the largest (from a), applies to every function');
  });

  it('memory picks the Flex instance size, environment becomes app settings with Key Vault references', () => {
    const deploy = json(join(dir, '.faasport', 'azure', 'deploy.json'));
    expect(deploy.functionApp).toEqual({ plan: 'FlexConsumption', runtime: 'node', runtimeVersion: '24', instanceMemoryMb: 4096 });
    const script = readFileSync(join(dir, '.faasport', 'azure', 'deploy.sh'), 'utf8');
    expect(script).toContain('--settings "MODE=x" "TOKEN=@Microsoft.KeyVault(VaultName=$KEY_VAULT;SecretName=tok;SecretVersion=2)"');
    expect(script).toContain('--runtime node --runtime-version 24 --instance-memory 4096');
  });
});

describe('a value a platform refuses is a build error with file:line and the limit', () => {
  it.each([
    ['aws', `export const f = http({ route: '/f', timeout: 901 }, () => new Response());`, /^src\/fns\.ts:2:\d+: aws: timeout 901 is outside 1 to 900 s \(https:\/\/docs\.aws\.amazon\.com\/lambda\/latest\/dg\/configuration-timeout\.html\)/],
    ['aws', `export const f = http({ route: '/f', memory: 64 }, () => new Response());`, /aws: memory 64 is outside 128 to 10240 MB/],
    ['aws', `export const f = http({ route: '/f', memory: 10241 }, () => new Response());`, /aws: memory 10241 is outside 128 to 10240 MB/],
    ['gcp', `export const f = topic({ topic: 'signups', timeout: 541 }, () => {});`, /gcp: timeout of a topic function 541 is outside 1 to 540 s/],
    ['gcp', `export const f = queue({ queue: 'jobs', timeout: 601 }, () => {});`, /gcp: timeout of a queue function 601 is outside 1 to 600 s .*ack deadline/],
    ['gcp', `export const f = queue({ queue: 'jobs', maxAttempts: 3 }, () => {});`, /gcp: maxAttempts 3 is outside 5 to 100 delivery attempts/],
    ['azure', `export const f = http({ route: '/f', memory: 8192 }, () => new Response());`, /azure: memory 8192 is outside 1 to 4096 MB/],
    ['azure', `export const f = http({ route: '/f', concurrency: 3 }, () => new Response());`, /azure: concurrency cannot be set per function/],
  ] as const)('%s: %s', async (provider, source, message) => {
    const dir = app(source);
    expect(await problems(() => build({ cwd: dir, providers: [provider] }))).toMatch(message);
  });

  it('azure: two functions giving one variable two values is an error naming both', async () => {
    const dir = app(`export const a = http({ route: '/a', environment: { MODE: 'x' } }, () => new Response());
export const b = http({ route: '/b', environment: { MODE: 'y' } }, () => new Response());`);
    expect(await problems(() => build({ cwd: dir, providers: ['azure'] }))).toMatch(/azure: environment MODE is "y" here but "x" in "a" \(src\/fns\.ts:2:\d+\)/);
  });

  it('a bad environment name or value is refused whatever the provider', async () => {
    const dir = app(`export const a = http({ route: '/a', environment: { 'bad-name': 'x' } }, () => new Response());`);
    expect(await problems(() => build({ cwd: dir }))).toMatch(/environment" has the name "bad-name", which is not an environment variable name/);
  });
});

describe('config defaults and per-function overrides', () => {
  it('defaults fill what a function does not set; an override wins over the function', async () => {
    const dir = app(`export const a = http({ route: '/a', timeout: 10, environment: { A: '1' } }, () => new Response());
export const b = http({ route: '/b' }, () => new Response());`);
    await build({ cwd: dir, providers: ['aws'], defaults: { memory: 512, timeout: 15, environment: { STAGE: 'prod' } }, functions: { a: { timeout: 25 } } });
    const settings = json(join(dir, '.faasport', 'aws', 'faasport.json')).functions.map((f: { settings: unknown }) => f.settings);
    expect(settings).toEqual([
      { timeout: 25, memory: 512, environment: { STAGE: 'prod', A: '1' } },
      { timeout: 15, memory: 512, environment: { STAGE: 'prod' } },
    ]);
    expect(await problems(() => build({ cwd: dir, providers: ['aws'], functions: { c: { timeout: 1 } } }))).toMatch(/the config's functions name "c", which no discovered function is called/);
  });
});
