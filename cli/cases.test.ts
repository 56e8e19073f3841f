import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCases } from './cases.js';
import { CodegenError } from '../codegen/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'faasport-cases-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadCases (faasport conformance --cases)', () => {
  it('loads every exported array of cases from a TypeScript module', async () => {
    const cases = await loadCases('examples/shop/conformance.ts', process.cwd());
    expect(cases.map((c) => c.name)).toContain('health names the provider');
    expect(cases).toHaveLength(6);
  });
  it('says what to export when the module has no cases', async () => {
    writeFileSync(join(dir, 'none.ts'), 'export const answer: number = 42;\n');
    await expect(loadCases('none.ts', dir)).rejects.toThrow(CodegenError);
    await expect(loadCases('none.ts', dir)).rejects.toThrow(/exports no cases: export an array of defineCase/);
  });
  it('reports a module that does not bundle', async () => {
    writeFileSync(join(dir, 'broken.ts'), "import { nope } from './missing.js';\nexport const cases = [nope];\n");
    await expect(loadCases('broken.ts', dir)).rejects.toThrow(/does not bundle: Could not resolve/);
  });
});
