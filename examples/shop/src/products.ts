import { http } from 'faasport';
import { products } from './catalog.js';

/** GET /products?tag=outdoor&tag=light — every tag must match. */
export const listProducts = http({ route: '/products', methods: ['GET'] }, (req) => {
  const tags = new URL(req.url).searchParams.getAll('tag');
  const found = products.filter((p) => tags.every((t) => p.tags.includes(t)));
  return Response.json({ products: found, count: found.length });
});

export const getProduct = http({ route: '/products/:id', methods: ['GET'] }, (_req, ctx) => {
  const product = products.find((p) => p.id === ctx.params.id);
  if (!product) return Response.json({ error: `no product ${ctx.params.id}` }, { status: 404 });
  return Response.json(product, { headers: { 'cache-control': 'public, max-age=300' } });
});

/** POST /quotes { items: [{ id, quantity }] } — prices an order; answers 400 on bad input. */
export const createQuote = http({ route: '/quotes', methods: ['POST'] }, async (req, ctx) => {
  let input: { items?: { id?: unknown; quantity?: unknown }[] };
  try {
    input = (await req.json()) as typeof input;
  } catch {
    return Response.json({ error: 'body must be JSON like {"items":[{"id":"p-100","quantity":2}]}' }, { status: 400 });
  }
  if (!Array.isArray(input?.items) || input.items.length === 0) {
    return Response.json({ error: '"items" must be a non-empty array' }, { status: 400 });
  }
  const lines = [];
  for (const item of input.items) {
    const product = products.find((p) => p.id === item.id);
    const quantity = Number(item.quantity);
    if (!product || !Number.isInteger(quantity) || quantity < 1) {
      return Response.json({ error: `bad item ${JSON.stringify(item)}` }, { status: 400 });
    }
    lines.push({ id: product.id, quantity, totalCents: product.priceCents * quantity });
  }
  const totalCents = lines.reduce((sum, l) => sum + l.totalCents, 0);
  ctx.log.info('quote created', { lines: lines.length, totalCents });
  return Response.json({ lines, totalCents }, { status: 201 });
});
