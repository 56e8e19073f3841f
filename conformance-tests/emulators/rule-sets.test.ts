import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EMULATOR_RULE_SETS, ruleSetsLine } from './rule-sets.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

describe('emulator rule sets', () => {
  it.each(Object.entries(EMULATOR_RULE_SETS))("%s: the README's table of rules carries the version reports name", (_provider, { version, readme }) => {
    const text = readFileSync(`${repo}${readme}`, 'utf8');
    expect(text).toContain(`Rule set ${version}`);
    expect(text).toMatch(/\| *matches|differs|not modelled/);
  });

  it('names each provider of a run with its version', () => {
    expect(ruleSetsLine(['aws', 'gcp'])).toBe("emulator rules: aws 2026-12-06, gcp 2026-12-06 (each emulator's README lists its rules)");
  });
});
