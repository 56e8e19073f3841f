/**
 * The conformance fixture: HTTP functions that report what they saw, so one assertion checks the
 * handler's view on every provider. Built with `faasport build` like any user app.
 */
import { createHash } from 'node:crypto';
import { http } from 'faasport';

const sha256 = (bytes: ArrayBuffer | Uint8Array) => createHash('sha256').update(new Uint8Array(bytes)).digest('hex');

/**
 * Echoes the request as the handler sees it. Of the headers, only the `x-custom-*` ones a case sends: the ones
 * each platform adds (forwarding, tracing, a host with its own port) differ by design and would hide the rest
 * from the comparison between providers.
 */
export const echo = http({ route: '/echo/*' }, async (req, ctx) => {
  const url = new URL(req.url);
  const body = new Uint8Array(await req.arrayBuffer());
  const headers: Record<string, string> = {};
  req.headers.forEach((value, name) => {
    if (name.startsWith('x-custom-')) headers[name] = value;
  });
  return Response.json(
    {
      method: req.method,
      path: url.pathname,
      params: ctx.params,
      query: [...url.searchParams],
      headers,
      cookie: req.headers.get('cookie'),
      bodyLength: body.byteLength,
      bodySha256: sha256(body),
      provider: ctx.provider,
      functionName: ctx.functionName,
      hasInvocationId: typeof ctx.invocationId === 'string' && ctx.invocationId.length > 0,
    },
    { headers: { 'x-faasport-fixture': 'echo' } },
  );
});

export const getItem = http({ route: '/items/:id', methods: ['GET'] }, (_req, ctx) =>
  Response.json({ id: ctx.params.id }, { headers: { 'cache-control': 'max-age=60', 'x-item-id': ctx.params.id ?? '' } }),
);

export const createItem = http({ route: '/items', methods: ['POST'] }, async (req) => {
  const item = (await req.json()) as Record<string, unknown>;
  return Response.json({ created: item }, { status: 201, headers: { location: '/items/42' } });
});

export const setCookies = http({ route: '/cookies', methods: ['GET'] }, () => {
  const headers = new Headers({ 'content-type': 'text/plain; charset=utf-8' });
  headers.append('set-cookie', 'session=abc123; Path=/; HttpOnly; Secure; SameSite=Lax');
  headers.append('set-cookie', 'theme=dark; Path=/; Max-Age=3600');
  return new Response('cookies set', { headers });
});

/** GET: the 256 byte values; POST: the request bytes back, with their hash. */
export const binary = http({ route: '/binary', methods: ['GET', 'POST'] }, async (req) => {
  const bytes =
    req.method === 'POST' ? new Uint8Array(await req.arrayBuffer()) : Uint8Array.from({ length: 256 }, (_, i) => i);
  return new Response(bytes, {
    headers: { 'content-type': 'application/octet-stream', 'x-body-sha256': sha256(bytes) },
  });
});

/** A deterministic 1 MB body out, and the hash of whatever comes in. */
export const large = http({ route: '/large', methods: ['GET', 'POST'] }, async (req) => {
  if (req.method === 'POST') {
    const body = new Uint8Array(await req.arrayBuffer());
    return Response.json({ length: body.byteLength, sha256: sha256(body) });
  }
  const text = 'faasport-'.repeat(Math.ceil(1_048_576 / 9)).slice(0, 1_048_576);
  return new Response(text, { headers: { 'content-type': 'text/plain; charset=utf-8' } });
});

export const empty = http({ route: '/empty' }, () => new Response(null, { status: 204, headers: { 'x-empty': 'yes' } }));

export const fail = http({ route: '/fail' }, () => {
  throw new Error('secret-database-password-123', { cause: new Error('inner cause') });
});

export const redirect = http({ route: '/redirect', methods: ['GET'] }, () =>
  new Response(null, { status: 302, headers: { location: '/items/7' } }),
);

export const unicode = http({ route: '/names/:name', methods: ['GET'] }, (req, ctx) =>
  Response.json({ name: ctx.params.name, path: new URL(req.url).pathname }),
);
