/**
 * One side of the per-idiom comparison in its own process, same protocol as workers/aws.mjs:
 *   node workers/idioms.mjs light <dist>   faasport's light path: requests as the AWS adapter hands them to a
 *                                          handler, `Response`/`Headers` as user code sees them once adapt() ran
 *   node workers/idioms.mjs undici <dist>  Node's own classes (undici) on the same inputs; faasport not loaded
 * Each idiom runs on a fresh input per call, built untimed (lib/fresh-inputs.mjs): only the idiom is timed.
 */
import { USER_COOKIE, lambdaContext, userGetEvent, userPostJsonEvent } from '../lib/events.mjs';
import { serveTimings } from '../lib/timing-worker.mjs';

const [side, dist] = process.argv.slice(2);
const getEvent = userGetEvent();
const postEvent = userPostJsonEvent();
const data = { id: '42', q: 'widget', agent: 117, bytes: 0 };
const text = JSON.stringify(data);
const context = lambdaContext();

/** (event) -> a Request carrying that event's method, URL, headers, cookies and body. */
async function requestMaker() {
  if (side === 'undici') {
    return (event) => {
      const headers = { ...event.headers };
      if (event.cookies) headers.cookie = event.cookies.join('; ');
      const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
      const method = event.requestContext.http.method;
      return new Request(`https://${event.headers.host}${event.rawPath}${query}`, { method, headers, body: method === 'GET' ? undefined : event.body });
    };
  }
  const { http } = await import(`${dist}/index.js`);
  const { adapt } = await import(`${dist}/aws.js`);
  let captured;
  // The handler runs synchronously up to its first await, so one call hands over the Request at once.
  const capture = adapt(
    http({ route: '/*' }, async (req) => {
      captured = req;
      return new Response(null);
    }),
    { name: 'idioms' },
  );
  return (event) => {
    capture(event, context);
    return captured;
  };
}

const makeRequest = await requestMaker();
const getInput = () => [makeRequest(getEvent)];
const postInput = () => [makeRequest(postEvent)];
const none = () => [];
const cookieObject = { headers: { 'set-cookie': USER_COOKIE } };
const cookieArray = { headers: [['set-cookie', USER_COOKIE]] };
let sink;

/** Idiom name -> [what it is given, what it does]. Names are the rows of sections/idioms.mjs. */
export const IDIOMS = {
  'new URL(req.url).searchParams.get': [getInput, async (req) => (sink = new URL(req.url).searchParams.get('q'))],
  'req.url': [getInput, async (req) => (sink = req.url)],
  'req.headers.get': [getInput, async (req) => (sink = req.headers.get('user-agent'))],
  'req.headers.get("cookie")': [getInput, async (req) => (sink = req.headers.get('cookie'))],
  'req.headers.has': [getInput, async (req) => (sink = req.headers.has('x-request-id'))],
  'req.headers.forEach': [getInput, async (req) => req.headers.forEach((value) => (sink = value))],
  'req.headers.entries': [getInput, async (req) => { for (const pair of req.headers.entries()) sink = pair; }],
  'arrayBuffer(), empty GET body': [getInput, async (req) => (sink = await req.arrayBuffer())],
  'text(), empty GET body': [getInput, async (req) => (sink = await req.text())],
  'json(), empty GET body (rejects)': [getInput, async (req) => (sink = await req.json().catch(() => null))],
  'arrayBuffer(), 1 KB body': [postInput, async (req) => (sink = await req.arrayBuffer())],
  'text(), 1 KB body': [postInput, async (req) => (sink = await req.text())],
  'json(), 1 KB body': [postInput, async (req) => (sink = await req.json())],
  'req.clone()': [postInput, async (req) => (sink = req.clone())],
  'Response.json(d, {headers: object})': [none, async () => (sink = Response.json(data, cookieObject))],
  'Response.json(d, {headers: array})': [none, async () => (sink = Response.json(data, cookieArray))],
  'Response.json(d, {headers: new Headers()})': [none, async () => (sink = Response.json(data, { headers: new Headers(cookieObject.headers) }))],
  'new Response(s, {status, headers: object})': [none, async () => (sink = new Response(text, { status: 201, headers: { 'content-type': 'application/json', 'set-cookie': USER_COOKIE } }))],
  'new Response(s, {headers: new Headers()})': [none, async () => (sink = new Response(text, { headers: new Headers({ 'content-type': 'application/json' }) }))],
  'res.headers.set + append after construction': [
    none,
    async () => {
      const res = Response.json(data);
      res.headers.set('cache-control', 'no-store');
      res.headers.append('set-cookie', USER_COOKIE);
      sink = res;
    },
  ],
};

serveTimings((event) => {
  const [make, idiom] = IDIOMS[event];
  return {
    call: idiom,
    make,
    outcome: async () => {
      await idiom(...make());
      return typeof sink === 'object' && sink !== null ? Object.prototype.toString.call(sink) : sink;
    },
  };
});
process.send({ ready: true, name: side === 'undici' ? 'undici' : 'faasport light', events: Object.keys(IDIOMS) });
