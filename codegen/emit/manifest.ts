/** `faasport.json`: what was generated, for the emulators, the conformance runner and humans. */
import type { NodeRuntime, Provider, SecretRef } from '../../core/types.js';
import type { DiscoveredFunction } from '../discover.js';
import { platformRuntime } from '../runtime.js';
import { json, type OutputFile } from './types.js';

export const MANIFEST_FILE = 'faasport.json';

export interface ManifestEntry {
  readonly name: string;
  readonly kind: DiscoveredFunction['kind'];
  readonly options: DiscoveredFunction['options'];
  readonly export: string;
  readonly source: string;
  /** The bundle that holds the function, relative to the provider folder. */
  readonly entry: string;
  /** Lambda handler string (aws only). */
  readonly handler?: string;
  /** What the platform is told for this function: the emulators run it with these, not with the source's wish. */
  readonly settings: DeployedSettings;
}

export interface DeployedSettings {
  /** Seconds before the platform stops an invocation (Azure: the app-wide functionTimeout). */
  readonly timeout: number;
  /** MB (Azure: the app's instance memory). */
  readonly memory: number;
  readonly environment: Readonly<Record<string, string | SecretRef>>;
  readonly concurrency?: number;
  /** Deliveries before a failing message is dead-lettered, as deployed (queue, topic). */
  readonly maxAttempts?: number;
}

export interface Manifest {
  readonly provider: Provider;
  /** The Node version the deployment targets, and the provider's id for it. */
  readonly runtime: { readonly node: NodeRuntime; readonly id: string };
  readonly functions: readonly ManifestEntry[];
}

export function entryOf(provider: Provider, name: string): string {
  return provider === 'aws' ? `${name}/index.mjs` : 'index.mjs';
}

export type SettingsOf = (fn: DiscoveredFunction) => DeployedSettings;

export function manifest(provider: Provider, functions: readonly DiscoveredFunction[], runtime: NodeRuntime, settingsOf: SettingsOf): Manifest {
  return {
    provider,
    runtime: { node: runtime, id: platformRuntime(provider, runtime).id },
    functions: functions.map((fn) => ({
      name: fn.name,
      kind: fn.kind,
      options: fn.options,
      export: fn.exportName,
      source: fn.file,
      entry: entryOf(provider, fn.name),
      ...(provider === 'aws' ? { handler: `${fn.name}/index.handler` } : {}),
      settings: settingsOf(fn),
    })),
  };
}

export function manifestFile(provider: Provider, functions: readonly DiscoveredFunction[], runtime: NodeRuntime, settingsOf: SettingsOf): OutputFile {
  return { path: MANIFEST_FILE, contents: json(manifest(provider, functions, runtime, settingsOf)) };
}
