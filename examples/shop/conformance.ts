/** The shop's own conformance cases: what a user writes for their app and runs with `faasport conformance`. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { defineCase, type ConformanceCase } from 'faasport/conformance';
import { identicon } from './src/avatars.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export const shopCases: ConformanceCase[] = [
  defineCase('lists products filtered by repeated tags', async (inv) => {
    const res = await inv.http('/products?tag=outdoor&tag=light');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      count: 1,
      products: [{ id: 'p-300', name: 'Headlamp', priceCents: 3400, tags: ['outdoor', 'light'] }],
    });
  }),
  defineCase('unknown product is a JSON 404', async (inv) => {
    const res = await inv.http('/products/p-999');
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { error: 'no product p-999' });
  }),
  defineCase('quote is priced and bad input is a clear 400', async (inv) => {
    const ok = await inv.http('/quotes', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ id: 'p-100', quantity: 2 }, { id: 'p-200', quantity: 1 }] }),
    });
    assert.equal(ok.status, 201);
    assert.equal(((await ok.json()) as { totalCents: number }).totalCents, 4800);
    const bad = await inv.http('/quotes', { method: 'POST', body: 'not json' });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /must be JSON/);
  }),
  // Against the bytes the source draws; the runner also compares each provider's bytes with the others'.
  defineCase('avatar PNG download is the identicon the source draws, byte for byte', async (inv) => {
    const res = await inv.http('/avatars/ada%20lovelace');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    const bytes = new Uint8Array(await res.arrayBuffer());
    const expected = identicon('ada lovelace');
    assert.equal(bytes.byteLength, expected.byteLength, 'the PNG arrived with a different length');
    assert.equal(sha256(bytes), sha256(expected), 'the PNG arrived with different bytes');
    assert.equal(res.headers.get('content-length'), String(expected.byteLength));
  }),
  defineCase('health names the provider', async (inv) => {
    const res = await inv.http('/health');
    assert.deepEqual(await res.json(), { ok: true, provider: inv.provider, function: 'health' });
  }),
  defineCase('an order with an unknown product is dead-lettered, a good one acked', async (inv) => {
    const good = JSON.stringify({ orderId: 'o-1', items: [{ id: 'p-100', quantity: 1 }] });
    const bad = JSON.stringify({ orderId: 'o-2', items: [{ id: 'nope', quantity: 1 }] });
    const report = await inv.deliver('fulfilOrder', { messages: [{ body: good }, { body: bad }], maxAttempts: 2 });
    assert.deepEqual(report.outcomes, [
      { attempts: 1, outcome: 'acked' },
      { attempts: 2, outcome: 'dead-lettered' },
    ]);
  }),
];
