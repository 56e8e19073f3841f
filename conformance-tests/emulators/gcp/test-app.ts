/** Functions the emulator tests bundle into a GCP app, the way `faasport build` bundles a user's. */
import { createHash } from 'node:crypto';
import { http } from '../../../core/define.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export const getItem = http({ route: '/items/:id', methods: ['GET'] }, (req, ctx) =>
  Response.json(
    { id: ctx.params.id, query: [...new URL(req.url).searchParams], functionName: ctx.functionName, pid: process.pid },
    { headers: { 'x-item-id': encodeURIComponent(ctx.params.id ?? '') } },
  ),
);

/** Shares getItem's route pattern for another method: the front door picks by method. */
export const deleteItem = http({ route: '/items/:id', methods: ['DELETE'] }, (_req, ctx) =>
  Response.json({ deleted: ctx.params.id, functionName: ctx.functionName }),
);

export const echo = http({ route: '/echo/*' }, async (req) => {
  const body = new Uint8Array(await req.arrayBuffer());
  return new Response(body, {
    status: 200,
    statusText: 'Echoed',
    headers: { 'content-type': 'application/octet-stream', 'x-body-sha256': sha256(body), 'x-invocation-source': req.headers.get('x-cloud-trace-context') ? 'trace' : 'none' },
  });
});

export const cookies = http({ route: '/cookies', methods: ['GET'] }, () => {
  const headers = new Headers({ 'content-type': 'text/plain' });
  headers.append('set-cookie', 'session=abc123; Path=/; HttpOnly');
  headers.append('set-cookie', 'theme=dark; Path=/');
  return new Response('cookies set', { headers });
});

export const fail = http({ route: '/fail' }, () => {
  throw new Error('secret-database-password-123');
});

export const crash = http({ route: '/crash/:mode' }, (_req, ctx) => {
  if (ctx.params.mode === 'exit') process.exit(3);
  return Response.json({ pid: process.pid });
});

export const anything = http({ route: '/*' }, (req) => new Response(`handler saw ${new URL(req.url).pathname}`));

/** Never answers unless asked `?fast`: the request timeout must end it, and the same process then serves `?fast`. */
export const hang = http({ route: '/hang' }, async (req) => {
  if (new URL(req.url).searchParams.has('fast')) return new Response('fast');
  await new Promise(() => {});
  return new Response('never');
});
