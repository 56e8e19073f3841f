/**
 * At-least-once cases (fixture-app/at-least-once.ts): every platform may deliver a message that was already
 * handled once more, with the same message id; `duplicateRate` makes each emulator do it on demand, so a handler
 * that is not idempotent fails here rather than in production.
 */
import assert from 'node:assert/strict';
import { defineCase, type ConformanceCase } from '../invoker.js';

export const atLeastOnceCases: ConformanceCase[] = [
  defineCase('a duplicate delivery reaches the handler again with the same message id', async (inv) => {
    const body = 'deliver-me-twice';
    const report = await inv.deliver('onceMore', { messages: [{ body }], duplicateRate: 1 });
    assert.deepEqual(report.outcomes, [{ attempts: 1, outcome: 'acked', duplicates: 1 }]);
    const records = await inv.probe.waitFor('onceMore', (rs) => rs.filter((r) => r.text === body).length >= 2);
    const deliveries = records.filter((r) => r.text === body);
    assert.equal(deliveries.length, 2, `the handler saw ${deliveries.length} deliveries`);
    assert.equal(typeof deliveries[0]!.id, 'string');
    assert.equal(deliveries[1]!.id, deliveries[0]!.id, 'the duplicate came with another message id');
  }),
];
