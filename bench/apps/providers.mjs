/**
 * Azure Functions (v4) and Google Cloud Functions contenders: faasport's adapt() and a hand-written
 * native handler doing the same work (GET /items/:id reading the `session` cookie; POST /items echoing
 * `name` of 1 KB of JSON), invoked in-process with the objects each platform hands a handler.
 * Inputs are built before the timed batch (the platform builds them, not the handler).
 */
import { createRequire } from 'node:module';
import { cookieValue, getEvent, postJsonEvent } from '../lib/events.mjs';

const require = createRequire(import.meta.url);
export const PROVIDER_CONTENDERS = ['azure native', 'azure faasport', 'gcp native', 'gcp faasport'];

const get = getEvent();
const post = postJsonEvent();
/** The same 12 headers as the AWS GET, plus the cookie header that Azure and GCP pass as is. */
const getHeaders = { ...get.headers, cookie: get.cookies.join('; '), host: 'bench.example.net' };
const postHeaders = { ...post.headers, host: 'bench.example.net' };

async function faasportApp(dist) {
  const { http } = await import(`${dist}/index.js`);
  const getItem = http({ route: '/items/:id', methods: ['GET'] }, async (req, ctx) =>
    Response.json({ id: ctx.params.id, session: cookieValue(req.headers.get('cookie'), 'session') }),
  );
  const createItem = http({ route: '/items', methods: ['POST'] }, async (req) => {
    const doc = await req.json();
    return Response.json({ name: doc.name });
  });
  return { getItem, createItem };
}

async function azure(name, dist) {
  let lib;
  try {
    lib = require('@azure/functions');
  } catch {
    return { name, pending: '@azure/functions is not installed' };
  }
  const { HttpRequest, InvocationContext } = lib;
  const inputs = {
    get: () => [
      new HttpRequest({ method: 'GET', url: 'https://bench.example.net/items/42', headers: getHeaders, params: { id: '42' } }),
      new InvocationContext({ functionName: 'getItem', invocationId: 'c6af9ac6-7b61-11e6-9a41-93e812345678' }),
    ],
    postJson: () => [
      new HttpRequest({ method: 'POST', url: 'https://bench.example.net/items', headers: postHeaders, body: { string: post.body } }),
      new InvocationContext({ functionName: 'createItem', invocationId: 'c6af9ac6-7b61-11e6-9a41-93e812345678' }),
    ],
  };
  let handlers;
  if (name === 'azure native') {
    // The answer as a JSON string, as faasport gives it: with `jsonBody` the library would serialise it after
    // the handler returned, outside the timed call, and only for this contender.
    const json = (value) => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
    handlers = {
      get: async (request) => json({ id: request.params.id, session: cookieValue(request.headers.get('cookie'), 'session') }),
      postJson: async (request) => {
        const doc = await request.json();
        return json({ name: doc.name });
      },
    };
  } else {
    let adapt;
    try {
      ({ adapt } = await import(`${dist}/azure.js`));
    } catch (error) {
      return { name, pending: `dist/azure.js: ${error.message}` };
    }
    const app = await faasportApp(dist);
    handlers = { get: adapt(app.getItem, { name: 'getItem' }), postJson: adapt(app.createItem, { name: 'createItem' }) };
  }
  /** Status and JSON body of an Azure HttpResponseInit. */
  const outcome = async (result) => {
    let body = result.jsonBody;
    if (body === undefined && result.body !== undefined) {
      const raw = result.body;
      const text = typeof raw === 'string' ? raw : new TextDecoder().decode(raw instanceof Uint8Array ? raw : new Uint8Array(await new Response(raw).arrayBuffer()));
      body = JSON.parse(text);
    }
    return { status: result.status ?? 200, body };
  };
  return { name, handlers, inputs, outcome };
}

/** The request object functions-framework hands a handler after its body parsers ran. */
function gcpRequest(method, path, headers, body) {
  const rawHeaders = [];
  for (const k in headers) rawHeaders.push(k, headers[k]);
  // executionId: the framework's executionContextMiddleware gives every request one.
  const req = { method, url: path, originalUrl: path, path, headers, rawHeaders, readableEnded: true, params: {}, query: {}, executionId: 'lq3x9k8f2a7b' };
  if (body !== undefined) {
    req.rawBody = Buffer.from(body);
    req.body = JSON.parse(body);
  }
  req.get = (name) => headers[name.toLowerCase()];
  return req;
}

/** The parts of Express's response that handlers write through. */
function gcpResponse() {
  return {
    statusCode: 200,
    statusMessage: '',
    headersSent: false,
    headers: {},
    body: undefined,
    setHeader(name, value) {
      this.headers[name.toLowerCase()] = value;
    },
    getHeader(name) {
      return this.headers[name.toLowerCase()];
    },
    end(chunk) {
      this.body = chunk;
      this.headersSent = true;
    },
    destroy() {},
  };
}

async function gcp(name, dist) {
  const inputs = {
    get: () => [gcpRequest('GET', '/items/42', getHeaders), gcpResponse()],
    postJson: () => [gcpRequest('POST', '/items', postHeaders, post.body), gcpResponse()],
  };
  let handlers;
  if (name === 'gcp native') {
    handlers = {
      get: async (req, res) => {
        const id = req.path.split('/')[2];
        res.statusCode = 200;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ id, session: cookieValue(req.headers.cookie, 'session') }));
      },
      postJson: async (req, res) => {
        res.statusCode = 200;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ name: req.body.name }));
      },
    };
  } else {
    let adapt;
    try {
      ({ adapt } = await import(`${dist}/gcp.js`));
    } catch (error) {
      return { name, pending: `dist/gcp.js: ${error.message}` };
    }
    const app = await faasportApp(dist);
    handlers = { get: adapt(app.getItem, { name: 'getItem' }), postJson: adapt(app.createItem, { name: 'createItem' }) };
  }
  const outcome = async (_result, [, res]) => ({ status: res.statusCode, body: JSON.parse(Buffer.from(res.body).toString('utf8')) });
  return { name, handlers, inputs, outcome };
}

export function providerContender(name, dist) {
  return name.startsWith('azure') ? azure(name, dist) : gcp(name, dist);
}
