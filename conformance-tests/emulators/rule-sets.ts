import type { Provider } from '../../core/types.js';

/**
 * The rule set each emulator plays, by version: the date its README's table of rules (matches / differs / not
 * modelled, each with its source) was last changed. A conformance report names them, so a result can be read
 * against the rules that produced it. Change the date here and in the README together (a test checks both).
 */
export const EMULATOR_RULE_SETS: Readonly<Record<Provider, { readonly version: string; readonly readme: string }>> = {
  aws: { version: '2026-12-06', readme: 'conformance-tests/emulators/aws/README.md' },
  azure: { version: '2026-12-06', readme: 'conformance-tests/emulators/azure/README.md' },
  gcp: { version: '2026-12-06', readme: 'conformance-tests/emulators/gcp/README.md' },
};

/** "emulator rules: aws 2026-12-06, ..." for the providers a run used. */
export const ruleSetsLine = (providers: readonly Provider[]): string =>
  `emulator rules: ${providers.map((p) => `${p} ${EMULATOR_RULE_SETS[p].version}`).join(', ')} (each emulator's README lists its rules)`;
