import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsEmulator, type AwsEmulator } from './index.js';

// Hand-written native Lambda handlers (plain ESM), laid out as `faasport build` lays out an AWS output.
const HANDLERS: Record<string, { kind: string; options: Record<string, unknown>; code: string }> = {
  echo: {
    kind: 'http',
    options: { route: '/echo/:id' },
    code: `export const handler = async (event) => ({
      statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });`,
  },
  cookies: {
    kind: 'http',
    options: { route: '/cookies', methods: ['GET'] },
    code: `export const handler = async () => ({
      statusCode: 201, headers: { 'x-one': '1' }, cookies: ['a=1; Path=/', 'b=2; HttpOnly'], body: 'made' });`,
  },
  binary: {
    kind: 'http',
    options: { route: '/binary' },
    code: `export const handler = async (event) => ({
      statusCode: 200, headers: { 'content-type': 'application/octet-stream', 'x-was-base64': String(event.isBase64Encoded) },
      body: event.isBase64Encoded ? event.body : Buffer.from(event.body ?? '', 'utf8').toString('base64'),
      isBase64Encoded: true });`,
  },
  secret: {
    kind: 'http',
    options: { route: '/secret', authLevel: 'function' },
    code: `export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event.requestContext.authorizer ?? null) });`,
  },
  bare: {
    kind: 'http',
    options: { route: '/bare' },
    code: `export const handler = async () => ({ hello: 'world' });`,
  },
  boom: {
    kind: 'http',
    options: { route: '/boom' },
    code: `export const handler = async () => { throw new TypeError('bad thing'); };`,
  },
  plain: {
    kind: 'queue',
    options: { queue: 'q' },
    code: `let calls = 0;
      export const handler = async (event, context) => ({
        got: event, calls: ++calls, pid: process.pid, name: context.functionName, arn: context.invokedFunctionArn,
        requestId: context.awsRequestId, remaining: context.getRemainingTimeInMillis(), probe: process.env.PROBE_URL,
        taskRoot: process.env.LAMBDA_TASK_ROOT, cwd: process.cwd(), tz: process.env.TZ, region: process.env.AWS_REGION });`,
  },
  hang: {
    kind: 'queue',
    options: { queue: 'h' },
    code: `let calls = 0;
      export const handler = async (event) => {
        calls++;
        if (event.hang) await new Promise((resolve) => setTimeout(resolve, 60_000));
        if (event.sleep) await new Promise((resolve) => setTimeout(resolve, event.sleep));
        return { calls, pid: process.pid };
      };`,
  },
  crash: {
    kind: 'queue',
    options: { queue: 'c' },
    code: `export const handler = async (event) => { if (event.exit) process.exit(1); return { pid: process.pid }; };`,
  },
  callback: {
    kind: 'queue',
    options: { queue: 'cb' },
    code: `export const handler = (event, context, callback) => { setTimeout(() => callback(null, { via: 'callback', got: event }), 5); };`,
  },
  streaming: {
    kind: 'queue',
    options: { queue: 's' },
    code: `export const handler = awslambda.streamifyResponse(async (event, stream) => {
      stream.setContentType('text/plain');
      stream.write('chunk-1;');
      await new Promise((resolve) => setTimeout(resolve, 5));
      stream.write('chunk-2');
      stream.end();
    });`,
  },
  logger: {
    kind: 'queue',
    options: { queue: 'l' },
    code: `export const handler = async (event) => { console.log('marker', event.marker); return null; };`,
  },
  limbo: {
    kind: 'queue',
    options: { queue: 'lb' },
    code: `export const handler = () => new Promise(() => {});`,
  },
  stray: {
    kind: 'queue',
    options: { queue: 'st' },
    code: `export const handler = async (event) => {
      if (event.reject) { Promise.reject(new SyntaxError('stray rejection')); await new Promise((r) => setTimeout(r, 1000)); }
      return { pid: process.pid };
    };`,
  },
  badinit: {
    kind: 'queue',
    options: { queue: 'b' },
    code: `throw new RangeError('config missing');
      export const handler = async () => 'never';`,
  },
};

let dir: string;
let emu: AwsEmulator;
const pids = new Set<number>();

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'faasport-aws-emu-'));
  const functions = Object.entries(HANDLERS)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, fn]) => ({
      name,
      kind: fn.kind,
      options: fn.options,
      export: name,
      source: 'src/app.ts',
      entry: `${name}/index.mjs`,
      handler: `${name}/index.handler`,
    }));
  for (const [name, fn] of Object.entries(HANDLERS)) {
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, 'index.mjs'), fn.code);
  }
  await writeFile(path.join(dir, 'faasport.json'), JSON.stringify({ provider: 'aws', functions }, null, 2) + '\n');
  emu = await startAwsEmulator({ dir, timeoutMs: { hang: 1000 }, env: { PROBE_URL: 'http://probe.test' } });
});

afterAll(async () => {
  await emu?.stop();
  await rm(dir, { recursive: true, force: true });
});

const json = (text: string): Record<string, unknown> => JSON.parse(text) as Record<string, unknown>;

function remember(text: string): Record<string, unknown> {
  const body = json(text);
  if (typeof body.pid === 'number') pids.add(body.pid);
  return body;
}

describe('Invoke API through @aws-sdk/client-lambda', () => {
  it('returns the function payload with the Lambda context and environment', async () => {
    const result = await emu.invoke('plain', { hello: 'world' });
    expect(result.statusCode).toBe(200);
    expect(result.functionError).toBeUndefined();
    expect(result.executedVersion).toBe('$LATEST');
    const body = remember(result.text);
    expect(body).toMatchObject({
      got: { hello: 'world' },
      name: 'plain',
      arn: 'arn:aws:lambda:us-east-1:000000000000:function:plain',
      probe: 'http://probe.test',
      taskRoot: path.join(dir, 'plain'),
      cwd: path.join(dir, 'plain'),
      tz: ':UTC',
      region: 'us-east-1',
    });
    expect(body.remaining).toBeGreaterThan(2000);
    expect(body.remaining).toBeLessThanOrEqual(3000);
    expect(result.logs).toContain(`START RequestId: ${String(body.requestId)} Version: $LATEST`);
    expect(result.logs).toContain(`REPORT RequestId: ${String(body.requestId)}`);
  });

  it('keeps a warm environment between sequential invocations', async () => {
    const first = remember((await emu.invoke('plain', {})).text);
    const second = remember((await emu.invoke('plain', {})).text);
    expect(second.pid).toBe(first.pid);
    expect(second.calls).toBe(Number(first.calls) + 1);
  });

  it('accepts the function name as an ARN and sends an empty payload as {}', async () => {
    const client = new LambdaClient({
      endpoint: emu.lambdaEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    try {
      const out = await client.send(new InvokeCommand({ FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:plain' }));
      expect(out.StatusCode).toBe(200);
      expect(remember(Buffer.from(out.Payload!).toString()).got).toEqual({});
    } finally {
      client.destroy();
    }
  });

  it('reports a thrown error as FunctionError Unhandled with errorType and errorMessage', async () => {
    const result = await emu.invoke('boom', {});
    expect(result.statusCode).toBe(200);
    expect(result.functionError).toBe('Unhandled');
    const body = json(result.text);
    expect(body.errorType).toBe('TypeError');
    expect(body.errorMessage).toBe('bad thing');
    expect(Array.isArray(body.trace)).toBe(true);
  });

  it('times out a hanging handler with Sandbox.Timedout, then runs the next call in a fresh process', async () => {
    const warm = remember((await emu.invoke('hang', {})).text);
    const started = Date.now();
    const result = await emu.invoke('hang', { hang: true });
    const elapsed = Date.now() - started;
    expect(result.functionError).toBe('Unhandled');
    const body = json(result.text);
    expect(body.errorType).toBe('Sandbox.Timedout');
    expect(body.errorMessage).toMatch(/^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/);
    // The 1 s override, not the 3 s default, is in the message above; the clock can only say it waited at least that.
    expect(elapsed).toBeGreaterThanOrEqual(1000);

    const next = remember((await emu.invoke('hang', {})).text);
    expect(next.calls).toBe(1);
    expect(next.pid).not.toBe(warm.pid);
  });

  it('reports process.exit(1) as Runtime.ExitError and recovers', async () => {
    const result = await emu.invoke('crash', { exit: true });
    expect(result.functionError).toBe('Unhandled');
    expect(json(result.text)).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: expect.stringMatching(/^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 1$/),
    });
    const next = await emu.invoke('crash', {});
    expect(next.functionError).toBeUndefined();
    remember(next.text);
  });

  it('answers a never-settling promise with null once the event loop is empty, as the Node runtime does', async () => {
    const result = await emu.invoke('limbo', {});
    expect(result.functionError).toBeUndefined();
    expect(result.text).toBe('null');
  });

  it('reports an unhandled rejection as the function error and replaces the environment', async () => {
    const before = remember((await emu.invoke('stray', {})).text);
    const result = await emu.invoke('stray', { reject: true });
    expect(result.functionError).toBe('Unhandled');
    expect(json(result.text)).toMatchObject({ errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'SyntaxError: stray rejection' });
    const after = remember((await emu.invoke('stray', {})).text);
    expect(after.pid).not.toBe(before.pid);
  });

  it('answers an init failure with the error the runtime posted to /init/error', async () => {
    const result = await emu.invoke('badinit', {});
    expect(result.functionError).toBe('Unhandled');
    const body = json(result.text);
    expect(body.errorType).toBe('RangeError');
    expect(body.errorMessage).toBe('config missing');
    // and again on the next call: a new environment fails its init the same way
    expect(json((await emu.invoke('badinit', {})).text).errorType).toBe('RangeError');
  });

  it('turns an unknown function into ResourceNotFoundException', async () => {
    await expect(emu.invoke('nope', {})).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('answers DryRun with 204 without running the function', async () => {
    expect((await emu.invoke('logger', { marker: 'dry' }, { invocationType: 'DryRun' })).statusCode).toBe(204);
    await emu.invoke('logger', { marker: 'sync' });
    expect(emu.logs('logger').some((line) => line.includes('marker dry'))).toBe(false);
  });

  it('answers Event with 202 at once and runs the function in the background', async () => {
    const result = await emu.invoke('logger', { marker: 'async-1' }, { invocationType: 'Event' });
    expect(result.statusCode).toBe(202);
    expect(result.payload.byteLength).toBe(0);
    const deadline = Date.now() + 5000;
    while (!emu.logs('logger').some((line) => line.includes('marker async-1')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(emu.logs('logger').some((line) => line.includes('marker async-1'))).toBe(true);
  });

  it('returns the log tail of the invocation with the handler output', async () => {
    const result = await emu.invoke('logger', { marker: 'tail-me' });
    expect(result.text).toBe('null');
    expect(result.logs).toMatch(/^START RequestId: (\S+) Version: \$LATEST\n.*marker tail-me\nEND RequestId: \1\nREPORT RequestId: \1\t/s);
  });

  it('runs callback-style handlers', async () => {
    expect(json((await emu.invoke('callback', { a: 1 })).text)).toEqual({ via: 'callback', got: { a: 1 } });
  });

  it('buffers a response-streaming handler into the invoke result', async () => {
    const result = await emu.invoke('streaming', {});
    expect(result.functionError).toBeUndefined();
    expect(result.text).toBe('chunk-1;chunk-2');
  });

  it('queues invocations beyond the instance limit instead of failing them', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => emu.invoke('hang', { sleep: 150 })));
    for (const result of results) expect(result.functionError).toBeUndefined();
    expect(new Set(results.map((r) => remember(r.text).pid)).size).toBeLessThanOrEqual(2);
    expect(emu.instances('hang')).toBeLessThanOrEqual(2);
  });

  it('rejects a payload that is not JSON with InvalidRequestContentException', async () => {
    await expect(emu.invoke('plain', new TextEncoder().encode('not json'))).rejects.toMatchObject({
      name: 'InvalidRequestContentException',
    });
  });
});

function request(
  url: string,
  options: { method?: string; headers?: http.OutgoingHttpHeaders; body?: Uint8Array },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('API Gateway HTTP API front door', () => {
  it('builds a payload 2.0 event with path parameters, query, cookies and joined headers', async () => {
    const res = await request(`${emu.url}/echo/a%20b?x=1&x=2&y=hello%20world`, {
      headers: { cookie: 'c1=v1; c2=v2', 'x-multi': ['a', 'b'], 'user-agent': 'faasport-test' },
    });
    expect(res.status).toBe(200);
    const event = json(res.body.toString());
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'ANY /echo/{id}',
      rawPath: '/echo/a b',
      rawQueryString: 'x=1&x=2&y=hello%20world',
      cookies: ['c1=v1', 'c2=v2'],
      queryStringParameters: { x: '1,2', y: 'hello world' },
      pathParameters: { id: 'a b' },
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        stage: '$default',
        routeKey: 'ANY /echo/{id}',
        http: { method: 'GET', path: '/echo/a b', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'faasport-test' },
      },
    });
    const headers = event.headers as Record<string, string>;
    expect(headers['x-multi']).toBe('a,b');
    expect(headers.cookie).toBeUndefined();
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(event).not.toHaveProperty('body');
  });

  it('turns two cookies in the result into two Set-Cookie headers', async () => {
    const res = await fetch(`${emu.url}/cookies`);
    expect(res.status).toBe(201);
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(res.headers.get('x-one')).toBe('1');
    expect(await res.text()).toBe('made');
  });

  it('round-trips a binary body byte-exact', async () => {
    const bytes = new Uint8Array(512).map((_, i) => (i * 7) % 256);
    const res = await request(`${emu.url}/binary`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(res.status).toBe(200);
    expect(res.headers['x-was-base64']).toBe('true');
    expect(new Uint8Array(res.body)).toEqual(bytes);
  });

  it('passes a JSON body as text', async () => {
    const res = await request(`${emu.url}/echo/1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new TextEncoder().encode('{"é":1}'),
    });
    expect(json(res.body.toString())).toMatchObject({ body: '{"é":1}', isBase64Encoded: false });
  });

  it('answers a result without statusCode as 200 application/json', async () => {
    const res = await fetch(`${emu.url}/bare`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ hello: 'world' });
  });

  it('answers a function error with 500 {"message":"Internal Server Error"}', async () => {
    const res = await fetch(`${emu.url}/boom`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ message: 'Internal Server Error' });
  });

  it('answers 403 {"message":"Forbidden"} to an unsigned call of an AWS_IAM route, and runs it when signed', async () => {
    const refused = await fetch(`${emu.url}/secret`, { headers: { authorization: 'Bearer not-sigv4' } });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ message: 'Forbidden' });
    const { signRequest } = await import('./sigv4.js');
    const signed = { method: 'GET', url: new URL(`${emu.url}/secret`), headers: {} as Record<string, string>, body: new Uint8Array(0) };
    signRequest(signed, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' }, 'us-east-1');
    const { host: _host, ...headers } = signed.headers;
    const res = await fetch(signed.url, { headers });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ iam: { accessKey: 'AKIAIOSFODNN7EXAMPLE', accountId: '000000000000' } });
  });

  it('sends https, port 443 and the API domain to the function, as the HTTP API does', async () => {
    const event = json(await (await fetch(`${emu.url}/echo/1`)).text());
    const context = event.requestContext as { domainName: string; apiId: string };
    expect(context.domainName).toBe(`${context.apiId}.execute-api.us-east-1.amazonaws.com`);
    expect(event.headers).toMatchObject({ host: context.domainName, 'x-forwarded-port': '443', 'x-forwarded-proto': 'https' });
  });

  it('answers a path no route matches with 404 {"message":"Not Found"}', async () => {
    const res = await fetch(`${emu.url}/nowhere`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'Not Found' });
  });
});

describe('API Gateway integration timeout', () => {
  it('answers 503 {"message":"Service Unavailable"} when the function outlasts it', async () => {
    const slowDir = await mkdtemp(path.join(tmpdir(), 'faasport-aws-slow-'));
    await mkdir(path.join(slowDir, 'slow'));
    await writeFile(path.join(slowDir, 'slow', 'index.mjs'), `export const handler = async () => { await new Promise((r) => setTimeout(r, 3000)); return { statusCode: 200, body: 'late' }; };`);
    const fn = { name: 'slow', kind: 'http', options: { route: '/slow' }, export: 'slow', source: 'src/app.ts', entry: 'slow/index.mjs', handler: 'slow/index.handler' };
    await writeFile(path.join(slowDir, 'faasport.json'), JSON.stringify({ provider: 'aws', functions: [fn] }));
    const slow = await startAwsEmulator({ dir: slowDir, timeoutMs: 10_000, integrationTimeoutMs: 500 });
    try {
      const res = await fetch(`${slow.url}/slow`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ message: 'Service Unavailable' });
    } finally {
      await slow.stop();
      await rm(slowDir, { recursive: true, force: true });
    }
  });
});

describe('stop()', () => {
  it('leaves no runtime process behind', async () => {
    // Make sure some runtimes are up, including two concurrent environments of one function.
    const [a, b] = await Promise.all([emu.invoke('hang', {}), emu.invoke('hang', {})]);
    remember(a.text);
    remember(b.text);
    expect(emu.instances('hang')).toBe(2);
    // This test's own two runtimes at least (more when earlier tests ran): it passes alone too.
    expect(pids.size).toBeGreaterThanOrEqual(2);
    await emu.stop();
    await emu.stop(); // twice is fine
    const alive = [...pids].filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
  });
});
