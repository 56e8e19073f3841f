/**
 * Cold start: bundle bytes of a one-function AWS app built by the real `faasport build`, and the time from
 * spawning a fresh `node` to the handler's first answer to the GET event, over many fresh processes per
 * contender (interleaved), as a ratio to a hand-written native handler file.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { getEvent, lambdaContext } from '../lib/events.mjs';
import { fmtBytes, fmtRatio, table, verdict } from '../lib/table.mjs';
import { median } from '../lib/timing.mjs';

const COOKIE_JS = `function cookieValue(header, name) {
  if (!header) return undefined;
  const prefix = name + '=';
  for (const part of header.split(';')) { const p = part.trim(); if (p.startsWith(prefix)) return p.slice(prefix.length); }
  return undefined;
}`;

const FAASPORT_APP = `import { http } from 'faasport';
${COOKIE_JS}
export const getItem = http({ route: '/items/:id', methods: ['GET'] }, async (req, ctx) =>
  Response.json({ id: ctx.params.id, session: cookieValue(req.headers.get('cookie'), 'session') }),
);
`;

const NATIVE = `${COOKIE_JS}
export const handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ id: event.pathParameters.id, session: cookieValue(event.cookies?.join('; '), 'session') }),
  isBase64Encoded: false,
});
`;

const HONO_APP = `import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
${COOKIE_JS}
const app = new Hono();
app.get('/items/:id', (c) => c.json({ id: c.req.param('id'), session: cookieValue(c.req.header('cookie'), 'session') }));
export const handler = handle(app);
`;

const H4AD_APP = `import express from 'express';
import { ServerlessAdapter } from '@h4ad/serverless-adapter';
import { ExpressFramework } from '@h4ad/serverless-adapter/frameworks/express';
import { DefaultHandler } from '@h4ad/serverless-adapter/handlers/default';
import { PromiseResolver } from '@h4ad/serverless-adapter/resolvers/promise';
import { ApiGatewayV2Adapter } from '@h4ad/serverless-adapter/adapters/aws';
${COOKIE_JS}
const app = express();
app.get('/items/:id', (req, res) => res.json({ id: req.params.id, session: cookieValue(req.headers.cookie, 'session') }));
export const handler = ServerlessAdapter.new(app).setFramework(new ExpressFramework()).setHandler(new DefaultHandler())
  .setResolver(new PromiseResolver()).addAdapter(new ApiGatewayV2Adapter()).build();
`;

const sizes = (file) => {
  const bytes = readFileSync(file);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};

/** One fresh process: import the bundle, answer the GET event once, print it. Resolves with ms to first output. */
function spawnOnce(runner, bundle) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [runner, bundle], { stdio: ['ignore', 'pipe', 'pipe'] });
    let ms;
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      ms ??= Number(process.hrtime.bigint() - start) / 1e6;
      out += chunk;
    });
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 && ms !== undefined ? resolve({ ms, out }) : reject(new Error(`exit ${code}: ${err.slice(0, 400)}`))));
  });
}

export async function coldStart({ root, quick }) {
  const dir = mkdtempSync(join(tmpdir(), 'faasport-cold-'));
  const notes = [];
  const rows = [];
  const spawns = quick ? 15 : 25;
  try {
    // faasport: the real codegen on a one-function app.
    const app = join(dir, 'app');
    mkdirSync(join(app, 'src'), { recursive: true });
    writeFileSync(join(app, 'src', 'index.ts'), FAASPORT_APP);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'cold-app', private: true, type: 'module' }));
    const cli = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'build', '--provider', 'aws', '--out', 'out'], { cwd: app, encoding: 'utf8' });
    const contenders = [{ name: 'native handler', file: join(dir, 'native.mjs') }];
    writeFileSync(contenders[0].file, NATIVE);
    if (cli.status === 0) {
      contenders.push({ name: 'faasport build', file: join(app, 'out', 'aws', 'getItem', 'index.mjs') });
    } else {
      notes.push(`faasport build failed (${(cli.stderr || cli.stdout).trim().split('\n')[0]}); bundling adapt() from dist/aws.js with esbuild instead`);
      const stub = join(dir, 'stub.mjs');
      writeFileSync(stub, `import { adapt } from ${JSON.stringify(join(root, 'dist', 'aws.js'))};\nimport { getItem } from './app/src/index.ts';\nexport const handler = adapt(getItem, { name: 'getItem' });\n`);
      const out = join(dir, 'faasport-esbuild.mjs');
      await build({ entryPoints: [stub], outfile: out, bundle: true, format: 'esm', platform: 'node', target: 'node20', minify: true, alias: { faasport: join(root, 'dist', 'index.js') }, logLevel: 'silent' });
      contenders.push({ name: 'faasport (esbuild of dist)', file: out });
    }
    // For reference: codegen's entry bundled in one pass with keepNames for faasport's code too (what codegen's two
    // passes save; see codegen/bundle.ts).
    {
      const stub = join(dir, 'stub-min.mjs');
      writeFileSync(stub, `import { adaptHttpFor, apiGatewayV2Events } from 'faasport/aws';\nimport { getItem } from './app/src/index.ts';\nexport const handler = adaptHttpFor([apiGatewayV2Events], getItem, { name: 'getItem' });\n`);
      const out = join(dir, 'faasport-min.mjs');
      await build({ entryPoints: [stub], outfile: out, bundle: true, format: 'esm', platform: 'node', target: 'node20', minify: true, keepNames: true, legalComments: 'none', alias: { faasport: join(root, 'dist', 'index.js'), 'faasport/aws': join(root, 'dist', 'aws.js') }, logLevel: 'silent' });
      contenders.push({ name: 'faasport, names kept in all', file: out, reference: true });
    }
    // A user's own esbuild of the same function through adapt() (every kind and shape linked, picked at run
    // time) and through adaptHttpFor (only the payload 2.0 shape): what adapting by hand costs.
    for (const [name, code] of [
      ['adapt() by hand (user esbuild)', `import { adapt } from 'faasport/aws';\nimport { getItem } from './app/src/index.ts';\nexport const handler = adapt(getItem, { name: 'getItem' });\n`],
      ['adaptHttpFor() by hand (user esbuild)', `import { adaptHttpFor, apiGatewayV2Events } from 'faasport/aws';\nimport { getItem } from './app/src/index.ts';\nexport const handler = adaptHttpFor([apiGatewayV2Events], getItem, { name: 'getItem' });\n`],
    ]) {
      const stub = join(dir, `${name.replace(/\W+/g, '-')}.mjs`);
      writeFileSync(stub, code);
      const out = `${stub}.bundle.mjs`;
      await build({ entryPoints: [stub], outfile: out, bundle: true, format: 'esm', platform: 'node', target: 'node20', minify: true, legalComments: 'none', alias: { faasport: join(root, 'dist', 'index.js'), 'faasport/aws': join(root, 'dist', 'aws.js') }, logLevel: 'silent' });
      contenders.push({ name, file: out, reference: true });
    }
    for (const [name, source, extra] of [
      ['hono/aws-lambda', HONO_APP, {}],
      ['@h4ad + express', H4AD_APP, { banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } }],
    ]) {
      const entry = join(dir, `${name.replace(/\W+/g, '-')}.mjs`);
      writeFileSync(entry, source);
      const out = `${entry}.bundle.mjs`;
      try {
        await build({ entryPoints: [entry], outfile: out, bundle: true, format: 'esm', platform: 'node', target: 'node20', minify: true, legalComments: 'none', nodePaths: [join(root, 'node_modules')], logLevel: 'silent', ...extra });
        contenders.push({ name, file: out });
      } catch (error) {
        notes.push(`${name}: could not be bundled (${String(error.message).split('\n')[0]})`);
      }
    }

    // The runner: the same for everyone, the event inlined so no file is read.
    const runner = join(dir, 'runner.mjs');
    writeFileSync(
      runner,
      `const event = ${JSON.stringify(getEvent())};
const context = { functionName: 'getItem', awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678', getRemainingTimeInMillis: () => 3000 };
const { handler } = await import(process.argv[2]);
process.stdout.write(JSON.stringify(await handler(event, context)));
`,
    );
    void lambdaContext;
    // Validate each contender's cold answer once, then time fresh processes, interleaved.
    const valid = [];
    for (const c of contenders) {
      try {
        const { out } = await spawnOnce(runner, c.file);
        const result = JSON.parse(out);
        const body = JSON.parse(result.isBase64Encoded ? Buffer.from(result.body, 'base64').toString() : result.body);
        if (result.statusCode === 200 && body.id === '42' && body.session === 'abc123def456') valid.push(c);
        else notes.push(`${c.name}: wrong cold answer ${out.slice(0, 160)}`);
      } catch (error) {
        notes.push(`${c.name}: failed to answer (${error.message.split('\n')[0]})`);
      }
    }
    const samples = new Map(valid.map((c) => [c, []]));
    for (let i = 0; i < spawns; i++) {
      for (let k = 0; k < valid.length; k++) {
        const c = valid[(k + i) % valid.length];
        samples.get(c).push((await spawnOnce(runner, c.file)).ms);
      }
    }
    const nativeMs = median(samples.get(valid.find((c) => c.name === 'native handler')) ?? [NaN]);
    const result = {};
    for (const c of valid) {
      const ms = median(samples.get(c));
      const size = sizes(c.file);
      const faas = c.name.startsWith('faasport') && !c.reference;
      if (faas) result.faasport = { ms, ratio: ms / nativeMs, ...size };
      rows.push([
        c.name,
        fmtBytes(size.raw),
        fmtBytes(size.gzip),
        faas ? `<= 8 KB gzip: ${verdict(size.gzip / 1024, 8)}` : '',
        `${ms.toFixed(1)} ms`,
        fmtRatio(ms / nativeMs),
        faas ? `<= 1.10x: ${verdict(ms / nativeMs, 1.1)}` : '',
      ]);
    }
    table(
      `AWS cold start: bundle size, and spawn -> first response of a fresh node process (median of ${spawns} per contender, interleaved)`,
      ['contender', 'raw', 'gzip', 'size target', 'cold', 'ratio', 'cold target'],
      rows,
    );
    for (const note of notes) console.log(`  note: ${note}`);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
