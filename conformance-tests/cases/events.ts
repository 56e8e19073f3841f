/** Event conformance cases, run against the fixture app (fixture-app/events.ts) on every provider. */
import assert from 'node:assert/strict';
import { documents } from '../differences.js';
import { defineCase, type ConformanceCase, type Invoker } from '../invoker.js';
import type { ProbeRecord } from '../probe.js';

const seenTexts = (records: ProbeRecord[], text: string) => records.filter((r) => r.text === text);

// Message texts are the same on every provider, so the handlers' views can be compared with each other; the
// runner clears the probe before each case, so a record of an earlier case never satisfies a later one.

async function deliverOne(inv: Invoker, fn: string, body: string, attributes?: Record<string, string>) {
  const report = await inv.deliver(fn, { messages: [{ body, ...(attributes ? { attributes } : {}) }] });
  assert.deepEqual(report.outcomes, [{ attempts: 1, outcome: 'acked' }]);
  const [record] = await inv.probe.waitFor(fn, (rs) => seenTexts(rs, body).length > 0).then((rs) => seenTexts(rs, body));
  return record!;
}

const shipped = (id: string) => ({
  specversion: '1.0',
  id,
  source: '/shop/orders',
  type: 'com.example.order.shipped',
  subject: 'order-42',
  time: '2026-03-04T05:06:07Z',
  datacontenttype: 'application/json',
  data: { orderId: 42, carrier: 'ups', items: ['ü'] },
});

export const eventCases: ConformanceCase[] = [
  defineCase('queue message text and JSON arrive byte-exact', async (inv) => {
    // Whitespace and unicode inside JSON: a platform library that parses and re-serialises loses them.
    const body = '{ "order": "o-1",  "items": ["ü", "😀"], "n": 1.50 }';
    const seen = await deliverOne(inv, 'onOrder', body);
    assert.equal(seen.text, body);
    assert.equal(Buffer.from(seen.bodyBase64 as string, 'base64').toString('utf8'), body);
    assert.deepEqual(seen.json, JSON.parse(body));
    assert.equal(seen.source, 'orders');
    assert.equal(seen.deliveryCount, 1);
    assert.equal(typeof seen.id, 'string');
  }),
  defineCase('number-like queue message stays text', async (inv) => {
    const body = '00123';
    const seen = await deliverOne(inv, 'onOrder', body);
    assert.equal(seen.text, body);
  }),
  defineCase('failing message is redelivered then dead-lettered; the others are acked once', async (inv) => {
    const [ok1, bad, ok2] = ['ok-1', 'always-fail-1', 'ok-2'];
    const report = await inv.deliver('onOrder', { messages: [{ body: ok1 }, { body: bad }, { body: ok2 }], maxAttempts: 3 });
    assert.deepEqual(report.outcomes, [
      { attempts: 1, outcome: 'acked' },
      { attempts: 3, outcome: 'dead-lettered' },
      { attempts: 1, outcome: 'acked' },
    ]);
    const records = inv.probe.records('onOrder');
    assert.equal(seenTexts(records, ok1).length, 1, 'the first good message ran more than once');
    assert.equal(seenTexts(records, ok2).length, 1, 'the last good message ran more than once');
    assert.deepEqual(
      seenTexts(records, bad).map((r) => r.deliveryCount),
      [1, 2, 3],
      'the failing message was not redelivered with a growing deliveryCount',
    );
  }),
  defineCase('handler crash mid-batch loses no message', async (inv) => {
    const [crash, ok] = ['crash-once-1', 'ok-1'];
    const report = await inv.deliver('onOrder', { messages: [{ body: crash }, { body: ok }], maxAttempts: 3 });
    assert.deepEqual(
      report.outcomes.map((o) => o.outcome),
      ['acked', 'acked'],
    );
    const records = inv.probe.records('onOrder');
    assert.ok(seenTexts(records, crash).some((r) => r.deliveryCount === 2), 'the crashed message was not redelivered');
    assert.ok(seenTexts(records, ok).length >= 1, 'the other message was lost');
  }),
  defineCase('topic message text and attributes arrive identical', async (inv) => {
    const body = '{"user":"u-1", "plan": "pro"}';
    const seen = await deliverOne(inv, 'onSignup', body, { region: 'eu-west', 'trace-id': 'abc-123' });
    assert.equal(seen.text, body);
    assert.deepEqual(seen.attributes, { region: 'eu-west', 'trace-id': 'abc-123' });
    assert.equal(seen.source, 'signups');
  }),
  defineCase('failing topic message is retried then dead-lettered', async (inv) => {
    const bad = 'always-fail-1';
    const report = await inv.deliver('onSignup', { messages: [{ body: bad }], maxAttempts: 2 });
    assert.deepEqual(report.outcomes, [{ attempts: 2, outcome: 'dead-lettered' }]);
    assert.equal(seenTexts(inv.probe.records('onSignup'), bad).length, 2);
  }),
  defineCase('storage key with spaces, unicode and + arrives decoded', async (inv) => {
    const key = 'in box/r-1 ü+1 (copy).txt';
    const report = await inv.deliver('onUpload', {
      object: { bucket: 'uploads', key, body: 'hello storage', contentType: 'text/plain' },
      type: 'created',
    });
    assert.deepEqual(report.outcomes, [{ attempts: 1, outcome: 'acked' }]);
    const [seen] = await inv.probe.waitFor('onUpload', (rs) => rs.some((r) => r.key === key)).then((rs) => rs.filter((r) => r.key === key));
    assert.equal(seen!.type, 'created');
    assert.equal(seen!.bucket, 'uploads');
    assert.equal(seen!.size, 13);
  }),
  defineCase('storage created and deleted are told apart', async (inv) => {
    const key = 'd-1.bin';
    await inv.deliver('onUpload', { object: { bucket: 'uploads', key, body: 'x' }, type: 'created' });
    const report = await inv.deliver('onUpload', { object: { bucket: 'uploads', key }, type: 'deleted' });
    assert.deepEqual(report.outcomes, [{ attempts: 1, outcome: 'acked' }]);
    const records = await inv.probe.waitFor('onUpload', (rs) => rs.filter((r) => r.key === key).length >= 2);
    assert.deepEqual(
      records.filter((r) => r.key === key).map((r) => r.type),
      ['created', 'deleted'],
    );
  }),
  defineCase('schedule tick carries its scheduled time', async (inv) => {
    const scheduledTime = new Date(Date.UTC(2026, 0, 2, 3, 0, 0)).toISOString();
    inv.probe.clear();
    const report = await inv.deliver('nightly', { scheduledTime });
    assert.deepEqual(report.outcomes, [{ attempts: 1, outcome: 'acked' }]);
    const [seen] = await inv.probe.waitFor('nightly', (rs) => rs.length > 0);
    assert.equal(seen!.scheduledTime, scheduledTime);
  }),
  defineCase('CloudEvent source, type, subject, time and data arrive', async (inv) => {
    const report = await inv.deliver('onShipped', { cloudEvent: shipped('ce-1') });
    assert.deepEqual(report.outcomes, [{ attempts: 1, outcome: 'acked' }]);
    const [seen] = await inv.probe.waitFor('onShipped', (rs) => rs.length > 0);
    assert.equal(seen!.source, '/shop/orders');
    assert.equal(seen!.type, 'com.example.order.shipped');
    assert.equal(seen!.subject, 'order-42');
    assert.equal(seen!.time, '2026-03-04T05:06:07Z');
    assert.deepEqual(seen!.data, { orderId: 42, carrier: 'ups', items: ['ü'] });
  }),
  defineCase("CloudEvent id arrives unchanged (on AWS: EventBridge's own id, as documented)", async (inv) => {
    const report = await inv.deliver('onShipped', { cloudEvent: shipped('ce-2') });
    assert.deepEqual(report.outcomes, [{ attempts: 1, outcome: 'acked' }]);
    const [seen] = await inv.probe.waitFor('onShipped', (rs) => rs.length > 0);
    if (documents(inv.provider, 'CloudEvents on AWS carry the id EventBridge assigns')) {
      assert.notEqual(seen!.id, 'ce-2', 'the README says EventBridge assigns its own id; update it if the sent id now survives');
      assert.equal(typeof seen!.id, 'string');
    } else {
      assert.equal(seen!.id, 'ce-2');
    }
  }),
];
