/**
 * Event fixtures: each reports what its handler saw to the runner's probe (FAASPORT_PROBE_URL) so the same
 * assertion checks every provider. Message bodies steer failures: "always-fail" throws on every delivery,
 * "crash-once" kills the process on its first delivery.
 */
import { event, queue, schedule, storage, topic, type Message } from 'faasport';

async function report(fn: string, seen: Record<string, unknown>): Promise<void> {
  const url = process.env.FAASPORT_PROBE_URL;
  if (!url) return;
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fn, ...seen }) });
  if (!res.ok) throw new Error(`probe answered ${res.status}`);
}

function messageView(msg: Message) {
  let json: unknown;
  try {
    json = msg.json();
  } catch {
    json = null;
  }
  return {
    id: msg.id,
    text: msg.text(),
    bodyBase64: Buffer.from(msg.body).toString('base64'),
    json,
    attributes: msg.attributes,
    deliveryCount: msg.deliveryCount,
    source: msg.source,
    publishedAt: msg.publishedAt?.toISOString() ?? null,
  };
}

async function steer(msg: Message): Promise<void> {
  const text = msg.text();
  if (text.includes('always-fail')) throw new Error(`fixture: ${text} fails on purpose`);
  if (text.includes('crash-once') && msg.deliveryCount === 1) process.exit(1);
}

export const onOrder = queue({ queue: 'orders', maxAttempts: 5, batchSize: 10 }, async (msg, ctx) => {
  await report('onOrder', { provider: ctx.provider, ...messageView(msg) });
  await steer(msg);
});

export const onSignup = topic({ topic: 'signups', subscription: 'faasport-fixture' }, async (msg, ctx) => {
  await report('onSignup', { provider: ctx.provider, ...messageView(msg) });
  await steer(msg);
});

export const onUpload = storage({ bucket: 'uploads', events: ['created', 'deleted'] }, async (obj, ctx) => {
  await report('onUpload', {
    provider: ctx.provider,
    type: obj.type,
    bucket: obj.bucket,
    key: obj.key,
    size: obj.size ?? null,
    time: obj.time.toISOString(),
  });
});

export const nightly = schedule({ cron: '0 3 * * *' }, async (tick, ctx) => {
  await report('nightly', { provider: ctx.provider, scheduledTime: tick.scheduledTime.toISOString() });
});

export const onShipped = event({ type: 'com.example.order.shipped' }, async (ce, ctx) => {
  await report('onShipped', {
    provider: ctx.provider,
    id: ce.id,
    source: ce.source,
    type: ce.type,
    subject: ce.subject ?? null,
    time: ce.time ?? null,
    data: ce.data ?? null,
  });
});
