import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appNameOf, build, parseProviders } from './build.js';
import { CodegenError } from './errors.js';
import { FILE_LIST } from './output.js';

/** What SAM Globals give a function that sets nothing. */
const AWS_HTTP_SETTINGS = { timeout: 30, memory: 256, environment: {} };
const repo = fileURLToPath(new URL('..', import.meta.url));
const v2Event = JSON.parse(readFileSync(new URL('../adapters/aws/fixtures/powertools/apigw-http/no-auth.json', import.meta.url), 'utf8')) as Record<string, unknown>;

const API = `import { http } from 'faasport';
import { ITEM } from './routes.js';

export const getItem = http({ route: ITEM, methods: ['GET'] }, (_req, ctx) => Response.json({ id: ctx.params.id, fn: ctx.functionName }));
export const deleteItem = http({ route: ITEM, methods: ['DELETE'] }, () => new Response(null, { status: 204 }));
export const files = http({ route: '/files/*' }, (_req, ctx) => new Response(ctx.params['*']));
`;

function makeProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'faasport-build-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@acme/Shop App', type: 'module' }));
  writeFileSync(join(dir, 'src', 'routes.ts'), "export const ITEM = '/items/:id' as const;\n");
  writeFileSync(join(dir, 'src', 'api.ts'), API);
  writeFileSync(join(dir, 'src', 'index.ts'), "export * from './api.js';\n");
  return dir;
}

/** Every file under `dir`, relative, with its bytes. */
function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.name === 'node_modules') continue;
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

async function codegenError(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (error instanceof CodegenError) return error.message;
    throw error;
  }
  throw new Error('expected a CodegenError');
}

describe('faasport build', () => {
  let project: string;
  let out: string;
  const cleanup: string[] = [];

  beforeAll(async () => {
    project = makeProject();
    cleanup.push(project);
    out = join(project, '.faasport');
    await build({ cwd: project });
  });
  afterAll(() => {
    for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the layout of every provider, with faasport.json as the contract says', () => {
    expect([...snapshot(join(out, 'aws')).keys()].sort()).toEqual(
      [FILE_LIST, 'deleteItem/index.mjs', 'faasport.json', 'files/index.mjs', 'getItem/index.mjs', 'template.yaml'].sort(),
    );
    expect([...snapshot(join(out, 'azure')).keys()].sort()).toEqual([FILE_LIST, 'deploy.json', 'deploy.sh', 'faasport.json', 'host.json', 'index.mjs', 'local.settings.json', 'package.json'].sort());
    expect([...snapshot(join(out, 'gcp')).keys()].sort()).toEqual([FILE_LIST, 'deploy.json', 'deploy.sh', 'faasport.json', 'index.mjs', 'package.json'].sort());
    expect(statSync(join(out, 'gcp', 'deploy.sh')).mode & 0o111).not.toBe(0); // executable: ./deploy.sh

    const aws = readFileSync(join(out, 'aws', 'faasport.json'), 'utf8');
    expect(aws.endsWith('}\n')).toBe(true);
    expect(JSON.parse(aws)).toEqual({
      provider: 'aws',
      runtime: { node: 'node24', id: 'nodejs24.x' },
      functions: [
        { name: 'deleteItem', kind: 'http', options: { route: '/items/:id', methods: ['DELETE'] }, export: 'deleteItem', source: 'src/api.ts', entry: 'deleteItem/index.mjs', handler: 'deleteItem/index.handler', settings: AWS_HTTP_SETTINGS },
        { name: 'files', kind: 'http', options: { route: '/files/*' }, export: 'files', source: 'src/api.ts', entry: 'files/index.mjs', handler: 'files/index.handler', settings: AWS_HTTP_SETTINGS },
        { name: 'getItem', kind: 'http', options: { route: '/items/:id', methods: ['GET'] }, export: 'getItem', source: 'src/api.ts', entry: 'getItem/index.mjs', handler: 'getItem/index.handler', settings: AWS_HTTP_SETTINGS },
      ],
    });
    for (const provider of ['azure', 'gcp']) {
      const manifest = JSON.parse(readFileSync(join(out, provider, 'faasport.json'), 'utf8')) as { provider: string; functions: Record<string, unknown>[] };
      expect(manifest.provider).toBe(provider);
      expect(manifest.functions.map((f) => [f.name, f.entry, 'handler' in f])).toEqual([
        ['deleteItem', 'index.mjs', false],
        ['files', 'index.mjs', false],
        ['getItem', 'index.mjs', false],
      ]);
    }
    const pkg = JSON.parse(readFileSync(join(out, 'azure', 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg).toMatchObject({ name: 'acme-shop-app', type: 'module', main: 'index.mjs', dependencies: { '@azure/functions': '^4.16.5' } });
  });

  it('bundles a self-contained AWS handler that answers an API Gateway v2 event', async () => {
    const bundle = readFileSync(join(out, 'aws', 'getItem', 'index.mjs'), 'utf8');
    expect(bundle).not.toMatch(/^\s*import\s.*from\s*["'](?!node:)[^"']+["']/m); // no externals but node built-ins
    expect(bundle).not.toContain(project); // no absolute paths
    expect(bundle).not.toContain(repo);
    const mod = (await import(pathToFileURL(join(out, 'aws', 'getItem', 'index.mjs')).href)) as {
      handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }>;
    };
    const event = {
      ...v2Event,
      routeKey: 'ANY /items/{id}',
      rawPath: '/items/42',
      requestContext: { ...(v2Event.requestContext as object), http: { method: 'GET', path: '/items/42', protocol: 'HTTP/1.1', sourceIp: '1.2.3.4', userAgent: 't' } },
    };
    const context = { awsRequestId: 'req-1', functionName: 'getItem', getRemainingTimeInMillis: () => 3000 };
    const result = await mod.handler(event, context);
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ id: '42', fn: 'getItem' });
  });

  it('bundles only the HTTP API / Function URL shape by default, and every shape with awsHttpEvents all', async () => {
    const defaultBundle = readFileSync(join(out, 'aws', 'getItem', 'index.mjs'), 'utf8');
    // ALB's reason phrases and the REST API and ALB shapes are not linked.
    for (const absent of ['Switching Protocols', 'ALB (single-value headers)', 'requestContext.stage']) expect(defaultBundle).not.toContain(absent);
    const mod = (await import(pathToFileURL(join(out, 'aws', 'getItem', 'index.mjs')).href)) as {
      handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }>;
    };
    const context = { awsRequestId: 'req-1', functionName: 'getItem', getRemainingTimeInMillis: () => 3000 };
    const rest = await mod.handler({ httpMethod: 'GET', path: '/items/42', requestContext: { stage: 'prod' }, headers: {} }, context);
    expect(rest.statusCode).toBe(400);
    expect(rest.body).toContain('got an API Gateway REST API (payload 1.0) event');
    expect(rest.body).toContain('`faasport build --aws-http-events apigw-v2,apigw-v1`');

    const allOut = join(project, '.faasport-all');
    await build({ cwd: project, providers: ['aws'], outDir: allOut, awsHttpEvents: ['apigw-v2', 'apigw-v1', 'alb'] });
    const allBundle = readFileSync(join(allOut, 'aws', 'getItem', 'index.mjs'), 'utf8');
    for (const present of ['Switching Protocols', 'ALB (single-value headers)']) expect(allBundle).toContain(present);
    expect(Buffer.byteLength(defaultBundle)).toBeLessThan(Buffer.byteLength(allBundle) - 3000);
    expect(await codegenError(() => build({ cwd: project, providers: ['aws'], outDir: allOut, awsHttpEvents: ['alb', 'nlb' as never] }))).toMatch(
      /unknown AWS HTTP event kind "nlb"/,
    );
  });

  it('keeps the provider packages external on Azure and GCP, and registers every function', async () => {
    const azure = readFileSync(join(out, 'azure', 'index.mjs'), 'utf8');
    expect(azure).toMatch(/from\s*"@azure\/functions"/);
    // /items/:id is shared by two functions: each is registered for its own methods (HEAD comes with GET).
    // (minified identifiers may hold "$")
    // Each also gets the timeout it is deployed with (Azure: the app's functionTimeout, 30 min by default).
    expect(azure).toMatch(/\("getItem",[\w$]+,\{methods:\["GET","HEAD"\],timeoutMs:18e5\}\)/);
    expect(azure).toMatch(/\("deleteItem",[\w$]+,\{methods:\["DELETE"\],timeoutMs:18e5\}\)/);
    expect(azure).toMatch(/\("files",[\w$]+,\{timeoutMs:18e5\}\)/);

    expect(azure).not.toContain(project);
    expect(azure).not.toContain(repo);

    const gcpDir = join(out, 'gcp');
    const gcp = readFileSync(join(gcpDir, 'index.mjs'), 'utf8');
    expect(gcp).toMatch(/from\s*"@google-cloud\/functions-framework"/);
    expect(gcp).not.toContain(project);
    // Load it as the functions-framework would: the framework resolvable from the app folder.
    mkdirSync(join(gcpDir, 'node_modules', '@google-cloud'), { recursive: true });
    symlinkSync(join(repo, 'node_modules', '@google-cloud', 'functions-framework'), join(gcpDir, 'node_modules', '@google-cloud', 'functions-framework'));
    await import(pathToFileURL(join(gcpDir, 'index.mjs')).href);
    const { getFunction } = (await import(pathToFileURL(join(repo, 'node_modules/@google-cloud/functions-framework/build/src/testing.js')).href)) as {
      getFunction: (name: string) => unknown;
    };
    for (const name of ['getItem', 'deleteItem', 'files']) expect(typeof getFunction(name)).toBe('function');
  });

  it('is deterministic: two builds of the same input give the same bytes', async () => {
    const second = join(project, '.faasport-second');
    await build({ cwd: project, outDir: second });
    const a = snapshot(out);
    const b = snapshot(second);
    for (const [path, bytes] of b) expect(a.get(path)?.equals(bytes), path).toBe(true);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    const again = await build({ cwd: project, outDir: second });
    expect(again.providers.flatMap((p) => p.changed)).toEqual([]);
  });

  it('removes stale files it wrote and never touches files it did not write', async () => {
    const dir = makeProject();
    cleanup.push(dir);
    await build({ cwd: dir, providers: ['aws', 'azure'] });
    writeFileSync(join(dir, '.faasport', 'aws', 'notes.txt'), 'mine');
    mkdirSync(join(dir, '.faasport', 'aws', 'files', 'extra'), { recursive: true });
    writeFileSync(join(dir, '.faasport', 'aws', 'files', 'extra', 'keep.txt'), 'mine too');
    mkdirSync(join(dir, '.faasport', 'aws', 'deleteItem', 'assets'), { recursive: true });
    // Remove two functions from the source.
    writeFileSync(join(dir, 'src', 'api.ts'), API.split('\n').filter((l) => !l.includes('deleteItem') && !l.includes('files')).join('\n'));
    const result = await build({ cwd: dir, providers: ['aws', 'azure'] });
    const aws = result.providers.find((p) => p.provider === 'aws')!;
    expect([...aws.removed].sort()).toEqual(['deleteItem/index.mjs', 'files/index.mjs']);
    expect(existsSync(join(dir, '.faasport', 'aws', 'files', 'index.mjs'))).toBe(false);
    expect(readFileSync(join(dir, '.faasport', 'aws', 'notes.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(dir, '.faasport', 'aws', 'files', 'extra', 'keep.txt'), 'utf8')).toBe('mine too');
    // deleteItem/ still holds a folder faasport did not make empty, so it stays; nothing else is left there.
    expect(readdirSync(join(dir, '.faasport', 'aws', 'deleteItem'))).toEqual(['assets']);
    const list = JSON.parse(readFileSync(join(dir, '.faasport', 'aws', FILE_LIST), 'utf8')) as { files: string[] };
    expect(list.files).toEqual(['faasport.json', 'getItem/index.mjs', 'template.yaml']);
    expect(readFileSync(join(dir, '.faasport', 'aws', 'template.yaml'), 'utf8')).not.toContain('DeleteItem');
  });

  it('refuses output folders that would mix with the project or escape it', async () => {
    expect(await codegenError(() => build({ cwd: project, outDir: '.' }))).toMatch(/--out \. is the project folder/);
    expect(await codegenError(() => build({ cwd: project, outDir: '..' }))).toMatch(/is the project folder or contains it/);
    expect(await codegenError(() => build({ cwd: project, outDir: 'src' }))).toMatch(/--out src contains your sources \(src\)/);
    const outside = join(repo, 'codegen', 'fixtures', 'never-written');
    expect(await codegenError(() => build({ cwd: project, outDir: outside }))).toMatch(/is outside the project folder .*pass --force/);
    expect(existsSync(outside)).toBe(false);
    expect(await codegenError(() => build({ cwd: project, outDir: '/' }))).toMatch(/file-system root/);
  });

  it('refuses to write over files it did not write', async () => {
    const dir = makeProject();
    cleanup.push(dir);
    mkdirSync(join(dir, 'out', 'gcp'), { recursive: true });
    writeFileSync(join(dir, 'out', 'gcp', 'package.json'), '{"name":"precious"}');
    expect(await codegenError(() => build({ cwd: dir, outDir: 'out', providers: ['gcp'] }))).toMatch(/already holds package\.json, which faasport did not write/);
    expect(readFileSync(join(dir, 'out', 'gcp', 'package.json'), 'utf8')).toBe('{"name":"precious"}');
  });

  it('reports a project without functions, and user code that does not bundle, as user errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faasport-empty-'));
    cleanup.push(dir);
    writeFileSync(join(dir, 'index.ts'), 'export const x = 1;\n');
    expect(await codegenError(() => build({ cwd: dir }))).toMatch(/no faasport functions found in \. \(1 files read\)/);
    writeFileSync(join(dir, 'index.ts'), "import { http } from 'faasport';\nimport { missing } from './nope.js';\nexport const x = http({ route: '/x' }, () => new Response(missing));\n");
    expect(await codegenError(() => build({ cwd: dir, providers: ['aws'] }))).toMatch(/^index\.ts:2:\d+: bundling failed: Could not resolve "\.\/nope\.js"/);
  });

  it('targets the chosen runtime in every manifest, and refuses one past end of support', async () => {
    const dir = makeProject();
    cleanup.push(dir);
    const result = await build({ cwd: dir, runtime: 'node22', today: new Date('2026-12-02T00:00:00Z') });
    expect(result.runtime).toBe('node22');
    expect(result.warnings).toEqual([]);
    const built = join(dir, '.faasport');
    expect(readFileSync(join(built, 'aws', 'template.yaml'), 'utf8')).toContain('Runtime: nodejs22.x');
    expect(readFileSync(join(built, 'gcp', 'deploy.sh'), 'utf8')).toContain('--runtime=nodejs22 ');
    for (const [provider, id] of [['aws', 'nodejs22.x'], ['azure', '22'], ['gcp', 'nodejs22']] as const) {
      expect(JSON.parse(readFileSync(join(built, provider, 'faasport.json'), 'utf8')).runtime).toEqual({ node: 'node22', id });
    }
    const late = await build({ cwd: dir, runtime: 'node22', today: new Date('2027-03-15T00:00:00Z'), providers: ['gcp'] });
    expect(late.warnings).toEqual([expect.stringMatching(/^gcp ends support for nodejs22 on 2027-04-30, in 46 days/)]);
    expect(await codegenError(() => build({ cwd: dir, runtime: 'node22', today: new Date('2027-05-01T00:00:00Z') }))).toMatch(
      /runtime node22: aws ended support for nodejs22\.x on 2027-04-30 .*build with --runtime node24/,
    );
  });

  it('derives an npm-safe app name and parses provider lists', () => {
    expect(appNameOf(project)).toBe('acme-shop-app');
    expect(appNameOf(dirname(project))).toBe('faasport-app');
    expect(parseProviders('all')).toEqual(['aws', 'azure', 'gcp']);
    expect(parseProviders('gcp,aws')).toEqual(['aws', 'gcp']);
    expect(() => parseProviders('ibm')).toThrow(/unknown provider "ibm"; use aws, azure, gcp or all/);
  });
});
