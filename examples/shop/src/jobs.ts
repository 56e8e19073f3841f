import { queue, schedule, storage } from 'faasport';
import { products } from './catalog.js';

interface OrderPlaced {
  orderId: string;
  items: { id: string; quantity: number }[];
}

/**
 * Fulfils orders from the "orders" queue. A throw means this message failed: the platform redelivers it
 * and, after 5 attempts, dead-letters it; the other messages of a batch are unaffected.
 */
export const fulfilOrder = queue({ queue: 'orders', maxAttempts: 5 }, async (msg, ctx) => {
  const order = msg.json<OrderPlaced>();
  for (const item of order.items) {
    if (!products.some((p) => p.id === item.id)) {
      throw new Error(`order ${order.orderId}: unknown product ${item.id}`);
    }
  }
  ctx.log.info('order fulfilled', { orderId: order.orderId, items: order.items.length, attempt: msg.deliveryCount });
});

/** Indexes product images as they are uploaded, and forgets them when deleted. */
export const indexImage = storage({ bucket: 'product-images', events: ['created', 'deleted'] }, async (obj, ctx) => {
  ctx.log.info(obj.type === 'created' ? 'image indexed' : 'image removed', { key: obj.key, size: obj.size });
});

/** Every night at 03:00 UTC: a stock report. */
export const nightlyReport = schedule({ cron: '0 3 * * *' }, async (tick, ctx) => {
  ctx.log.info('nightly report', { scheduledTime: tick.scheduledTime.toISOString(), products: products.length });
});
