import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Provider } from '../core/types.js';
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

/**
 * The one-function HTTP app of bench/sections/cold-start.mjs, bundled as `faasport build` bundles it (bundleProvider
 * is its bundling step, entry stubs included) for each provider. Sizes are gzip level 9 of the entry module, as the
 * bench measures them; here faasport is linked from its TypeScript sources (under vitest), within ~0.1 KB of dist/.
 */
describe('one-function HTTP bundles of faasport build', () => {
  const COLD_APP = `import { http } from 'faasport';
function cookieValue(header, name) {
  if (!header) return undefined;
  const prefix = name + '=';
  for (const part of header.split(';')) { const p = part.trim(); if (p.startsWith(prefix)) return p.slice(prefix.length); }
  return undefined;
}
export const getItem = http({ route: '/items/:id', methods: ['GET'] }, async (req, ctx) =>
  Response.json({ id: ctx.params.id, session: cookieValue(req.headers.get('cookie'), 'session') }),
);
`;
  const getItem: DiscoveredFunction = { ...getOrder, name: 'getItem', options: { route: '/items/:id', methods: ['GET'] }, file: 'src/cold.js', line: 8, exportName: 'getItem' };
  const streaming: DiscoveredFunction = { ...getItem, options: { ...getItem.options, stream: true } };
  const STREAM_MODULES = { aws: 'adapters/aws/http/stream.ts', azure: 'adapters/azure/http/stream.ts', gcp: 'adapters/gcp/http-stream.ts' } as const;
  /** Modules of other function kinds, which an HTTP function's bundle must not link either. */
  const OTHER_KINDS = /adapters\/aws\/events\/|adapters\/azure\/events\/|adapters\/gcp\/(pubsub|storage|queue|topic|schedule|event|cloudevent)\.ts|codegen\/cron\/|core\/message\.ts/;

  async function bundled(provider: Provider, fn: DiscoveredFunction): Promise<{ gzip: number; inputs: string[] }> {
    let metafile: Metafile | undefined;
    const files = await bundleProvider(provider, [fn], { cwd: dir, outDir: join(dir, 'cold', provider), onMetafile: (m) => (metafile = m) });
    const entry = files.find((f) => f.path.endsWith('index.mjs'))!;
    const output = Object.entries(metafile!.outputs).find(([path]) => path.endsWith(`${provider}/${entry.path}`))![1];
    const inputs = Object.entries(output.inputs).flatMap(([path, input]) => (input.bytesInOutput > 0 ? [path] : []));
    return { gzip: gzipSync(entry.contents, { level: 9 }).byteLength, inputs };
  }

  beforeAll(() => writeFileSync(join(dir, 'src', 'cold.js'), COLD_APP));

  // Measured 2026-12-06 (Node 20, esbuild 0.27): aws 13,018 B, azure 10,956 B, gcp 11,472 B; bounds are those plus
  // about 2 %. Before the buffered entries (adaptBufferedHttpFor, registerBufferedHttp): 13,984 / 16,022 / 15,331 B.
  it.each([
    ['aws', 13_300],
    ['azure', 11_200],
    ['gcp', 11_700],
  ] as const)('%s: within its pinned size, linking no streaming code and no other kind', async (provider, bound) => {
    const { gzip, inputs } = await bundled(provider, getItem);
    expect(inputs.some((path) => path.endsWith('core/fetch/request.ts'))).toBe(true);
    expect(inputs.filter((path) => path.endsWith(STREAM_MODULES[provider]) || path.endsWith('core/stream.ts') || OTHER_KINDS.test(path))).toEqual([]);
    expect(gzip).toBeLessThanOrEqual(bound);
  }, 60_000);

  it.each(['aws', 'azure', 'gcp'] as const)('%s: a streaming function links the streaming modules', async (provider) => {
    const { inputs } = await bundled(provider, streaming);
    expect(inputs.filter((path) => path.endsWith(STREAM_MODULES[provider]) || path.endsWith('core/stream.ts'))).toHaveLength(2);
  }, 60_000);
});
