/**
 * Azure Functions (v4) and Google Cloud Functions contenders: faasport's adapt() and a hand-written
 * native handler doing the same work (GET /items/:id reading the `session` cookie; POST /items echoing
 * `name` of 1 KB of JSON), invoked in-process with the objects each platform hands a handler.
 * Inputs are built before the timed batch (the platform builds them, not the handler).
 */
import { createRequire } from 'node:module';
import { cookieValue, getEvent, postJsonEvent, USER_COOKIE } from '../lib/events.mjs';

const require = createRequire(import.meta.url);
export const PROVIDER_CONTENDERS = ['azure native', 'azure faasport', 'gcp native', 'gcp faasport'];

const get = getEvent();
const post = postJsonEvent();
/** The same 12 headers as the AWS GET, plus the cookie header that Azure and GCP pass as is. */
const getHeaders = { ...get.headers, cookie: get.cookies.join('; '), host: 'bench.example.net' };
const postHeaders = { ...post.headers, host: 'bench.example.net' };
/** The query of the user-style requests. */
const QUERY = 'q=widget&page=2';
const decoder = new TextDecoder();
/** The Set-Cookie of the user-style answers as an Azure Cookie object (what a native Azure handler returns). */
const AZURE_COOKIE = { name: 'seen', value: '1', path: '/', httpOnly: true };

async function faasportApp(dist) {
  const { http } = await import(`${dist}/index.js`);
  const getItem = http({ route: '/items/:id', methods: ['GET'] }, async (req, ctx) =>
    Response.json({ id: ctx.params.id, session: cookieValue(req.headers.get('cookie'), 'session') }),
  );
  const createItem = http({ route: '/items', methods: ['POST'] }, async (req) => {
    const doc = await req.json();
    return Response.json({ name: doc.name });
  });
  // User-style: Fetch idioms as users write them (see apps/aws.mjs).
  const cookie = { headers: { 'set-cookie': USER_COOKIE } };
  const uGet = http({ route: '/items/:id', methods: ['GET'] }, async (req, ctx) => {
    const q = new URL(req.url).searchParams.get('q');
    const agent = req.headers.get('user-agent');
    const body = await req.arrayBuffer();
    return Response.json({ id: ctx.params.id, q, agent: agent.length, bytes: body.byteLength }, cookie);
  });
  const uPostJson = http({ route: '/items', methods: ['POST'] }, async (req) => {
    const q = new URL(req.url).searchParams.get('q');
    const agent = req.headers.get('user-agent');
    const doc = JSON.parse(decoder.decode(await req.arrayBuffer()));
    return Response.json({ name: doc.name, q, agent: agent.length }, cookie);
  });
  return { getItem, createItem, uGet, uPostJson };
}

const adaptAll = (adapt, app) => ({
  get: adapt(app.getItem, { name: 'getItem' }),
  postJson: adapt(app.createItem, { name: 'createItem' }),
  uGet: adapt(app.uGet, { name: 'getItem' }),
  uPostJson: adapt(app.uPostJson, { name: 'createItem' }),
});

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
    uGet: () => [
      new HttpRequest({ method: 'GET', url: `https://bench.example.net/items/42?${QUERY}`, headers: getHeaders, params: { id: '42' } }),
      new InvocationContext({ functionName: 'getItem', invocationId: 'c6af9ac6-7b61-11e6-9a41-93e812345678' }),
    ],
    uPostJson: () => [
      new HttpRequest({ method: 'POST', url: `https://bench.example.net/items?${QUERY}`, headers: postHeaders, body: { string: post.body } }),
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
      // User-style: the query the library parsed, a header, the whole body, a JSON answer with a cookie.
      uGet: async (request) => {
        const q = request.query.get('q');
        const agent = request.headers.get('user-agent');
        const body = await request.arrayBuffer();
        return { ...json({ id: request.params.id, q, agent: agent.length, bytes: body.byteLength }), cookies: [AZURE_COOKIE] };
      },
      uPostJson: async (request) => {
        const q = request.query.get('q');
        const agent = request.headers.get('user-agent');
        const doc = JSON.parse(decoder.decode(await request.arrayBuffer()));
        return { ...json({ name: doc.name, q, agent: agent.length }), cookies: [AZURE_COOKIE] };
      },
    };
  } else {
    let adapt;
    try {
      ({ adapt } = await import(`${dist}/azure.js`));
    } catch (error) {
      return { name, pending: `dist/azure.js: ${error.message}` };
    }
    handlers = adaptAll(adapt, await faasportApp(dist));
  }
  /** Status, JSON body and Set-Cookie list of an Azure HttpResponseInit. */
  const outcome = async (result) => {
    let body = result.jsonBody;
    if (body === undefined && result.body !== undefined) {
      const raw = result.body;
      const text = typeof raw === 'string' ? raw : new TextDecoder().decode(raw instanceof Uint8Array ? raw : new Uint8Array(await new Response(raw).arrayBuffer()));
      body = JSON.parse(text);
    }
    const cookies = (result.cookies ?? []).map((c) => `${c.name}=${c.value}${c.path ? `; Path=${c.path}` : ''}${c.httpOnly ? '; HttpOnly' : ''}`);
    return { status: result.status ?? 200, body, cookies };
  };
  return { name, handlers, inputs, outcome };
}

/** The request object functions-framework hands a handler after its body parsers ran. */
function gcpRequest(method, path, headers, body, query) {
  const rawHeaders = [];
  for (const k in headers) rawHeaders.push(k, headers[k]);
  const url = query === undefined ? path : `${path}?${query}`;
  // executionId: the framework's executionContextMiddleware gives every request one; `query` is what
  // Express's query parser made of the query string.
  const parsedQuery = query === undefined ? {} : Object.fromEntries(new URLSearchParams(query));
  const req = { method, url, originalUrl: url, path, headers, rawHeaders, readableEnded: true, params: {}, query: parsedQuery, executionId: 'lq3x9k8f2a7b' };
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
    uGet: () => [gcpRequest('GET', '/items/42', getHeaders, undefined, QUERY), gcpResponse()],
    uPostJson: () => [gcpRequest('POST', '/items', postHeaders, post.body, QUERY), gcpResponse()],
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
      // User-style: the query Express parsed, a header, the raw body bytes (none on a GET), JSON with a cookie.
      uGet: async (req, res) => {
        const id = req.path.split('/')[2];
        const q = req.query.q ?? null;
        const agent = req.headers['user-agent'];
        const body = req.rawBody ?? Buffer.alloc(0);
        res.statusCode = 200;
        res.setHeader('content-type', 'application/json');
        res.setHeader('set-cookie', [USER_COOKIE]);
        res.end(JSON.stringify({ id, q, agent: agent.length, bytes: body.byteLength }));
      },
      uPostJson: async (req, res) => {
        const q = req.query.q ?? null;
        const agent = req.headers['user-agent'];
        const doc = JSON.parse(decoder.decode(req.rawBody));
        res.statusCode = 200;
        res.setHeader('content-type', 'application/json');
        res.setHeader('set-cookie', [USER_COOKIE]);
        res.end(JSON.stringify({ name: doc.name, q, agent: agent.length }));
      },
    };
  } else {
    let adapt;
    try {
      ({ adapt } = await import(`${dist}/gcp.js`));
    } catch (error) {
      return { name, pending: `dist/gcp.js: ${error.message}` };
    }
    handlers = adaptAll(adapt, await faasportApp(dist));
  }
  const outcome = async (_result, [, res]) => {
    const cookie = res.headers['set-cookie'];
    return { status: res.statusCode, body: JSON.parse(Buffer.from(res.body).toString('utf8')), cookies: cookie === undefined ? [] : [].concat(cookie) };
  };
  return { name, handlers, inputs, outcome };
}

export function providerContender(name, dist) {
  return name.startsWith('azure') ? azure(name, dist) : gcp(name, dist);
}
