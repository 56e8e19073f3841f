/**
 * One rule for every provider-specific limit: a setting a platform cannot honour is a build error naming the
 * platform's range and its source; something that builds but that callers would not expect is a warning; a
 * value from faasport.config.ts is reported at its line in the config.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HttpEventSource } from '../adapters/aws/types.js';
import type { Provider } from '../core/types.js';
import { build } from './build.js';
import { configLocations, loadConfigWithLocations } from './config.js';
import type { DiscoveredFunction } from './discover.js';
import { awsSettings, samTemplate } from './emit/aws.js';
import { CodegenError, formatProblem } from './errors.js';
import { buildWarnings, validate } from './validate.js';

const fn = (kind: DiscoveredFunction['kind'], options: object, name = 'f'): DiscoveredFunction =>
  ({ name, kind, options, file: 'src/fns.ts', line: 7, column: 14, exportName: name }) as DiscoveredFunction;
const errors = (f: DiscoveredFunction, providers: Provider[]) => validate([f], providers).map(formatProblem);
const warnings = (f: DiscoveredFunction, providers: Provider[], awsHttpEvents: HttpEventSource[] = ['apigw-v2']) =>
  buildWarnings([f], providers, { awsHttpEvents }).map(formatProblem);

describe('maxAttempts and batchSize against what each platform honours', () => {
  it('aws: a topic function (SNS invokes Lambda asynchronously) takes 1 to 3 attempts; 7 is an error at file:line with the source', () => {
    const [message, ...rest] = errors(fn('topic', { topic: 'signups', maxAttempts: 7 }), ['aws']);
    expect(rest).toEqual([]);
    expect(message).toMatch(/^src\/fns\.ts:7:14: aws: maxAttempts of a topic function \(SNS invokes Lambda asynchronously\) 7 is outside 1 to 3 attempts/);
    expect(message).toContain('docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html');
    expect(errors(fn('topic', { topic: 'signups', maxAttempts: 3 }), ['aws'])).toEqual([]);
  });

  it('aws: a topic function that sets no maxAttempts gets 3, in the template and in the manifest the emulator reads', () => {
    const topic = fn('topic', { topic: 'signups' }, 'onSignup');
    expect(awsSettings(topic).maxAttempts).toBe(3);
    const template = samTemplate({ functions: [topic], appName: 'a', versions: { azureFunctions: '4', functionsFramework: '5' }, runtime: 'node24' }) as {
      Resources: Record<string, { Properties: { EventInvokeConfig?: { MaximumRetryAttempts: number } } }>;
    };
    expect(template.Resources.OnSignup!.Properties.EventInvokeConfig!.MaximumRetryAttempts).toBe(2);
  });

  it('no value fits both Lambda (1 to 3) and Pub/Sub (5 to 100): the messages say to leave maxAttempts out', () => {
    const found = errors(fn('topic', { topic: 'signups', maxAttempts: 4 }), ['aws', 'gcp']);
    expect(found.map((m) => m.split(': ')[1])).toEqual(['aws', 'gcp']);
    for (const message of found) expect(message).toContain('leave maxAttempts out');
  });

  it('aws: a FIFO queue takes at most 10 messages per batch, a standard queue 10,000 (Lambda SQS event source)', () => {
    const [fifo] = errors(fn('queue', { queue: 'ledger.fifo', batchSize: 11 }), ['aws']);
    expect(fifo).toMatch(/aws: batchSize of a FIFO SQS queue 11 is outside 1 to 10 messages \(FIFO queue\) \(https:\/\/docs\.aws\.amazon\.com\/lambda\/latest\/dg\/services-sqs-parameters\.html/);
    expect(errors(fn('queue', { queue: 'ledger.fifo', batchSize: 10 }), ['aws'])).toEqual([]);
    expect(errors(fn('queue', { queue: 'bulk', batchSize: 10_000 }), ['aws'])).toEqual([]);
    // Other providers hand one message per invocation, which "at most batchSize" allows.
    expect(errors(fn('queue', { queue: 'ledger-fifo', batchSize: 11 }), ['gcp', 'azure'])).toEqual([]);
  });

  it('gcp: concurrency becomes --max-instances, within Cloud Run\'s regional baseline of 1,000 instances', () => {
    expect(errors(fn('http', { route: '/f', concurrency: 1001 }), ['gcp'])[0]).toMatch(
      /gcp: concurrency \(--max-instances\) 1001 is outside 1 to 1000 instances \(https:\/\/cloud\.google\.com\/run\/docs\/configuring\/max-instances-limits/,
    );
    expect(errors(fn('http', { route: '/f', concurrency: 1000 }), ['gcp'])).toEqual([]);
  });
});

describe('warnings: it builds, but callers would not get what the function promises', () => {
  it('aws: an HTTP function with a timeout over 30 s behind the HTTP API: callers get 503 after 30 s', () => {
    const [warning] = warnings(fn('http', { route: '/slow', timeout: 60 }), ['aws']);
    expect(warning).toMatch(/^src\/fns\.ts:7:14: aws: "f" may run 60 s, but API Gateway HTTP APIs wait at most 30 s .*get 503 after 30 s/);
    expect(warning).toContain('docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html');
    expect(warnings(fn('http', { route: '/slow', timeout: 30 }), ['aws'])).toEqual([]);
    // A streaming function is served on a Function URL, which has no 30 s limit.
    expect(warnings(fn('http', { route: '/slow', timeout: 60, stream: true }), ['aws'])).toEqual([]);
    // Not an HTTP function: no API Gateway in front.
    expect(warnings(fn('queue', { queue: 'jobs', timeout: 60 }), ['aws'])).toEqual([]);
  });

  it('azure: an HTTP function with a timeout over 230 s: the load balancer ends the response first', () => {
    const [warning] = warnings(fn('http', { route: '/slow', timeout: 300 }), ['azure']);
    expect(warning).toMatch(/azure: "f" may run 300 s, but an HTTP-triggered function must answer within 230 s/);
    expect(warning).toContain('learn.microsoft.com/azure/azure-functions/functions-scale#timeout');
    expect(warnings(fn('http', { route: '/slow', timeout: 230 }), ['azure'])).toEqual([]);
  });

  it('aws: a streaming function built with --aws-http-events alb or apigw-v1 is served on its Function URL only, and says so', () => {
    const streaming = fn('http', { route: '/sse', stream: true });
    expect(warnings(streaming, ['aws'], ['apigw-v2'])).toEqual([]);
    const [alb] = warnings(streaming, ['aws'], ['apigw-v2', 'alb']);
    expect(alb).toMatch(/aws: "f" streams \(stream: true\), so it is served on its Lambda Function URL only: ALB cannot carry/);
    const [all] = warnings(streaming, ['aws'], ['apigw-v2', 'apigw-v1', 'alb']);
    expect(all).toContain('API Gateway REST APIs (apigw-v1) and ALB cannot carry');
    expect(warnings(streaming, ['gcp', 'azure'], ['alb'])).toEqual([]);
  });
});

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('faasport build returns the warnings (the CLI prints them with its other notes)', () => {
  it('a streaming function built with --aws-http-events apigw-v2,alb: the warning names the file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faasport-warn-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'fns.ts'), `import { http } from 'faasport';\n\nexport const feed = http({ route: '/feed', stream: true }, () => new Response('x'));\n`);
    const result = await build({ cwd: dir, providers: ['aws'], awsHttpEvents: ['apigw-v2', 'alb'] });
    expect(result.warnings).toEqual([expect.stringMatching(/^src\/fns\.ts:3:\d+: aws: "feed" streams \(stream: true\), so it is served on its Lambda Function URL only: ALB cannot carry/)]);
  });
});

describe('values from faasport.config.ts are reported at the config file', () => {
  const CONFIG = `import { defineConfig } from 'faasport';

export default defineConfig({
  defaults: {
    memory: 512,
    timeout: 1000,
  },
  functions: {
    other: { memory: 64 },
  },
});
`;

  it('finds each setting\'s line in the config source (defineConfig call, a const, satisfies)', () => {
    const locations = configLocations(CONFIG, 'faasport.config.ts');
    expect(locations.defaults.timeout).toEqual({ at: { file: 'faasport.config.ts', line: 6, column: 5 }, field: 'defaults.timeout' });
    expect(locations.functions.other!.memory).toEqual({ at: { file: 'faasport.config.ts', line: 9, column: 14 }, field: 'functions.other.memory' });
    const viaConst = configLocations(`const config = { defaults: { memory: 64 } } satisfies object;\nexport default config;\n`, 'faasport.config.ts');
    expect(viaConst.defaults.memory!.at).toEqual({ file: 'faasport.config.ts', line: 1, column: 30 });
  });

  it('a default the platform refuses is an error at faasport.config.ts:line, naming the field and the function', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faasport-config-at-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'src'));
    writeFileSync(
      join(dir, 'src', 'fns.ts'),
      `import { http } from 'faasport';\nexport const report = http({ route: '/r' }, () => new Response());\nexport const other = http({ route: '/o', timeout: 10 }, () => new Response());\n`,
    );
    writeFileSync(join(dir, 'faasport.config.ts'), CONFIG);
    const loaded = (await loadConfigWithLocations(dir))!;
    let error: unknown;
    const result = await build({
      cwd: dir,
      providers: ['aws'],
      defaults: loaded.config.defaults!,
      functions: loaded.config.functions!,
      configLocations: loaded.locations,
    }).catch((e: unknown) => (error = e));
    expect(result).toBe(error);
    expect(error).toBeInstanceOf(CodegenError);
    const problems = (error as CodegenError).problems.map(formatProblem);
    expect(problems).toHaveLength(2);
    // "report" sets no timeout, so it takes defaults.timeout; "other" sets its own, so only "report" is named.
    expect(problems).toContainEqual(expect.stringMatching(/^faasport\.config\.ts:6:5: aws: timeout 1000 is outside 1 to 900 s .*\[defaults\.timeout in faasport\.config\.ts, applied to "report" \(src\/fns\.ts:2:\d+\)\]$/));
    expect(problems).toContainEqual(expect.stringMatching(/^faasport\.config\.ts:9:14: aws: memory 64 is outside 128 to 10240 MB .*\[functions\.other\.memory in faasport\.config\.ts, applied to "other"/));
  });
});
