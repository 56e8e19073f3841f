/**
 * Differential conformance (pure): for one case, what each provider answered is compared with what the
 * others answered, key by key. Where they disagree, the documented differences decide: the providers a
 * covering difference names may differ, everyone else must still agree. Anything left is undocumented.
 */
import type { Provider } from '../core/types.js';
import { differencesFor, type DocumentedDifference } from './differences.js';
import type { Observations } from './observations.js';

export const ABSENT = '(absent)';

export interface KeyDifference {
  readonly key: string;
  readonly values: Readonly<Partial<Record<Provider, string>>>;
  /** The providers whose answer is the odd one out. */
  readonly differing: readonly Provider[];
  /** The differences that explain it; empty when it is undocumented. */
  readonly documentedBy: readonly DocumentedDifference[];
}

function oddOnesOut(values: Partial<Record<Provider, string>>, among: readonly Provider[]): Provider[] {
  const groups = new Map<string, Provider[]>();
  for (const p of among) groups.set(values[p]!, [...(groups.get(values[p]!) ?? []), p]);
  const sizes = [...groups.values()].map((g) => g.length).sort((a, b) => b - a);
  // A strict majority is the reference; without one, every provider is part of the disagreement.
  if (sizes.length > 1 && sizes[0]! > sizes[1]!) {
    const majority = [...groups.values()].find((g) => g.length === sizes[0])!;
    return among.filter((p) => !majority.includes(p));
  }
  return [...among];
}

/** Compares the providers that ran case `name` to the end (failed runs are left out by the caller). */
export function compareProviders(
  name: string,
  observed: ReadonlyMap<Provider, Observations>,
  differences: readonly DocumentedDifference[],
): KeyDifference[] {
  const providers = [...observed.keys()];
  if (providers.length < 2) return [];
  const keys = new Set<string>();
  for (const obs of observed.values()) for (const key of obs.keys()) keys.add(key);
  const out: KeyDifference[] = [];
  for (const key of keys) {
    const values: Partial<Record<Provider, string>> = {};
    for (const p of providers) values[p] = observed.get(p)!.get(key) ?? ABSENT;
    if (new Set(Object.values(values)).size === 1) continue;
    const covering = differencesFor(differences, name, key);
    const excused = new Set(covering.flatMap((d) => d.providers));
    const rest = providers.filter((p) => !excused.has(p));
    if (new Set(rest.map((p) => values[p])).size <= 1) {
      // With every provider excused, the odd ones out are those away from the majority.
      const differing =
        rest.length > 0 ? providers.filter((p) => excused.has(p) && values[p] !== values[rest[0]!]) : oddOnesOut(values, providers);
      out.push({ key, values, differing, documentedBy: covering.filter((d) => d.providers.some((p) => differing.includes(p))) });
    } else {
      out.push({ key, values, differing: oddOnesOut(values, rest), documentedBy: [] });
    }
  }
  return out;
}
