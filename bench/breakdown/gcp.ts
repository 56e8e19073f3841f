/**
 * Where a warm GCP GET spends its time, with the bench's request (bench/apps/providers.mjs): the native
 * handler; the handler's own work written for faasport; then the adapter's steps before the handler, added
 * one at a time (cumulative, without the handler); then with the handler and the answer written; then
 * adapt() whole. Run with `node bench/breakdown.mjs`; each figure is the best of 7 rounds of 100k calls,
 * inputs built 32 at a time.
 */
import { adaptHttp } from '../../adapters/gcp/http.js';
import { invocationIdFrom, requestTarget, toFetchRequest } from '../../adapters/gcp/http-request.js';
import { writeResponse } from '../../adapters/gcp/http-response.js';
import { contextLoggingSink } from '../../adapters/gcp/log.js';
import { createHttpContext, type ContextInit } from '../../core/context.js';
import { http } from '../../core/define.js';
import { installFastFetch } from '../../core/fetch/install.js';
import { dispatchHttp, readResponse } from '../../core/http.js';
import { compileRoute } from '../../core/route.js';
// @ts-expect-error plain JavaScript helpers of the bench
import { cookieValue, getEvent } from '../lib/events.mjs';
// @ts-expect-error plain JavaScript helpers of the bench
import { timeFreshInputs } from '../lib/fresh-inputs.mjs';

installFastFetch();
const get = getEvent();
const headers: Record<string, string> = { ...get.headers, cookie: get.cookies.join('; '), host: 'bench.example.net' };

function request(): any {
  const rawHeaders: string[] = [];
  for (const k in headers) rawHeaders.push(k, headers[k]!);
  return { method: 'GET', url: '/items/42', originalUrl: '/items/42', path: '/items/42', headers, rawHeaders, readableEnded: true, executionId: 'lq3x9k8f2a7b' };
}
function response(): any {
  return {
    statusCode: 200,
    statusMessage: '',
    headersSent: false,
    headers: {} as Record<string, unknown>,
    setHeader(name: string, value: unknown) {
      this.headers[name.toLowerCase()] = value;
    },
    end(chunk: unknown) {
      this.body = chunk;
      this.headersSent = true;
    },
  };
}

const fn = http({ route: '/items/:id', methods: ['GET'] }, async (req, ctx) =>
  Response.json({ id: ctx.params.id, session: cookieValue(req.headers.get('cookie'), 'session') }),
);
const init = (req: any, res: any): ContextInit<unknown> => ({
  provider: 'gcp',
  functionName: 'getItem',
  invocationId: invocationIdFrom(req),
  deadline: undefined,
  native: { req, res },
  logSinkFor: contextLoggingSink,
});

type Step = (req: any, res: any) => unknown;
const steps: [string, Step][] = [
  ['nothing (loop and await)', async () => 0],
  ['native handler, whole', async (req, res) => {
    res.statusCode = 200;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ id: req.path.split('/')[2], session: cookieValue(req.headers.cookie, 'session') }));
  }],
  ['the same work in faasport terms (cookie + Response.json)', async (req) => Response.json({ id: '42', session: cookieValue(req.headers.cookie, 'session') })],
  ['adapter: method, path and URL (requestTarget)', async (req) => requestTarget(req)],
  ['+ route match', async (req) => compileRoute('/items/:id').match(requestTarget(req).path)],
  ['+ context', async (req, res) => createHttpContext(init(req, res), compileRoute('/items/:id').match(requestTarget(req).path)!)],
  ['+ Request and its headers', async (req, res) => {
    const t = requestTarget(req);
    createHttpContext(init(req, res), compileRoute('/items/:id').match(t.path)!);
    return toFetchRequest(req, t);
  }],
  ['+ the handler (its own work too), through dispatchHttp', async (req, res) => {
    const t = requestTarget(req);
    return dispatchHttp(fn, { method: t.method, path: t.path, request: () => toFetchRequest(req, t), context: init(req, res) });
  }],
  ['+ reading and writing the Response', async (req, res) => {
    const t = requestTarget(req);
    const r = await dispatchHttp(fn, { method: t.method, path: t.path, request: () => toFetchRequest(req, t), context: init(req, res) });
    const parts = readResponse(r, t.method);
    writeResponse(res, parts instanceof Promise ? await parts : parts, r.statusText);
  }],
  ['faasport adapt(), whole', adaptHttp(fn, { name: 'getItem' }) as Step],
];

const best = new Map<string, number>();
for (let round = 0; round < 7; round++) {
  for (const [label, step] of steps) {
    const ns: number = await timeFreshInputs(step, () => [request(), response()], 100_000);
    best.set(label, Math.min(best.get(label) ?? Infinity, ns));
  }
}
console.log('GCP GET, per call (best of 7 rounds)');
for (const [label, ns] of best) console.log(`  ${label.padEnd(60)} ${ns.toFixed(0).padStart(6)} ns`);
