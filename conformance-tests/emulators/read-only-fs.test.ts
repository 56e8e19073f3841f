/** The read-only filesystem preload in a real node process: writes outside /tmp fail with EROFS, /tmp works. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readOnlyFsImport } from './read-only-fs.js';

const base = mkdtempSync(path.join(tmpdir(), 'faasport-rofs-'));
const code = path.join(base, 'task');
const outside = mkdtempSync(path.join(process.cwd(), '.faasport-rofs-outside-'));
mkdirSync(code);
writeFileSync(path.join(code, 'index.mjs'), 'export const handler = 1;\n');
symlinkSync(outside, path.join(base, 'link-out'));
afterAll(() => {
  rmSync(base, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

/**
 * Runs `script` (an ES module body) with the guard preloaded, `base` writable (it plays /tmp: the checkout itself may
 * sit under the machine's /tmp, so that cannot be the writable root here) and `code` read-only; returns its JSON.
 */
function run(script: string): Record<string, unknown> {
  const preload = readOnlyFsImport({ writable: [base], readOnly: [code] });
  const out = execFileSync(process.execPath, [`--import=${preload}`, '--input-type=module', '-e', script], { cwd: code, encoding: 'utf8' });
  return JSON.parse(out) as Record<string, unknown>;
}

const TRY = `
const outcome = async (f) => { try { await f(); return 'ok'; } catch (e) { return e.code; } };
const result = {};
`;

describe('read-only filesystem preload', () => {
  it('fails writes outside /tmp with a Node-style EROFS error, in sync, callback and promise forms', () => {
    const target = path.join(outside, 'x.txt');
    const seen = run(`${TRY}
import fs from 'node:fs';
import { writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
try { writeFileSync(${JSON.stringify(target)}, 'x'); } catch (e) { result.sync = { code: e.code, errno: e.errno, syscall: e.syscall, path: e.path, message: e.message }; }
result.callback = await new Promise((resolve) => fs.writeFile(${JSON.stringify(target)}, 'x', (e) => resolve(e?.code ?? 'ok')));
result.promise = await outcome(() => writeFile(${JSON.stringify(target)}, 'x'));
result.exists = fs.existsSync(${JSON.stringify(target)});
console.log(JSON.stringify(result));`);
    expect(seen.sync).toEqual({ code: 'EROFS', errno: -30, syscall: 'open', path: target, message: `EROFS: read-only file system, open '${target}'` });
    expect(seen).toMatchObject({ callback: 'EROFS', promise: 'EROFS', exists: false });
  });

  it('covers the other write calls, streams and file handles, and leaves reads alone', () => {
    const dir = JSON.stringify(outside);
    const seen = run(`${TRY}
import fs from 'node:fs';
import fsp from 'node:fs/promises';
const p = (name) => ${dir} + '/' + name;
result.mkdir = await outcome(() => fs.mkdirSync(p('d')));
result.mkdirExisting = await outcome(() => fs.mkdirSync(${dir}, { recursive: true }));
result.appendFile = await outcome(() => fsp.appendFile(p('a'), 'x'));
result.openForWrite = await outcome(() => fsp.open(p('h'), 'w'));
result.openNumericFlags = await outcome(() => fs.openSync(p('n'), fs.constants.O_CREAT | fs.constants.O_WRONLY));
result.stream = await new Promise((resolve) => fs.createWriteStream(p('s')).on('error', (e) => resolve(e.code)).on('open', () => resolve('ok')));
result.rename = await outcome(() => fs.renameSync(${JSON.stringify(path.join(code, 'index.mjs'))}, ${JSON.stringify(path.join(base, 'stolen.mjs'))}));
result.copyInto = await outcome(() => fs.copyFileSync(${JSON.stringify(path.join(code, 'index.mjs'))}, p('copy')));
result.rm = await outcome(() => fsp.rm(${JSON.stringify(path.join(code, 'index.mjs'))}));
result.relative = await outcome(() => fs.writeFileSync('relative.txt', 'x'));
result.readCode = fs.readFileSync('index.mjs', 'utf8').length > 0;
result.openForRead = await outcome(async () => (await fsp.open('index.mjs', 'r')).close());
console.log(JSON.stringify(result));`);
    expect(seen).toEqual({
      mkdir: 'EROFS',
      mkdirExisting: 'ok',
      appendFile: 'EROFS',
      openForWrite: 'EROFS',
      openNumericFlags: 'EROFS',
      stream: 'EROFS',
      rename: 'EROFS',
      copyInto: 'EROFS',
      rm: 'EROFS',
      relative: 'EROFS',
      readCode: true,
      openForRead: 'ok',
    });
  });

  it('lets /tmp be written, but not through a link out of it nor into the code folder under it', () => {
    const scratch = path.join(base, 'scratch');
    const seen = run(`${TRY}
import fs from 'node:fs';
result.tmpWrite = await outcome(() => { fs.mkdirSync(${JSON.stringify(scratch)}); fs.writeFileSync(${JSON.stringify(scratch)} + '/f', 'x'); fs.rmSync(${JSON.stringify(scratch)}, { recursive: true }); });
result.viaLink = await outcome(() => fs.writeFileSync(${JSON.stringify(path.join(base, 'link-out', 'f'))}, 'x'));
result.dotDot = await outcome(() => fs.writeFileSync(${JSON.stringify(`${base}/../..${outside}/f`)}, 'x'));
result.intoCode = await outcome(() => fs.writeFileSync(${JSON.stringify(path.join(code, 'new.txt'))}, 'x'));
console.log(JSON.stringify(result));`);
    expect(seen).toEqual({ tmpWrite: 'ok', viaLink: 'EROFS', dotDot: 'EROFS', intoCode: 'EROFS' });
  });
});
