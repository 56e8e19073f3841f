import { describe, expect, it } from 'vitest';
import { invoke } from 'faasport/testing';
import { avatar, createQuote, fulfilOrder, getProduct, listProducts } from './src/index.js';

describe('example HTTP API', () => {
  it('lists products matching every tag', async () => {
    const res = await invoke(listProducts, '/products?tag=outdoor&tag=light');
    expect(await res.json()).toMatchObject({ count: 1, products: [{ id: 'p-300' }] });
  });
  it('answers 404 JSON for an unknown product', async () => {
    const res = await invoke(getProduct, '/products/nope');
    expect(res.status).toBe(404);
  });
  it('prices a quote', async () => {
    const req = new Request('http://x/quotes', { method: 'POST', body: JSON.stringify({ items: [{ id: 'p-100', quantity: 2 }] }) });
    const res = await invoke(createQuote, req);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ totalCents: 3600 });
  });
  it('rejects a quote that is not JSON with a clear 400', async () => {
    const res = await invoke(createQuote, new Request('http://x/quotes', { method: 'POST', body: 'nope' }));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('must be JSON');
  });
  it('draws a PNG avatar', async () => {
    const res = await invoke(avatar, '/avatars/ada');
    expect(res.headers.get('content-type')).toBe('image/png');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });
});

describe('example jobs', () => {
  it('fulfils an order of known products', async () => {
    await invoke(fulfilOrder, { body: { orderId: 'o-1', items: [{ id: 'p-100', quantity: 1 }] } });
  });
  it('fails an order with an unknown product so the platform retries it', async () => {
    await expect(invoke(fulfilOrder, { body: { orderId: 'o-2', items: [{ id: 'nope', quantity: 1 }] } })).rejects.toThrow(/unknown product nope/);
  });
  it('fails a message that is not JSON with a clear error', async () => {
    await expect(invoke(fulfilOrder, { body: 'not json' })).rejects.toThrow(/not valid JSON/);
  });
});
