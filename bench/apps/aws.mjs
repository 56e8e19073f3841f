/**
 * The same small application written four ways for AWS Lambda: GET /items/:id reads a path parameter and
 * the `session` cookie; POST /items parses 1 KB of JSON and echoes `name`; POST /upload answers the length
 * and last byte of a 64 KiB binary body; an SQS batch sums `qty` over its messages.
 *
 * Each contender runs in its own process (bench/workers/aws.mjs), so each has the globals, JIT state and
 * heap it would have on Lambda: faasport installs its light Response when adapted, the others never see it.
 */
import { cookieValue, USER_COOKIE } from '../lib/events.mjs';

export let queueTotal = 0;
/** Deliveries seen by the user-style queue handlers (each reads the message's delivery count). */
export let deliveries = 0;
const decoder = new TextDecoder();

const json = (body) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), isBase64Encoded: false });

async function processMessage(record) {
  queueTotal += JSON.parse(record.body).qty;
}

/** Hand-written native Lambda handlers: what a team would write without any adapter. */
function native() {
  return {
    name: 'native handler',
    handlers: {
      get: async (event) => json({ id: event.pathParameters.id, session: cookieValue(event.cookies?.join('; '), 'session') }),
      postJson: async (event) => {
        const doc = JSON.parse(event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body);
        return json({ name: doc.name });
      },
      upload: async (event) => {
        const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
        return json({ length: bytes.length, last: bytes[bytes.length - 1] });
      },
      // AWS's documented partial-batch pattern: each record through an async function, awaited in turn (the
      // same per-message promise a faasport queue handler, which is async, costs).
      sqs: async (event) => {
        const batchItemFailures = [];
        for (const record of event.Records) {
          try {
            await processMessage(record);
          } catch {
            batchItemFailures.push({ itemIdentifier: record.messageId });
          }
        }
        return { batchItemFailures };
      },
      // Reference: the same work done synchronously in the loop, no promise per record.
      sqsSync: async (event) => {
        const batchItemFailures = [];
        for (const record of event.Records) {
          try {
            queueTotal += JSON.parse(record.body).qty;
          } catch {
            batchItemFailures.push({ itemIdentifier: record.messageId });
          }
        }
        return { batchItemFailures };
      },
      ...nativeUser(),
    },
  };
}

/**
 * User-style native handlers: the same work as the user-style faasport handlers, on the raw event: the
 * query the gateway parsed, a header, the whole body as bytes (empty on a GET), a JSON answer with a cookie.
 */
function nativeUser() {
  const bodyBytes = (event) => (event.body === undefined || event.body === null ? Buffer.alloc(0) : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8'));
  const answer = (data) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, cookies: [USER_COOKIE], body: JSON.stringify(data), isBase64Encoded: false });
  return {
    uGet: async (event) => {
      const q = event.queryStringParameters?.q ?? null;
      const agent = event.headers['user-agent'];
      const bytes = bodyBytes(event);
      return answer({ id: event.pathParameters.id, q, agent: agent.length, bytes: bytes.byteLength });
    },
    uPostJson: async (event) => {
      const q = event.queryStringParameters?.q ?? null;
      const agent = event.headers['user-agent'];
      const doc = JSON.parse(decoder.decode(bodyBytes(event)));
      return answer({ name: doc.name, q, agent: agent.length });
    },
    uUpload: async (event) => {
      const q = event.queryStringParameters?.q ?? null;
      const type = event.headers['content-type'];
      const bytes = bodyBytes(event);
      return answer({ length: bytes.length, last: bytes[bytes.length - 1], q, type });
    },
    uSqs: async (event) => {
      const batchItemFailures = [];
      for (const record of event.Records) {
        try {
          await processUserMessage(record);
        } catch {
          batchItemFailures.push({ itemIdentifier: record.messageId });
        }
      }
      return { batchItemFailures };
    },
  };
}

async function processUserMessage(record) {
  queueTotal += JSON.parse(record.body).qty;
  deliveries += Number(record.attributes.ApproximateReceiveCount);
}

/**
 * User-style faasport handlers: Fetch idioms as users write them (`new URL(req.url).searchParams`, a header,
 * `await req.arrayBuffer()` even on a GET, `Response.json(data, { headers })` with a Set-Cookie).
 */
function faasportUser(http, queue) {
  const cookie = { headers: { 'set-cookie': USER_COOKIE } };
  return {
    uGet: http({ route: '/items/:id', methods: ['GET'] }, async (req, ctx) => {
      const q = new URL(req.url).searchParams.get('q');
      const agent = req.headers.get('user-agent');
      const body = await req.arrayBuffer();
      return Response.json({ id: ctx.params.id, q, agent: agent.length, bytes: body.byteLength }, cookie);
    }),
    uPostJson: http({ route: '/items', methods: ['POST'] }, async (req) => {
      const q = new URL(req.url).searchParams.get('q');
      const agent = req.headers.get('user-agent');
      const doc = JSON.parse(decoder.decode(await req.arrayBuffer()));
      return Response.json({ name: doc.name, q, agent: agent.length }, cookie);
    }),
    uUpload: http({ route: '/upload', methods: ['POST'] }, async (req) => {
      const q = new URL(req.url).searchParams.get('q');
      const type = req.headers.get('content-type');
      const bytes = new Uint8Array(await req.arrayBuffer());
      return Response.json({ length: bytes.length, last: bytes[bytes.length - 1], q, type }, cookie);
    }),
    uSqs: queue({ queue: 'orders' }, async (message) => {
      queueTotal += message.json().qty;
      deliveries += message.deliveryCount;
    }),
  };
}

/** The user-style HTTP work as a Hono app (the same for hono/aws-lambda and for faasport's http('/*')). */
async function honoUserApp() {
  const { Hono } = await import('hono');
  const app = new Hono();
  app.get('/items/:id', async (c) => {
    const q = c.req.query('q') ?? null;
    const agent = c.req.header('user-agent');
    const body = await c.req.arrayBuffer();
    c.header('set-cookie', USER_COOKIE);
    return c.json({ id: c.req.param('id'), q, agent: agent.length, bytes: body.byteLength });
  });
  app.post('/items', async (c) => {
    const q = c.req.query('q') ?? null;
    const agent = c.req.header('user-agent');
    const doc = JSON.parse(decoder.decode(await c.req.arrayBuffer()));
    c.header('set-cookie', USER_COOKIE);
    return c.json({ name: doc.name, q, agent: agent.length });
  });
  app.post('/upload', async (c) => {
    const q = c.req.query('q') ?? null;
    const type = c.req.header('content-type');
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    c.header('set-cookie', USER_COOKIE);
    return c.json({ length: bytes.length, last: bytes[bytes.length - 1], q, type });
  });
  return app;
}

async function faasportHono(dist) {
  const { http } = await import(`${dist}/index.js`);
  const { adapt } = await import(`${dist}/aws.js`);
  const app = await honoUserApp();
  const handler = adapt(http({ route: '/*' }, app.fetch), { name: 'app' });
  return { name: 'faasport + hono app', handlers: { uGet: handler, uPostJson: handler, uUpload: handler }, note: 'user-style HTTP only: a Hono app under http({ route: "/*" }, app.fetch)' };
}

async function faasport(dist) {
  const { http, queue } = await import(`${dist}/index.js`);
  const { adapt } = await import(`${dist}/aws.js`);
  const getItem = http({ route: '/items/:id', methods: ['GET'] }, async (req, ctx) =>
    Response.json({ id: ctx.params.id, session: cookieValue(req.headers.get('cookie'), 'session') }),
  );
  const createItem = http({ route: '/items', methods: ['POST'] }, async (req) => {
    const doc = await req.json();
    return Response.json({ name: doc.name });
  });
  const upload = http({ route: '/upload', methods: ['POST'] }, async (req) => {
    const bytes = new Uint8Array(await req.arrayBuffer());
    return Response.json({ length: bytes.length, last: bytes[bytes.length - 1] });
  });
  const orders = queue({ queue: 'orders' }, async (message) => {
    queueTotal += message.json().qty;
  });
  // Reference: a handler that is not async (no promise per message), against the native synchronous loop.
  const ordersSync = queue({ queue: 'orders' }, (message) => {
    queueTotal += message.json().qty;
  });
  const user = faasportUser(http, queue);
  const handlers = {
    get: adapt(getItem, { name: 'getItem' }),
    postJson: adapt(createItem, { name: 'createItem' }),
    upload: adapt(upload, { name: 'upload' }),
    uGet: adapt(user.uGet, { name: 'getItem' }),
    uPostJson: adapt(user.uPostJson, { name: 'createItem' }),
    uUpload: adapt(user.uUpload, { name: 'upload' }),
  };
  let note;
  try {
    handlers.sqs = adapt(orders, { name: 'orders' });
    handlers.sqsSync = adapt(ordersSync, { name: 'orders' });
    handlers.uSqs = adapt(user.uSqs, { name: 'orders' });
  } catch (error) {
    note = `SQS: n/a (SQS adapter pending: ${error.message})`;
  }
  return { name: 'faasport adapt()', handlers, note };
}

async function hono() {
  const { Hono } = await import('hono');
  const { handle } = await import('hono/aws-lambda');
  const app = new Hono();
  app.get('/items/:id', (c) => c.json({ id: c.req.param('id'), session: cookieValue(c.req.header('cookie'), 'session') }));
  app.post('/items', async (c) => {
    const doc = await c.req.json();
    return c.json({ name: doc.name });
  });
  app.post('/upload', async (c) => {
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    return c.json({ length: bytes.length, last: bytes[bytes.length - 1] });
  });
  const handler = handle(app);
  const user = handle(await honoUserApp());
  return { name: 'hono/aws-lambda', handlers: { get: handler, postJson: handler, upload: handler, uGet: user, uPostJson: user, uUpload: user }, note: 'SQS: n/a (hono/aws-lambda handles HTTP events only)' };
}

async function h4ad() {
  let express;
  try {
    express = (await import('express')).default;
  } catch {
    return { name: '@h4ad/serverless-adapter', handlers: {}, note: 'n/a: its express framework needs express, which is not installed' };
  }
  const { ServerlessAdapter } = await import('@h4ad/serverless-adapter');
  const { ExpressFramework } = await import('@h4ad/serverless-adapter/frameworks/express');
  const { DefaultHandler } = await import('@h4ad/serverless-adapter/handlers/default');
  const { PromiseResolver } = await import('@h4ad/serverless-adapter/resolvers/promise');
  const { ApiGatewayV2Adapter, SQSAdapter } = await import('@h4ad/serverless-adapter/adapters/aws');
  const app = express();
  app.use(express.json());
  app.use(express.raw({ type: 'application/octet-stream', limit: '1mb' }));
  app.get('/items/:id', (req, res) => res.json({ id: req.params.id, session: cookieValue(req.headers.cookie, 'session') }));
  app.post('/items', (req, res) => res.json({ name: req.body.name }));
  app.post('/upload', (req, res) => res.json({ length: req.body.length, last: req.body[req.body.length - 1] }));
  app.post('/sqs', (req, res) => {
    const batchItemFailures = [];
    for (const record of req.body.Records) {
      try {
        queueTotal += JSON.parse(record.body).qty;
      } catch {
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    res.json({ batchItemFailures });
  });
  const handler = ServerlessAdapter.new(app)
    .setFramework(new ExpressFramework())
    .setHandler(new DefaultHandler())
    .setResolver(new PromiseResolver())
    .addAdapter(new ApiGatewayV2Adapter())
    .addAdapter(new SQSAdapter({ batch: true }))
    .build();
  const version = (await import('express/package.json', { with: { type: 'json' } })).default.version;
  return { name: '@h4ad/serverless-adapter', handlers: { get: handler, postJson: handler, upload: handler, sqs: handler, sqsSync: handler }, note: `@h4ad with its express framework (express ${version}, express.json/raw)` };
}

export const AWS_CONTENDERS = ['native handler', 'faasport adapt()', 'faasport + hono app', 'hono/aws-lambda', '@h4ad/serverless-adapter'];

/** One contender's handlers: { name, handlers: { get, postJson, upload, sqs }, note? }. */
export async function awsContender(name, dist) {
  switch (name) {
    case 'native handler':
      return native();
    case 'faasport adapt()':
      return faasport(dist);
    case 'faasport + hono app':
      return faasportHono(dist);
    case 'hono/aws-lambda':
      return hono();
    case '@h4ad/serverless-adapter':
      return h4ad();
    default:
      throw new Error(`unknown contender ${name}`);
  }
}
