/** Checks the statically evaluated options of each kind against the neutral model in core/types.ts. */
import { parseRoute } from '../core/route.js';
import { HTTP_METHODS, SETTING_KEYS, STORAGE_EVENT_TYPES, type FunctionKind, type FunctionSettings } from '../core/types.js';
import type { ConfigLocations, ConfigValueLocation, SettingKey } from './config.js';
import { parseCron } from './cron/translate.js';
import type { StaticObject, StaticValue } from './static-value.js';

/** Returns why the value is wrong, or undefined when it is fine. */
type Check = (value: StaticValue) => string | undefined;

interface OptionSpec {
  readonly required?: boolean;
  readonly check: Check;
}

const nonEmptyString: Check = (v) => (typeof v === 'string' && v.length > 0 ? undefined : 'must be a non-empty string');
const plainString: Check = (v) => (typeof v === 'string' ? undefined : 'must be a string');

const intBetween =
  (min: number, max: number): Check =>
  (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? undefined : `must be a whole number from ${min} to ${max}`;

const oneOf =
  (values: readonly string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v) ? undefined : `must be one of ${values.map((x) => `"${x}"`).join(', ')}`;

const listOf =
  (values: readonly string[], what: string): Check =>
  (v) => {
    if (!Array.isArray(v) || v.length === 0) return `must be a non-empty array of ${what} (${values.join(', ')})`;
    const bad = v.find((x) => typeof x !== 'string' || !values.includes(x));
    if (bad !== undefined) return `has ${JSON.stringify(bad)}, which is not one of ${values.join(', ')}`;
    if (new Set(v).size !== v.length) return 'lists a value twice';
    return undefined;
  };

const route: Check = (v) => {
  if (typeof v !== 'string') return 'must be a string like "/items/:id"';
  try {
    parseRoute(v);
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^faasport: /, '');
  }
};

const cron: Check = (v) => {
  if (typeof v !== 'string') return 'must be a 5-field unix cron string like "0 3 * * *"';
  try {
    parseCron(v);
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^faasport: /, '');
  }
};

const eventTypes: Check = (v) => {
  if (typeof v === 'string') return v.length > 0 ? undefined : 'must not be empty';
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x.length > 0)) return undefined;
  return 'must be a CloudEvent type or a non-empty array of them';
};

const boolean: Check = (v) => (typeof v === 'boolean' ? undefined : 'must be true or false');

/** Environment variable names every platform accepts (POSIX portable names). */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const environment: Check = (v) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'must be an object of NAME: "value" or NAME: { secret: "name" }';
  for (const [name, value] of Object.entries(v as StaticObject)) {
    if (!ENV_NAME.test(name)) return `has the name "${name}", which is not an environment variable name (letters, digits and _, not starting with a digit)`;
    if (typeof value === 'string') continue;
    const ref = value as StaticObject;
    const keys = typeof ref === 'object' && ref !== null && !Array.isArray(ref) ? Object.keys(ref) : [];
    const valid =
      keys.includes('secret') &&
      keys.every((k) => k === 'secret' || k === 'version') &&
      nonEmptyString(ref.secret!) === undefined &&
      (ref.version === undefined || nonEmptyString(ref.version) === undefined);
    if (!valid) return `"${name}" must be a string or { secret: "name", version?: "n" }`;
  }
  return undefined;
};

/** Neutral ranges; each platform's own limits are checked per provider (validate.ts, codegen/platforms). */
export const SETTING_SPECS = {
  memory: { check: intBetween(1, 1_000_000) },
  timeout: { check: intBetween(1, 1_000_000) },
  environment: { check: environment },
  concurrency: { check: intBetween(1, 1_000_000) },
} as const;

const delivery = { maxAttempts: { check: intBetween(1, 1000) }, connection: { check: nonEmptyString } } as const;

export const OPTION_SPECS: { readonly [K in FunctionKind]: Readonly<Record<string, OptionSpec>> } = {
  http: {
    route: { required: true, check: route },
    methods: { check: listOf(HTTP_METHODS, 'upper-case HTTP methods') },
    authLevel: { check: oneOf(['anonymous', 'function', 'admin']) },
    stream: { check: boolean },
    ...SETTING_SPECS,
  },
  queue: { queue: { required: true, check: nonEmptyString }, batchSize: { check: intBetween(1, 10000) }, ...delivery, ...SETTING_SPECS },
  topic: { topic: { required: true, check: nonEmptyString }, subscription: { check: nonEmptyString }, ...delivery, ...SETTING_SPECS },
  storage: {
    bucket: { required: true, check: nonEmptyString },
    events: { check: listOf(STORAGE_EVENT_TYPES, 'storage event types') },
    connection: { check: nonEmptyString },
    ...SETTING_SPECS,
  },
  schedule: { cron: { required: true, check: cron }, ...SETTING_SPECS },
  event: { type: { required: true, check: eventTypes }, source: { check: plainString }, ...SETTING_SPECS },
};

export interface OptionProblem {
  /** The option at fault, when there is one. */
  readonly key?: string;
  readonly message: string;
}

/** Every problem with `options` for a function of `kind` (empty when they are valid). */
export function checkOptions(kind: FunctionKind, options: StaticObject): OptionProblem[] {
  const specs = OPTION_SPECS[kind];
  const problems: OptionProblem[] = [];
  for (const [key, spec] of Object.entries(specs)) {
    if (spec.required && options[key] === undefined) {
      problems.push({ message: `${kind}() needs the option "${key}"` });
    }
  }
  for (const [key, value] of Object.entries(options)) {
    const spec = specs[key];
    if (!spec) {
      problems.push({ key, message: `${kind}() has no option "${key}"; known options: ${Object.keys(specs).join(', ')}` });
      continue;
    }
    const why = spec.check(value);
    if (why) problems.push({ key, message: `${kind}() option "${key}" ${why}` });
  }
  return problems;
}

/** A function's settings: config defaults, then its own options, then the config's entry for it (environment merged). */
export function mergeSettings<O extends FunctionSettings>(options: O, defaults: FunctionSettings | undefined, override: FunctionSettings | undefined): O {
  const environment = { ...defaults?.environment, ...options.environment, ...override?.environment };
  const merged = { ...defaults, ...options, ...override } as O & { environment?: FunctionSettings['environment'] };
  if (Object.keys(environment).length > 0) merged.environment = environment;
  else delete merged.environment;
  return merged;
}

/** Where each of a function's settings came from, when the config file gave it (absent: the function's own options). */
export type SettingOrigins = Readonly<Partial<Record<SettingKey, ConfigValueLocation>>>;

/**
 * The config entries that decide a function's settings under mergeSettings' order: its entry in `functions`
 * wins over its own options, which win over `defaults`. An environment merged from several places is reported
 * at the config only when the function itself sets none.
 */
export function settingOrigins(
  name: string,
  options: FunctionSettings,
  defaults: FunctionSettings | undefined,
  override: FunctionSettings | undefined,
  locations: ConfigLocations,
): SettingOrigins {
  const origins: Partial<Record<SettingKey, ConfigValueLocation>> = {};
  const fallback = (field: string): ConfigValueLocation => ({ at: locations.file, field });
  for (const key of SETTING_KEYS) {
    if (override?.[key] !== undefined) origins[key] = locations.functions[name]?.[key] ?? fallback(`functions.${name}.${key}`);
    else if (options[key] === undefined && defaults?.[key] !== undefined) origins[key] = locations.defaults[key] ?? fallback(`defaults.${key}`);
  }
  return origins;
}
