/**
 * Function-name rules of each provider, in one table. The faasport function name is the export name, and
 * it becomes the Lambda directory and handler (aws), the `app.http` name (azure) and the deployed
 * function and entry point (gcp).
 */
import type { Provider } from '../core/types.js';

export interface NameRule {
  readonly pattern: RegExp;
  /** Plain-words version of `pattern`, for error messages. */
  readonly describe: string;
  /** Names the platform reserves. Compared case-insensitively. */
  readonly reserved: readonly string[];
  /** True when the platform treats `getItem` and `getitem` as the same function. */
  readonly caseInsensitive: boolean;
  /** Where the rule comes from. */
  readonly source: string;
}

export const NAME_RULES: Readonly<Record<Provider, NameRule>> = {
  aws: {
    pattern: /^[A-Za-z0-9_-]{1,64}$/,
    describe: 'letters, digits, "-" or "_", 1 to 64 characters',
    reserved: [],
    caseInsensitive: false,
    source: 'Lambda CreateFunction: FunctionName ([a-zA-Z0-9-_]+, a bare name is limited to 64 characters)',
  },
  azure: {
    pattern: /^[A-Za-z][A-Za-z0-9_-]{0,127}$/,
    describe: 'a letter, then letters, digits, "_" or "-", at most 128 characters',
    reserved: ['host'],
    caseInsensitive: true,
    source: 'Functions host name check ^[a-z][a-z0-9_\\-]{0,127}$ (case-insensitive, "host" excluded)',
  },
  gcp: {
    pattern: /^[A-Za-z](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$/,
    describe: 'a letter, then letters, digits, "-" or "_", ending with a letter or digit, at most 63 characters',
    reserved: [],
    // 2nd gen runs each function as a Cloud Run service, whose names are lower case.
    caseInsensitive: true,
    source: 'Cloud Functions: function names start with a letter, end with a letter or digit, at most 63 characters',
  },
};

/** Why `name` is not a valid function name on `provider`, or undefined when it is. */
export function nameProblem(provider: Provider, name: string): string | undefined {
  const rule = NAME_RULES[provider];
  if (!rule.pattern.test(name)) return `"${name}" is not a valid ${provider} function name (${rule.describe})`;
  if (rule.reserved.includes(name.toLowerCase())) return `"${name}" is a reserved function name on ${provider}`;
  return undefined;
}
