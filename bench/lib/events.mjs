/**
 * The benchmark's native events, shaped like live API Gateway HTTP API (payload 2.0) and SQS events.
 * Each builder returns a fresh object; contenders never mutate events, so one object serves every call.
 */
const HOST = 'r3pmxmplak.execute-api.us-east-1.amazonaws.com';

function v2({ method, path, routeKey, pathParameters, headers, cookies, body, isBase64Encoded = false }) {
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    ...(cookies ? { cookies } : {}),
    headers,
    ...(pathParameters ? { pathParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'r3pmxmplak',
      domainName: HOST,
      domainPrefix: 'r3pmxmplak',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'Mozilla/5.0 (bench)' },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey,
      stage: '$default',
      time: '10/Mar/2025:00:03:38 +0000',
      timeEpoch: 1741565018000,
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded,
  };
}

/** 12 headers as API Gateway sends them (lower-case names), cookies apart in `cookies[]`. */
function baseHeaders(extra = {}) {
  return {
    accept: 'application/json, text/plain, */*',
    'accept-encoding': 'gzip, deflate, br',
    'accept-language': 'en-GB,en;q=0.9',
    'cache-control': 'no-cache',
    host: HOST,
    referer: 'https://app.example.com/items',
    'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
    'x-amzn-trace-id': 'Root=1-65f1a2b3-0123456789abcdef01234567',
    'x-forwarded-for': '203.0.113.7',
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
    'x-request-id': '8f1d2c3b-4a5e-4f60-9a7b-1c2d3e4f5a6b',
    ...extra,
  };
}

export function getEvent() {
  return v2({
    method: 'GET',
    path: '/items/42',
    routeKey: 'GET /items/{id}',
    pathParameters: { id: '42' },
    headers: baseHeaders(),
    cookies: ['session=abc123def456', 'theme=dark'],
  });
}

/** About 1 KB of JSON; the app echoes `name`. */
export function postJsonEvent() {
  const doc = { name: 'widget', tags: Array.from({ length: 20 }, (_, i) => `tag-${i}`), notes: 'x'.repeat(700), qty: 3 };
  const body = JSON.stringify(doc);
  const headers = baseHeaders({ 'content-type': 'application/json' });
  delete headers['cache-control'];
  headers['content-length'] = String(Buffer.byteLength(body));
  return v2({ method: 'POST', path: '/items', routeKey: 'POST /items', headers, body });
}

/** 64 KiB of binary, base64 as API Gateway delivers it; the app answers its length and last byte. */
export function uploadEvent() {
  // Deterministic bytes (every process builds the same event), covering all 256 values.
  const bytes = Buffer.alloc(64 * 1024);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (Math.imul(i, 2654435761) >>> 13) & 255;
  const headers = baseHeaders({ 'content-type': 'application/octet-stream' });
  delete headers['cache-control'];
  headers['content-length'] = String(bytes.length);
  return { event: v2({ method: 'POST', path: '/upload', routeKey: 'POST /upload', headers, body: bytes.toString('base64'), isBase64Encoded: true }), bytes };
}

/** SQS batch of 10 messages whose JSON bodies carry a `qty`. */
export function sqsEvent() {
  return {
    Records: Array.from({ length: 10 }, (_, i) => ({
      messageId: `059f36b4-87a3-44ab-83d2-66${String(i).padStart(10, '0')}`,
      receiptHandle: `AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a${i}...`,
      body: JSON.stringify({ order: `o-${i}`, qty: i + 1 }),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '1545082649183',
        SenderId: 'AIDAIENQZJOLO23YVJ4VO',
        ApproximateFirstReceiveTimestamp: '1545082649185',
      },
      messageAttributes: {},
      md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:orders',
      awsRegion: 'us-east-1',
    })),
  };
}

export function lambdaContext() {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'bench',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench',
    memoryLimitInMB: '1024',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: '/aws/lambda/bench',
    logStreamName: '2025/03/10/[$LATEST]abcdef',
    getRemainingTimeInMillis: () => 30_000,
    done() {},
    fail() {},
    succeed() {},
  };
}

/** The cookie value the GET app reads, parsed the same way by every contender. */
export function cookieValue(header, name) {
  if (!header) return undefined;
  const prefix = `${name}=`;
  for (const part of header.split(';')) {
    const p = part.trim();
    if (p.startsWith(prefix)) return p.slice(prefix.length);
  }
  return undefined;
}

/** What every contender must answer, per event (status and parsed JSON body). */
export const EXPECTED = {
  get: { status: 200, body: { id: '42', session: 'abc123def456' } },
  postJson: { status: 200, body: { name: 'widget' } },
  upload: (bytes) => ({ status: 200, body: { length: bytes.length, last: bytes[bytes.length - 1] } }),
};

// ---- user-style events: the same requests with a query string (read through `new URL(req.url)`) ----------

/** The query every user-style request carries, as API Gateway hands it: raw and parsed. */
const USER_QUERY = { raw: 'q=widget&page=2', parsed: { q: 'widget', page: '2' } };

const withQuery = (event) => ({ ...event, rawQueryString: USER_QUERY.raw, queryStringParameters: USER_QUERY.parsed });

export const userGetEvent = () => withQuery(getEvent());
export const userPostJsonEvent = () => withQuery(postJsonEvent());
export const userUploadEvent = () => {
  const { event, bytes } = uploadEvent();
  return { event: withQuery(event), bytes };
};

/** The Set-Cookie every user-style answer sets. */
export const USER_COOKIE = 'seen=1; Path=/; HttpOnly';
const AGENT = baseHeaders()['user-agent'].length;

/** What every contender must answer to the user-style events (status, JSON body, Set-Cookie list). */
export const EXPECTED_USER = {
  get: { status: 200, body: { id: '42', q: 'widget', agent: AGENT, bytes: 0 }, cookies: [USER_COOKIE] },
  postJson: { status: 200, body: { name: 'widget', q: 'widget', agent: AGENT }, cookies: [USER_COOKIE] },
  upload: (bytes) => ({ status: 200, body: { length: bytes.length, last: bytes[bytes.length - 1], q: 'widget', type: 'application/octet-stream' }, cookies: [USER_COOKIE] }),
};
