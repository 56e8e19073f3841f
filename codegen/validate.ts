/** Checks across discovered functions and against each target provider; every problem says what to change. */
import type { HttpEventSource } from '../adapters/aws/types.js';
import type { Provider } from '../core/types.js';
import { CronError, toAwsCron, toAzureNcrontab } from './cron/translate.js';
import type { DiscoveredFunction } from './discover.js';
import { CodegenError, formatLocation, type Problem, type SourceLocation } from './errors.js';
import { NAME_RULES, nameProblem } from './names.js';
import { AWS_TRIGGER_NAMES } from './platforms/aws.js';
import { AZURE_TRIGGER_NAMES } from './platforms/azure.js';
import { GCP_TRIGGER_NAMES } from './platforms/gcp.js';
import { triggerNameProblem, type TriggerNameRule } from './platforms/naming.js';
import { AWS_LIMITS, HTTP_API_INTEGRATION_TIMEOUT, RESPONSE_STREAMING_SOURCE } from './platforms/aws.js';
import { AZURE_HTTP_RESPONSE_LIMIT, AZURE_LIMITS } from './platforms/azure.js';
import { GCP_LIMITS } from './platforms/gcp.js';
import type { PlatformLimit } from './platforms/types.js';
import type { SettingKey } from './config.js';
import type { SettingOrigins } from './options.js';
import { effectiveMethods, isHttp, routeKey } from './routes.js';

const where = (fn: DiscoveredFunction): SourceLocation => ({ file: fn.file, line: fn.line, column: fn.column });

/** What validation knows besides the functions. */
export interface ValidateContext {
  /** Settings that came from faasport.config.ts, per function name: problems with them are reported there. */
  readonly origins?: ReadonlyMap<string, SettingOrigins>;
  /** `--aws-http-events`: the kinds of Lambda HTTP event the AWS bundles read. */
  readonly awsHttpEvents?: readonly HttpEventSource[];
}

/**
 * Where a problem with one of a function's settings is reported: at the config file's value when the value came
 * from faasport.config.ts (with the field and the function it applies to), else at the function.
 */
function settingWhere(fn: DiscoveredFunction, key: SettingKey, context: ValidateContext): { at: SourceLocation; from: string } {
  const origin = context.origins?.get(fn.name)?.[key];
  if (!origin) return { at: where(fn), from: '' };
  return { at: origin.at, from: ` [${origin.field} in ${origin.at.file}, applied to "${fn.name}" (${formatLocation(where(fn))})]` };
}

function duplicateNames(functions: readonly DiscoveredFunction[], problems: Problem[]): void {
  const byName = new Map<string, DiscoveredFunction[]>();
  for (const fn of functions) byName.set(fn.name, [...(byName.get(fn.name) ?? []), fn]);
  for (const [name, list] of byName) {
    if (list.length < 2) continue;
    for (const fn of list) {
      const others = list.filter((o) => o !== fn).map((o) => formatLocation(where(o)));
      problems.push({ at: where(fn), message: `two functions are named "${name}" (also at ${others.join(', ')}); rename one of the exports` });
    }
  }
}

function providerNames(functions: readonly DiscoveredFunction[], providers: readonly Provider[], problems: Problem[]): void {
  for (const fn of functions) {
    const bad = providers.flatMap((p) => nameProblem(p, fn.name) ?? []);
    if (bad.length > 0) problems.push({ at: where(fn), message: `${bad.join('; ')}; rename the export` });
  }
  for (const provider of providers) {
    if (!NAME_RULES[provider].caseInsensitive) continue;
    const byLower = new Map<string, DiscoveredFunction[]>();
    for (const fn of functions) byLower.set(fn.name.toLowerCase(), [...(byLower.get(fn.name.toLowerCase()) ?? []), fn]);
    for (const list of byLower.values()) {
      const names = new Set(list.map((f) => f.name));
      if (names.size < 2) continue; // exact duplicates are reported once, above
      problems.push({
        at: where(list[0]!),
        message: `${[...names].map((n) => `"${n}"`).join(' and ')} differ only in case, which ${provider} treats as one function name; rename one`,
      });
    }
  }
}

function routeConflicts(functions: readonly DiscoveredFunction[], problems: Problem[]): void {
  const http = functions.filter(isHttp);
  for (let i = 0; i < http.length; i++) {
    for (let j = i + 1; j < http.length; j++) {
      const a = http[i]!;
      const b = http[j]!;
      if (routeKey(a.options.route) !== routeKey(b.options.route)) continue;
      const bMethods = effectiveMethods(b.options.methods);
      const overlap = effectiveMethods(a.options.methods).filter((m) => bMethods.includes(m));
      if (overlap.length === 0) continue;
      const routes = a.options.route === b.options.route ? `route "${a.options.route}"` : `routes "${a.options.route}" and "${b.options.route}" (the same path)`;
      problems.push({
        at: where(b),
        message: `"${b.name}" and "${a.name}" (${formatLocation(where(a))}) both answer ${overlap.join(', ')} on ${routes}${
          !a.options.methods || !b.options.methods ? ' (no methods means every method)' : ''
        }; give them different routes or disjoint methods (GET includes HEAD)`,
      });
    }
  }
}

function schedules(functions: readonly DiscoveredFunction[], providers: readonly Provider[], problems: Problem[]): void {
  for (const fn of functions) {
    if (fn.kind !== 'schedule') continue;
    const translators = { aws: toAwsCron, azure: toAzureNcrontab } as const;
    for (const provider of providers) {
      if (provider === 'gcp') continue; // Cloud Scheduler speaks unix cron
      try {
        translators[provider](fn.options.cron);
      } catch (error) {
        if (!(error instanceof CronError)) throw error;
        problems.push({ at: where(fn), message: `${provider}: ${error.message.replace(/^faasport: /, '')}` });
      }
    }
  }
}

/** Azure sets the poison threshold once per app (host.json `extensions.queues.maxDequeueCount`). */
function azureQueueAttempts(functions: readonly DiscoveredFunction[], providers: readonly Provider[], problems: Problem[]): void {
  if (!providers.includes('azure')) return;
  const queues = functions.flatMap((fn) => (fn.kind === 'queue' ? [fn] : []));
  const attempts = new Set(queues.map((fn) => fn.options.maxAttempts ?? 5));
  if (attempts.size > 1) {
    problems.push({
      at: where(queues[0]!),
      message: `queue functions ask for different maxAttempts (${[...attempts].join(', ')}), but Azure has one maxDequeueCount per app; use one value`,
    });
  }
}

const TRIGGER_NAMES: Readonly<Record<Provider, readonly TriggerNameRule[]>> = { aws: AWS_TRIGGER_NAMES, azure: AZURE_TRIGGER_NAMES, gcp: GCP_TRIGGER_NAMES };

/** Queue, topic, subscription and bucket names against each target's naming rules (a deploy would refuse them). */
function triggerNames(functions: readonly DiscoveredFunction[], providers: readonly Provider[], problems: Problem[]): void {
  for (const fn of functions) {
    for (const provider of providers) {
      for (const rule of TRIGGER_NAMES[provider]) {
        if (rule.kind !== fn.kind) continue;
        const value = (fn.options as unknown as Record<string, unknown>)[rule.option];
        if (value === undefined) continue;
        const problem = typeof value === 'string' ? triggerNameProblem(rule, value) : `${rule.resource} name must be a string`;
        if (problem !== undefined) problems.push({ at: where(fn), message: `${provider}: ${rule.option}: ${problem}; choose a name every target accepts` });
      }
    }
  }
}

const outside = (value: number, limit: PlatformLimit) => value < limit.min || value > limit.max;
const range = (limit: PlatformLimit) => (limit.max === Number.MAX_SAFE_INTEGER ? `at least ${limit.min} ${limit.unit}` : `${limit.min} to ${limit.max} ${limit.unit}`);

/** GCP: the timeout limit of a function's kind (queue functions are HTTP functions fed by a push subscription). */
export function gcpTimeoutLimit(fn: DiscoveredFunction): PlatformLimit {
  if (fn.kind === 'http') return GCP_LIMITS.httpTimeout;
  if (fn.kind === 'queue') return { ...GCP_LIMITS.ackDeadline, min: 1, source: `${GCP_LIMITS.ackDeadline.source}; the function's timeout is its push subscription's ack deadline` };
  return GCP_LIMITS.eventTimeout;
}

/**
 * Settings a target platform cannot honour fail the build, naming the platform's range and its source, so that
 * what the emulators run (they read the generated manifests) is what deploys. Nothing is clamped silently.
 */
function platformSettings(functions: readonly DiscoveredFunction[], providers: readonly Provider[], problems: Problem[], context: ValidateContext): void {
  const check = (fn: DiscoveredFunction, provider: Provider, key: SettingKey, what: string, value: number | undefined, limit: PlatformLimit) => {
    if (value !== undefined && outside(value, limit)) {
      const { at, from } = settingWhere(fn, key, context);
      problems.push({ at, message: `${provider}: ${what} ${value} is outside ${range(limit)} (${limit.source})${from}` });
    }
  };
  for (const fn of functions) {
    const { memory, timeout, concurrency } = fn.options;
    for (const provider of providers) {
      if (provider === 'aws') {
        check(fn, provider, 'memory', 'memory', memory, AWS_LIMITS.memory);
        check(fn, provider, 'timeout', 'timeout', timeout, AWS_LIMITS.timeout);
        check(fn, provider, 'concurrency', 'concurrency', concurrency, AWS_LIMITS.concurrency);
      } else if (provider === 'gcp') {
        check(fn, provider, 'memory', 'memory', memory, GCP_LIMITS.memory);
        check(fn, provider, 'timeout', `timeout of a ${fn.kind} function`, timeout, gcpTimeoutLimit(fn));
        check(fn, provider, 'concurrency', 'concurrency (--max-instances)', concurrency, GCP_LIMITS.maxInstances);
      } else {
        check(fn, provider, 'memory', 'memory', memory, AZURE_LIMITS.memory);
        check(fn, provider, 'timeout', 'timeout', timeout, AZURE_LIMITS.timeout);
        if (concurrency !== undefined) {
          const { at, from } = settingWhere(fn, 'concurrency', context);
          problems.push({
            at,
            message: `azure: concurrency cannot be set per function (Flex Consumption scales each function itself, https://learn.microsoft.com/azure/azure-functions/flex-consumption-plan#per-function-scaling); remove it, or build without azure${from}`,
          });
        }
      }
    }
  }
}

/**
 * Delivery options against what each platform honours: maxAttempts and batchSize become platform settings with
 * ranges of their own (the neutral option checks in options.ts allow more). A value outside is a build error with
 * the range and its source, never a silent clamp.
 */
function deliverySettings(functions: readonly DiscoveredFunction[], providers: readonly Provider[], problems: Problem[]): void {
  const check = (fn: DiscoveredFunction, provider: Provider, what: string, value: number | undefined, limit: PlatformLimit, fix: string) => {
    if (value !== undefined && outside(value, limit)) problems.push({ at: where(fn), message: `${provider}: ${what} ${value} is outside ${range(limit)} (${limit.source}); ${fix}` });
  };
  for (const fn of functions) {
    for (const provider of providers) {
      if (provider === 'aws' && fn.kind === 'topic') {
        // SNS invokes Lambda asynchronously: Lambda's retry attempts decide, not SNS.
        check(fn, provider, 'maxAttempts of a topic function (SNS invokes Lambda asynchronously)', fn.options.maxAttempts, AWS_LIMITS.asyncAttempts, 'use 1 to 3, or leave maxAttempts out to take each platform\'s own default (3 on Lambda)');
      }
      if (provider === 'aws' && fn.kind === 'queue') {
        const fifo = fn.options.queue.endsWith('.fifo');
        check(fn, provider, `batchSize of a ${fifo ? 'FIFO' : 'standard'} SQS queue`, fn.options.batchSize, fifo ? AWS_LIMITS.sqsFifoBatchSize : AWS_LIMITS.sqsBatchSize, 'lower batchSize');
      }
      if (provider === 'gcp' && (fn.kind === 'queue' || fn.kind === 'topic')) {
        check(fn, provider, 'maxAttempts', fn.options.maxAttempts, GCP_LIMITS.maxDeliveryAttempts, 'use 5 to 100, or leave maxAttempts out to take each platform\'s own default');
      }
    }
  }
}

/**
 * Things that build but that a user would not expect, printed as warnings with the function's location: a
 * platform that answers the caller before the function's timeout, a streaming function on an AWS path that
 * cannot stream.
 */
export function buildWarnings(functions: readonly DiscoveredFunction[], providers: readonly Provider[], context: ValidateContext = {}): Problem[] {
  const warnings: Problem[] = [];
  for (const fn of functions) {
    if (fn.kind !== 'http') continue;
    const timeout = fn.options.timeout;
    const streams = fn.options.stream === true;
    if (providers.includes('aws') && !streams && timeout !== undefined && timeout > HTTP_API_INTEGRATION_TIMEOUT.seconds) {
      const { at, from } = settingWhere(fn, 'timeout', context);
      warnings.push({
        at,
        message: `aws: "${fn.name}" may run ${timeout} s, but API Gateway HTTP APIs wait at most ${HTTP_API_INTEGRATION_TIMEOUT.seconds} s for a Lambda integration: callers of its route get ${HTTP_API_INTEGRATION_TIMEOUT.status} after ${HTTP_API_INTEGRATION_TIMEOUT.seconds} s while the function runs on (${HTTP_API_INTEGRATION_TIMEOUT.source}). Keep the timeout at ${HTTP_API_INTEGRATION_TIMEOUT.seconds} s or less, or call it another way (stream: true serves it on a Function URL, which has no such limit)${from}`,
      });
    }
    if (providers.includes('azure') && timeout !== undefined && timeout > AZURE_HTTP_RESPONSE_LIMIT.seconds) {
      const { at, from } = settingWhere(fn, 'timeout', context);
      warnings.push({
        at,
        message: `azure: "${fn.name}" may run ${timeout} s, but an HTTP-triggered function must answer within ${AZURE_HTTP_RESPONSE_LIMIT.seconds} s whatever functionTimeout says: the caller then gets an error while the function runs on (${AZURE_HTTP_RESPONSE_LIMIT.source})${from}`,
      });
    }
    const unstreamable = (context.awsHttpEvents ?? []).filter((source) => source === 'alb' || source === 'apigw-v1');
    if (providers.includes('aws') && streams && unstreamable.length > 0) {
      const names = unstreamable.map((source) => (source === 'alb' ? 'ALB' : 'API Gateway REST APIs (apigw-v1)')).join(' and ');
      warnings.push({
        at: where(fn),
        message: `aws: "${fn.name}" streams (stream: true), so it is served on its Lambda Function URL only: ${names} cannot carry the response stream faasport generates, and its bundle reads Function URL events only (${RESPONSE_STREAMING_SOURCE}). Send those callers to the Function URL, or remove stream: true to have the response buffered on every path`,
      });
    }
  }
  return warnings;
}

/** Azure has one set of app settings per app: two functions may not give one variable two values. */
function azureEnvironment(functions: readonly DiscoveredFunction[], providers: readonly Provider[], problems: Problem[], context: ValidateContext): void {
  if (!providers.includes('azure')) return;
  const seen = new Map<string, { value: string; fn: DiscoveredFunction }>();
  for (const fn of functions) {
    for (const [name, value] of Object.entries(fn.options.environment ?? {})) {
      const text = JSON.stringify(value);
      const known = seen.get(name);
      if (!known) seen.set(name, { value: text, fn });
      else if (known.value !== text) {
        const { at, from } = settingWhere(fn, 'environment', context);
        problems.push({
          at,
          message: `azure: environment ${name} is ${text} here but ${known.value} in "${known.fn.name}" (${formatLocation(where(known.fn))}); app settings are one per app, give them one value${from}`,
        });
      }
    }
  }
}

/** Every problem with the set of functions when built for `providers`. */
export function validate(functions: readonly DiscoveredFunction[], providers: readonly Provider[], context: ValidateContext = {}): Problem[] {
  const problems: Problem[] = [];
  duplicateNames(functions, problems);
  providerNames(functions, providers, problems);
  triggerNames(functions, providers, problems);
  routeConflicts(functions, problems);
  schedules(functions, providers, problems);
  azureQueueAttempts(functions, providers, problems);
  platformSettings(functions, providers, problems, context);
  deliverySettings(functions, providers, problems);
  azureEnvironment(functions, providers, problems, context);
  return problems;
}

export function assertValid(functions: readonly DiscoveredFunction[], providers: readonly Provider[], context: ValidateContext = {}): void {
  const problems = validate(functions, providers, context);
  if (problems.length > 0) throw new CodegenError(problems);
}
