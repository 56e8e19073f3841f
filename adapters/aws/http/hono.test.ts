/** A fetch-based framework plugs in as the handler: `http({ route: '/*' }, app.fetch)`. */
import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import { describe, expect, it } from 'vitest';
import { http } from '../../../core/define.js';
import { adaptHttp } from '../index.js';
import { lambdaContext, sharedFixture } from './test-helpers.js';

const app = new Hono();
app.get('/users/:id', (c) => c.json({ id: c.req.param('id'), tags: c.req.queries('tag'), cookie: c.req.header('cookie') }));
app.post('/users', async (c) => c.json({ created: await c.req.json() }, 201));
app.get('/login', (c) => {
  setCookie(c, 'session', 'abc', { path: '/', httpOnly: true });
  setCookie(c, 'theme', 'dark', { path: '/' });
  return c.text('ok');
});

const handler = adaptHttp(http({ route: '/*' }, (req) => app.fetch(req)), { name: 'api' });

function v2Event(method: string, rawPath: string, extra: Record<string, unknown> = {}) {
  const event = sharedFixture('apigw-http/no-auth.json');
  event.rawPath = rawPath;
  event.requestContext.http.method = method;
  event.requestContext.http.path = rawPath;
  event.rawQueryString = '';
  event.body = undefined;
  event.isBase64Encoded = false;
  delete event.cookies;
  delete event.queryStringParameters;
  return { ...event, ...extra };
}

describe('hono app behind faasport on AWS', () => {
  it('routes, reads repeated query keys and the joined cookie header', async () => {
    const res = await handler(v2Event('GET', '/users/42', { rawQueryString: 'tag=a&tag=b', cookies: ['x=1', 'y=2'] }), lambdaContext());
    expect(res).toMatchObject({ statusCode: 200 });
    expect(JSON.parse((res as { body: string }).body)).toEqual({ id: '42', tags: ['a', 'b'], cookie: 'x=1; y=2' });
  });
  it('parses a JSON body', async () => {
    const res = await handler(
      v2Event('POST', '/users', { body: '{"name":"ann"}', headers: { 'content-type': 'application/json', host: 'example.com' } }),
      lambdaContext(),
    );
    expect(res).toMatchObject({ statusCode: 201 });
    expect(JSON.parse((res as { body: string }).body)).toEqual({ created: { name: 'ann' } });
  });
  it('keeps both cookies hono sets', async () => {
    const res = (await handler(v2Event('GET', '/login'), lambdaContext())) as { cookies?: string[] };
    expect(res.cookies).toEqual(['session=abc; Path=/; HttpOnly', 'theme=dark; Path=/']);
  });
  it('answers hono 404 for a path hono does not know', async () => {
    expect(await handler(v2Event('GET', '/nope'), lambdaContext())).toMatchObject({ statusCode: 404 });
  });
});
