/**
 * The mutation targets: for each, the files Stryker mutates and the unit tests that exercise them. Read by
 * scripts/mutation.mjs (the Stryker runs) and scripts/mutation-survivors.mjs (the re-check of what survived).
 */
export const TARGETS = {
  core: { mutate: ['core/**/*.ts', '!core/**/*.test.ts', '!core/index.ts', '!core/**/*.testing.ts'], tests: ['core/**/*.test.ts'] },
  // One target per provider, so each run (and its incremental cache) stays a size a small machine finishes.
  ...Object.fromEntries(
    ['aws', 'azure', 'gcp'].map((p) => [
      `adapters-${p}`,
      {
        mutate: [`adapters/${p}/**/*.ts`, '!adapters/**/*.test.ts', '!adapters/**/test-helpers.ts', '!adapters/**/index.ts', '!adapters/**/fixtures/**'],
        tests: [`adapters/${p}/**/*.test.ts`, '!adapters/**/bundle-size.test.ts'],
      },
    ]),
  ),
  cron: { mutate: ['codegen/cron/*.ts', '!codegen/cron/*.test.ts'], tests: ['codegen/cron/*.test.ts'] },
  'static-value': { mutate: ['codegen/static-value.ts'], tests: ['codegen/static-value.test.ts', 'codegen/discover.test.ts'] },
  delivery: {
    mutate: [
      'conformance-tests/emulators/aws/delivery.ts',
      'conformance-tests/emulators/aws/sqs-queue.ts',
      'conformance-tests/emulators/aws/event-source-mapping.ts',
      'conformance-tests/emulators/aws/delivery-settings.ts',
      'conformance-tests/emulators/gcp/delivery.ts',
      'conformance-tests/emulators/azure/delivery.ts',
      'conformance-tests/emulators/azure/blob-delivery.ts',
    ],
    // Unit tests only (in-memory storage, a local HTTP server for a function's process): the emulator tests that
    // start Azurite or functions-framework processes (azure/events.test.ts, gcp/delivery.test.ts) run in npm test.
    tests: [
      'conformance-tests/emulators/aws/delivery.test.ts',
      'conformance-tests/emulators/aws/sqs-queue.test.ts',
      'conformance-tests/emulators/aws/sqs-event.test.ts',
      'conformance-tests/emulators/aws/event-source-mapping.test.ts',
      'conformance-tests/emulators/aws/delivery-settings.test.ts',
      'conformance-tests/emulators/gcp/push-delivery.test.ts',
      'conformance-tests/emulators/azure/delivery.test.ts',
      'conformance-tests/emulators/azure/blob-delivery.test.ts',
    ],
  },
};
