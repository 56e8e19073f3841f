import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodegenError } from './errors.js';
import { writeOutput } from './output.js';

let root: string;
let dir: string;
let outside: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'faasport-output-'));
  dir = join(root, 'out', 'aws');
  outside = join(root, 'elsewhere');
  mkdirSync(outside);
  writeFileSync(join(outside, 'keep.js'), 'precious');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const files = (...paths: string[]) => paths.map((path) => ({ path, contents: `// ${path}\n` }));

describe('writeOutput never writes or deletes through a symbolic link, nor a file it did not write', () => {
  it('a rebuild does not delete a file outside --out through a linked folder left in the output (the issue 10 case)', async () => {
    await writeOutput(dir, files('a.js', 'sub/keep.js'));
    rmSync(join(dir, 'sub'), { recursive: true });
    symlinkSync(outside, join(dir, 'sub'));
    const result = await writeOutput(dir, files('a.js'));
    expect(readFileSync(join(outside, 'keep.js'), 'utf8')).toBe('precious');
    expect(result.removed).toEqual([]);
  });

  it('refuses to write into a linked folder, before creating anything through it', async () => {
    await writeOutput(dir, files('a.js'));
    symlinkSync(outside, join(dir, 'sub'));
    await expect(writeOutput(dir, files('sub/deep/b.js'))).rejects.toThrow(CodegenError);
    expect(existsSync(join(outside, 'deep'))).toBe(false);
  });

  it('refuses a provider folder that is itself a link', async () => {
    mkdirSync(join(root, 'out'));
    symlinkSync(outside, dir);
    await expect(writeOutput(dir, files('a.js'))).rejects.toThrow(/is a symbolic link/);
    expect(existsSync(join(outside, 'a.js'))).toBe(false);
  });

  it('refuses to write over a file that is a link', async () => {
    await writeOutput(dir, files('a.js'));
    rmSync(join(dir, 'a.js'));
    symlinkSync(join(outside, 'keep.js'), join(dir, 'a.js'));
    await expect(writeOutput(dir, files('a.js'))).rejects.toThrow(/symbolic link/);
    expect(readFileSync(join(outside, 'keep.js'), 'utf8')).toBe('precious');
  });

  it('a stale file edited since it was written is kept, and reported', async () => {
    await writeOutput(dir, files('a.js', 'b.js'));
    writeFileSync(join(dir, 'b.js'), 'my own edits');
    const result = await writeOutput(dir, files('a.js'));
    expect(result.kept).toEqual(['b.js']);
    expect(readFileSync(join(dir, 'b.js'), 'utf8')).toBe('my own edits');
  });

  it('a stale file with the bytes faasport wrote is removed, with the folders it leaves empty', async () => {
    await writeOutput(dir, files('a.js', 'x/y/b.js'));
    const result = await writeOutput(dir, files('a.js'));
    expect(result.removed).toEqual(['x/y/b.js']);
    expect(existsSync(join(dir, 'x'))).toBe(false);
    expect(lstatSync(join(dir, 'a.js')).isFile()).toBe(true);
  });
});
