import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main, type Io } from './program.js';

const fixtures = fileURLToPath(new URL('../codegen/fixtures/', import.meta.url));
const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

function io(cwd: string, extra: Partial<Io> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { cwd, out: (l: string) => out.push(strip(l)), err: (l: string) => err.push(strip(l)), ...extra }, out, err };
}
const run = (args: string[], i: Io) => main(['node', 'faasport', ...args], i);

const projects: string[] = [];
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'faasport-cli-'));
  projects.push(dir);
  mkdirSync(join(dir, 'src'));
  writeFileSync(
    join(dir, 'src', 'api.ts'),
    `import { http, queue } from 'faasport';
export const getItem = http({ route: '/items/:id', methods: ['GET'] }, (req, ctx) => Response.json({ id: ctx.params.id, q: new URL(req.url).search }));
export const echo = http({ route: '/echo' }, async (req) => new Response(req.method + ' ' + req.headers.get('x-a') + ' ' + (await req.text())));
export const onOrder = queue({ queue: 'orders' }, (msg) => { if (msg.text() !== 'ok') throw new Error('bad message'); });
`,
  );
  return dir;
}
afterAll(() => {
  for (const dir of projects) rmSync(dir, { recursive: true, force: true });
});
afterEach(() => vi.restoreAllMocks());

describe('faasport CLI', () => {
  it('prints help listing every command, and the version', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const { io: i } = io(fixtures);
    expect(await run(['--help'], i)).toBe(0);
    const help = log.mock.calls.map((c) => String(c[0])).join('\n');
    for (const command of ['build [...entries]', 'check [...entries]', 'conformance [...entries]', 'dev [...entries]', 'invoke <name> [path]', 'setup', 'doctor']) expect(help).toContain(command);
    expect(help).toMatch(/Exit codes:\n\s+0 +ok/);
    expect(help).toMatch(/2 +usage or setup error/);
    log.mockClear();
    expect(await run(['--version'], i)).toBe(0);
    expect(log.mock.calls.map((c) => String(c[0])).join('')).toMatch(/faasport\/\d+\.\d+\.\d+/);
  });

  it('check lists the functions and their triggers', async () => {
    const { io: i, out, err } = io(fixtures);
    expect(await run(['check', 'app/src/index.ts'], i)).toBe(0);
    expect(err).toEqual([]);
    expect(out.join('\n')).toMatch(/getItem\s+http\s+GET \/items\/:id\s+app\/src\/routes\/items\.ts:4/);
    expect(out.at(-1)).toMatch(/✔ 4 functions in \d+ files, valid for aws, azure, gcp/);
  });

  it('reports user errors with file:line and exit code 1, without a stack trace', async () => {
    const { io: i, err } = io(fixtures);
    expect(await run(['check', 'not-static'], i)).toBe(1);
    expect(err[0]).toMatch(/^error not-static\/api\.ts:6:39: options of http\(\) "computed" must be known at build time/);
    expect(err.join('\n')).not.toMatch(/\n\s+at /);
  });

  it('reports a bad command line as a usage error with exit code 2', async () => {
    const bad = io(fixtures);
    expect(await run(['check', 'app', '--provider', 'ibm'], bad.io)).toBe(2);
    expect(bad.err).toEqual(['error unknown provider "ibm"; use aws, azure, gcp or all']);
    const unknown = io(fixtures);
    expect(await run(['deploy'], unknown.io)).toBe(2);
    expect(unknown.err[0]).toMatch(/unknown command "deploy"/);
    const flag = io(fixtures);
    expect(await run(['build', '--nope'], flag.io)).toBe(2);
    expect(flag.err[0]).toMatch(/Unknown option `--nope`/);
  });

  it('build refuses an unknown --aws-http-events value with exit code 2, naming the valid ones', async () => {
    const dir = project();
    const { io: i, err } = io(dir);
    expect(await run(['build', '--provider', 'aws', '--aws-http-events', 'apigw-v2,rest'], i)).toBe(2);
    expect(err).toEqual([
      'error unknown AWS HTTP event kind "rest" (--aws-http-events); use apigw-v2 (API Gateway HTTP API, Function URL), apigw-v1 (API Gateway REST API), alb, a comma list of them, or all',
    ]);
    expect(existsSync(join(dir, '.faasport'))).toBe(false);
  });

  it('build --aws-http-events bundles the readers of the listed kinds of event', async () => {
    const dir = project();
    const { io: i, err } = io(dir);
    expect(await run(['build', '--provider', 'aws', '--out', 'out', '--aws-http-events', 'alb'], i)).toBe(0);
    expect(err).toEqual([]);
    const mod = (await import(pathToFileURL(join(dir, 'out', 'aws', 'getItem', 'index.mjs')).href)) as {
      handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; statusDescription?: string; body: string }>;
    };
    const context = { awsRequestId: 'req-1', functionName: 'getItem', getRemainingTimeInMillis: () => 3000 };
    const alb = await mod.handler({ requestContext: { elb: {} }, httpMethod: 'GET', path: '/items/7', headers: {}, body: '', isBase64Encoded: false }, context);
    expect(alb).toMatchObject({ statusCode: 200, statusDescription: '200 OK' });
    const v2 = await mod.handler({ version: '2.0', rawPath: '/items/7', requestContext: { http: { method: 'GET' } } }, context);
    expect(v2.statusCode).toBe(400);
    expect(v2.body).toContain('--aws-http-events alb,apigw-v2');
  });

  it('build --runtime node22 targets Node 22 on every provider; an unknown runtime is refused with the choices', async () => {
    const dir = project();
    const { io: i, out, err } = io(dir);
    expect(await run(['build', '--provider', 'aws,gcp', '--runtime', 'node22'], i)).toBe(0);
    expect(err).toEqual([]);
    expect(out.at(-1)).toMatch(/built in \d+ ms for node22$/);
    expect(readFileSync(join(dir, '.faasport', 'aws', 'template.yaml'), 'utf8')).toContain('Runtime: nodejs22.x');
    const bad = io(dir);
    expect(await run(['build', '--runtime', 'node20'], bad.io)).toBe(2);
    expect(bad.err).toHaveLength(1);
    expect(bad.err[0]).toMatch(/^error --runtime "node20": the platforms no longer run it: aws nodejs20\.x deprecated on 2026-04-30 .*Build with --runtime node24/);
  });

  it('build reads faasport.config.ts (defineConfig): runtime, providers, defaults and per-function settings; flags win', async () => {
    const dir = project();
    writeFileSync(
      join(dir, 'faasport.config.ts'),
      `import { defineConfig } from 'faasport';
export default defineConfig({ providers: ['aws'], runtime: 'node22', defaults: { memory: 512 }, functions: { getItem: { timeout: 12 } } });
`,
    );
    const { io: i, err } = io(dir);
    expect(await run(['build'], i)).toBe(0);
    expect(err).toEqual([]);
    const template = readFileSync(join(dir, '.faasport', 'aws', 'template.yaml'), 'utf8');
    expect(template).toContain('Runtime: nodejs22.x');
    expect(template).toMatch(/CodeUri: getItem\/\n\s+Handler: index.handler\n\s+MemorySize: 512\n\s+Timeout: 12/);
    expect(existsSync(join(dir, '.faasport', 'gcp'))).toBe(false);
    const flagged = io(dir);
    expect(await run(['build', '--runtime', 'node24'], flagged.io)).toBe(0);
    expect(readFileSync(join(dir, '.faasport', 'aws', 'template.yaml'), 'utf8')).toContain('Runtime: nodejs24.x');
    writeFileSync(join(dir, 'faasport.config.ts'), `export default { runtime: 'node20', defaults: { memory: 'big' }, colour: 1 };\n`);
    const bad = io(dir);
    expect(await run(['build'], bad.io)).toBe(1);
    expect(bad.err.join('\n')).toMatch(/faasport\.config\.ts: unknown field "colour".*\n.*runtime "node20".*\n.*defaults\.memory must be a whole number/);
  });

  it('build writes each provider and prints a summary per provider', async () => {
    const dir = project();
    writeFileSync(join(dir, 'src', 'api.ts'), "import { http } from 'faasport';\nexport const hello = http({ route: '/hello' }, () => new Response('hi'));\n");
    const { io: i, out, err } = io(dir);
    expect(await run(['build', '--provider', 'aws,gcp', '--out', 'out'], i)).toBe(0);
    expect(err).toEqual([]);
    expect(out[0]).toMatch(/✔ 1 function discovered in \d+ ms/);
    expect(out[1]).toMatch(/^\s+aws\s+3 files\s+[\d.]+ kB\s+\d+ ms\s+-> out\/aws$/);
    expect(out[2]).toMatch(/^\s+gcp\s+5 files\s+[\d.]+ kB\s+\d+ ms\s+-> out\/gcp$/);
    expect(existsSync(join(dir, 'out', 'aws', 'hello', 'index.mjs'))).toBe(true);
    expect(existsSync(join(dir, 'out', 'azure'))).toBe(false);
  });

  it('invoke runs an HTTP function in-process with method, headers and body', async () => {
    const dir = project();
    const get = io(dir);
    expect(await run(['invoke', 'getItem', '/items/7?x=1'], get.io)).toBe(0);
    expect(get.out[0]).toBe('200');
    expect(get.out.at(-1)).toBe('{"id":"7","q":"?x=1"}');
    const post = io(dir);
    expect(await run(['invoke', 'echo', '-d', 'payload', '-H', 'x-a: b'], post.io)).toBe(0);
    expect(post.out.at(-1)).toBe('POST b payload');
  });

  it('invoke runs a queue function, and reports an unknown function as a usage error (exit 2)', async () => {
    const dir = project();
    const ok = io(dir);
    expect(await run(['invoke', 'onOrder', '-d', 'ok'], ok.io)).toBe(0);
    expect(ok.out).toEqual(['✔ onOrder (queue) completed']);
    const missing = io(dir);
    expect(await run(['invoke', 'nope'], missing.io)).toBe(2);
    expect(missing.err[0]).toMatch(/no function named "nope"; found: echo, getItem, onOrder/);
  });

  it('a queue function that throws in invoke fails with exit code 1, its stack only with --debug', async () => {
    const dir = project();
    const failing = io(dir);
    expect(await run(['invoke', 'onOrder', '-d', 'not ok'], failing.io)).toBe(1);
    expect(failing.err).toEqual(['✘ onOrder (queue) threw: bad message']);
    const debug = io(dir);
    expect(await run(['invoke', 'onOrder', '-d', 'not ok', '--debug'], debug.io)).toBe(1);
    expect(debug.err[0]).toMatch(/threw: Error: bad message\n\s+at /);
  });

  it('dev serves from its own folder on a port kept across rebuilds, fires a queue message and streams its log', async () => {
    const dir = project();
    writeFileSync(
      join(dir, 'src', 'api.ts'),
      "import { http, queue } from 'faasport';\nexport const hello = http({ route: '/hello' }, () => new Response('one'));\nexport const onOrder = queue({ queue: 'orders' }, (msg, ctx) => { ctx.log.info('order seen', { body: msg.text() }); });\n",
    );
    const stop = new AbortController();
    const { io: i, out, err } = io(dir, { stopSignal: stop.signal });
    const exit = run(['dev', '--provider', 'gcp'], i);
    const lineAfter = async (lines: number, pattern: RegExp) => {
      for (let t = 0; t < 300; t++) {
        const line = out.slice(lines).find((l) => pattern.test(l));
        if (line) return line;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no line ${pattern}; out: ${out.join(' | ')} err: ${err.join(' | ')}`);
    };
    try {
      const url = (await lineAfter(0, /^gcp\s+http:/)).split(/\s+/)[1]!;
      expect(await (await fetch(`${url}/hello`)).text()).toBe('one');
      expect(existsSync(join(dir, '.faasport-dev', 'gcp'))).toBe(true);
      expect(existsSync(join(dir, '.faasport'))).toBe(false);

      const control = /POST (http:\/\/127\.0\.0\.1:\d+)\/_faasport/.exec(await lineAfter(0, /^fire: POST/))![1]!;
      const fired = await fetch(`${control}/_faasport/onOrder`, { method: 'POST', body: 'order-7' });
      expect(fired.status).toBe(200);
      expect(await fired.json()).toEqual({ gcp: { outcomes: [{ attempts: 1, outcome: 'acked' }] } });
      expect(await lineAfter(0, /^gcp\s+onOrder .*order seen.*order-7/)).toBeTruthy();
      expect((await fetch(`${control}/_faasport/nope`, { method: 'POST' })).status).toBe(400);

      const seen = out.length;
      writeFileSync(join(dir, 'src', 'api.ts'), "import { http } from 'faasport';\nexport const hello = http({ route: '/hello' }, () => new Response('two'));\n");
      const next = (await lineAfter(seen, /^gcp\s+http:/)).split(/\s+/)[1]!;
      expect(next).toBe(url);
      expect(await (await fetch(`${next}/hello`)).text()).toBe('two');
    } finally {
      stop.abort();
    }
    expect(await exit).toBe(0);
  }, 90_000);

  it('conformance --reporter junit --output writes JUnit XML with expected and actual of a failing case', async () => {
    const dir = project();
    writeFileSync(
      join(dir, 'cases.ts'),
      `import assert from 'node:assert/strict';
import { defineCase } from 'faasport/conformance';
export const cases = [
  defineCase('item answers its id', async (inv) => {
    const res = await inv.http('/items/7');
    assert.deepEqual(await res.json(), { id: '7', q: '' });
  }),
  defineCase('item answers a wrong id', async (inv) => {
    const res = await inv.http('/items/7');
    assert.deepEqual(await res.json(), { id: '8', q: '' });
  }),
];
`,
    );
    const { io: i, out } = io(dir);
    expect(await run(['conformance', 'src', '--cases', 'cases.ts', '--provider', 'gcp', '--reporter', 'junit', '--output', 'report.xml'], i)).toBe(1);
    const xml = readFileSync(join(dir, 'report.xml'), 'utf8');
    expect(xml).toContain('<testsuite name="conformance gcp" tests="2" failures="1"');
    expect(xml).toContain('<testcase classname="gcp" name="item answers its id"');
    expect(xml).toMatch(/<testcase classname="gcp" name="item answers a wrong id" time="[\d.]+"><failure message="Expected values to be strictly deep-equal:"/);
    expect(xml).toContain("expected: { id: &apos;8&apos;, q: &apos;&apos; }");
    expect(xml).toContain("actual:   { id: &apos;7&apos;, q: &apos;&apos; }");
    // The table on the terminal says the same.
    expect(out.join('\n')).toContain("expected: { id: '8', q: '' }");
  }, 120_000);

  it("conformance --cases without ENTRY builds the project's own functions (src), as build does, not faasport's fixture app", async () => {
    const dir = project();
    writeFileSync(
      join(dir, 'cases.ts'),
      `import assert from 'node:assert/strict';
import { defineCase } from 'faasport/conformance';
export const cases = [
  defineCase('item answers its id', async (inv) => {
    assert.deepEqual(await (await inv.http('/items/7?x=1')).json(), { id: '7', q: '?x=1' });
  }),
];
`,
    );
    const { io: i, out, err } = io(dir);
    expect(await run(['conformance', '--cases', 'cases.ts', '--provider', 'gcp'], i)).toBe(0);
    expect(err).toEqual([]);
    expect(out).toContain('✔ gcp   item answers its id');
  }, 120_000);

  it('conformance --cases with a file that does not exist is a usage error (exit 2) naming the file', async () => {
    const dir = project();
    const { io: i, err } = io(dir);
    expect(await run(['conformance', '--cases', 'nope.ts', '--provider', 'gcp'], i)).toBe(2);
    expect(err.join('\n')).toMatch(/^error --cases nope\.ts does not exist \(looked in .+\); give the module that exports your cases/);
  });

  it('conformance refuses an unknown reporter, and junit without --output, as usage errors (exit 2)', async () => {
    const dir = project();
    const bad = io(dir);
    expect(await run(['conformance', '--reporter', 'tap'], bad.io)).toBe(2);
    expect(bad.err.join('\n')).toContain('--reporter must be one of table, junit (got "tap")');
    const noFile = io(dir);
    expect(await run(['conformance', '--reporter', 'junit'], noFile.io)).toBe(2);
    expect(noFile.err.join('\n')).toContain('add --output FILE');
  });
});
