import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleProvider, type BundleFile } from './bundle.js';
import type { DiscoveredFunction } from './discover.js';

const APP = `import { http } from 'faasport';
class OrderNotFoundError extends Error {
  constructor() {
    super('no such order');
    this.name = this.constructor.name;
  }
}
function describeOrder(id) {
  return 'order ' + id;
}
export const getOrder = http({ route: '/orders/:id', methods: ['GET'] }, (req, ctx) =>
  Response.json({ error: new OrderNotFoundError().name, helper: describeOrder.name, text: describeOrder(ctx.params.id) }),
);
`;

const getOrder: DiscoveredFunction = {
  name: 'getOrder',
  kind: 'http',
  options: { route: '/orders/:id', methods: ['GET'] },
  file: 'src/index.js',
  line: 11,
  column: 14,
  exportName: 'getOrder',
};

const event = {
  version: '2.0',
  rawPath: '/orders/7',
  rawQueryString: '',
  headers: { host: 'x.example' },
  requestContext: { http: { method: 'GET', path: '/orders/7' }, domainName: 'x.example' },
  isBase64Encoded: false,
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'faasport-bundle-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'index.js'), APP);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bundle-test', private: true, type: 'module' }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(files: BundleFile[], as: string): Promise<unknown> {
  const file = join(dir, `${as}.mjs`);
  writeFileSync(file, files.find((f) => f.path === 'getOrder/index.mjs')!.contents);
  const { handler } = (await import(pathToFileURL(file).href)) as { handler: (e: unknown, c: unknown) => Promise<{ body: string }> };
  return JSON.parse((await handler(event, {})).body);
}

describe('AWS bundles', () => {
  it('minify identifiers yet keep the names user code reads (constructor.name, function.name)', async () => {
    const files = await bundleProvider('aws', [getOrder], { cwd: dir, outDir: join(dir, 'out') });
    const text = new TextDecoder().decode(files[0]!.contents);
    expect(text).not.toContain('function describeOrder(');
    expect(await run(files, 'minified')).toEqual({ error: 'OrderNotFoundError', helper: 'describeOrder', text: 'order 7' });
  });

  it("do not spend bytes on faasport's own names (only the user's code keeps them)", async () => {
    const files = await bundleProvider('aws', [getOrder], { cwd: dir, outDir: join(dir, 'out') });
    const text = new TextDecoder().decode(files[0]!.contents);
    expect(text).toContain('"OrderNotFoundError"');
    expect(text).not.toContain('"dispatchHttp"');
    expect(text).not.toContain('"LightResponse"');
  });

  it('with a source map, keep every name in one pass and map to the sources', async () => {
    const files = await bundleProvider('aws', [getOrder], { cwd: dir, outDir: join(dir, 'out'), sourcemap: true });
    const map = JSON.parse(new TextDecoder().decode(files.find((f) => f.path === 'getOrder/index.mjs.map')!.contents)) as { sources: string[] };
    expect(map.sources.some((s) => s.endsWith('src/index.js'))).toBe(true);
    // Node's --enable-source-maps finds a map only through this comment.
    expect(new TextDecoder().decode(files.find((f) => f.path === 'getOrder/index.mjs')!.contents)).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\n?$/);
    expect(await run(files, 'mapped')).toEqual({ error: 'OrderNotFoundError', helper: 'describeOrder', text: 'order 7' });
  });

  it('link only the adapter of the function kind: no event adapter in an HTTP function bundle', async () => {
    const files = await bundleProvider('aws', [getOrder], { cwd: dir, outDir: join(dir, 'out') });
    const text = new TextDecoder().decode(files[0]!.contents);
    expect(text).not.toContain('aws:sqs');
    expect(text).not.toContain('faasport.scheduler');
  });

  it('with minify: false, keep identifiers as written (for debugging)', async () => {
    const files = await bundleProvider('aws', [getOrder], { cwd: dir, outDir: join(dir, 'out'), minify: false });
    expect(new TextDecoder().decode(files[0]!.contents)).toContain('function describeOrder(');
    expect(await run(files, 'readable')).toEqual({ error: 'OrderNotFoundError', helper: 'describeOrder', text: 'order 7' });
  });
});
