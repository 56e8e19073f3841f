/** The vitest config Stryker runs: the unit tests of one mutation target only (see scripts/mutation.mjs). */
import base from './vitest.config.js';

const tests = (process.env.FAASPORT_MUTATION_TESTS ?? '').split(',').filter(Boolean);

// Replaces the include list (mergeConfig would append to it); keeps the aliases and timeouts.
export default { ...base, test: { ...base.test, include: tests.length > 0 ? tests : ['core/**/*.test.ts'] } };
