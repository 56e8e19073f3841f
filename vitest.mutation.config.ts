/** The vitest config Stryker runs: the unit tests of one mutation target only (see scripts/mutation.mjs). */
import { configDefaults } from 'vitest/config';
import base from './vitest.config.js';

const tests = (process.env.FAASPORT_MUTATION_TESTS ?? '').split(',').filter(Boolean);
const include = tests.filter((t) => !t.startsWith('!'));
const exclude = tests.filter((t) => t.startsWith('!')).map((t) => t.slice(1));

// Replaces the include list (mergeConfig would append to it); keeps the aliases and timeouts.
export default {
  ...base,
  test: { ...base.test, include: include.length > 0 ? include : ['core/**/*.test.ts'], exclude: [...(base.test?.exclude ?? configDefaults.exclude), ...exclude] },
};
