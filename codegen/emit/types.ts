/** What every emitter takes and gives back. Emitters are pure: no file system, no clock. */
import type { NodeRuntime } from '../../core/types.js';
import type { DiscoveredFunction } from '../discover.js';

export interface OutputFile {
  /** Posix path relative to the provider's output folder. */
  readonly path: string;
  readonly contents: string;
}

export interface EmitInput {
  /** Sorted by name, validated for the provider. */
  readonly functions: readonly DiscoveredFunction[];
  /** npm-safe name of the user's app (from its package.json), used in generated package.json files. */
  readonly appName: string;
  /** Version ranges of the provider packages faasport was built against. */
  readonly versions: { readonly azureFunctions: string; readonly functionsFramework: string };
  /** The Node version the manifests target (codegen/runtime.ts maps it to each provider's id). */
  readonly runtime: NodeRuntime;
}

export const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Single-quotes a shell word (deploy.sh) unless it is plainly safe. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Text made safe for a `# ...` comment line of deploy.sh: a line break would end the comment and run the
 * rest as a command, so control characters are written as visible escapes (`\n`, `\x1b`).
 */
export function shellComment(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/** Default storage events when a function lists none. */
export const DEFAULT_STORAGE_EVENTS = ['created'] as const;
/** Default deliveries before a failing message is dead-lettered (core/types.ts DeliveryOptions). */
export const DEFAULT_MAX_ATTEMPTS = 5;
