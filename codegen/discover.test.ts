import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { discover, isFaasportSpecifier } from './discover.js';
import { CodegenError } from './errors.js';
import { validate } from './validate.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const cwd = fixtures;

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof CodegenError) return error.problems.map((p) => `${p.at ? `${p.at.file}:${p.at.line}:${p.at.column} ` : ''}${p.message}`);
    throw error;
  }
  throw new Error('expected a CodegenError');
}

describe('discovery', () => {
  it('follows re-exports, renames, export * and imported constants to the real definitions', () => {
    const { functions } = discover({ entries: ['app/src/index.ts'], cwd });
    expect(functions.map((f) => f.name)).toEqual(['addItem', 'files', 'getItem', 'health']);
    const byName = Object.fromEntries(functions.map((f) => [f.name, f]));
    expect(byName.getItem).toEqual({
      name: 'getItem',
      kind: 'http',
      options: { route: '/items/:id', methods: ['GET'] },
      file: 'app/src/routes/items.ts',
      line: 4,
      column: 14,
      exportName: 'getItem',
    });
    // `export { createItem as addItem }` from the entry: deployed as addItem, imported from items.ts as createItem.
    expect(byName.addItem).toMatchObject({ file: 'app/src/routes/items.ts', exportName: 'createItem', options: { route: '/items', methods: ['POST'] } });
    // Spread of an imported `as const` object, namespace import of the definer.
    expect(byName.files).toMatchObject({ options: { route: '/files/*', authLevel: 'function' }, file: 'app/src/routes/files.ts' });
    // Aliased definer import, `as const satisfies`, options held in a const.
    expect(byName.health).toMatchObject({ options: { route: '/health', methods: ['GET', 'HEAD'] } });
  });

  it('scans folders, skipping test files, and counts a re-exported function once', () => {
    const { functions, files } = discover({ entries: ['app'], cwd });
    // items.ts exports createItem; the barrel's name for it (addItem) wins.
    expect(functions.map((f) => f.name)).toEqual(['addItem', 'files', 'getItem', 'health', 'listItems']);
    expect(files).not.toContain('app/src/routes/items.spec.ts');
  });

  it('reports a function that two re-exports give different names, with both names', () => {
    const problems = problemsOf(() => discover({ entries: ['two-names'], cwd }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^two-names\/def\.ts:3:14 .*several names: "one" \(from two-names\/one\.ts\), "two" \(from two-names\/two\.ts\).*Export it under one name/);
  });

  it('fails on options that are not static, with file:line:col and what to change', () => {
    const problems = problemsOf(() => discover({ entries: ['not-static'], cwd }));
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^not-static\/api\.ts:6:39 options of http\(\) "computed" must be known at build time: `makeRoute\('computed'\)` is a function call/);
    expect(problems[0]).toContain('Use literals, `as const` objects, or const variables');
    expect(problems[1]).toMatch(/^not-static\/api\.ts:8:38 .*`mutableRoute` is declared with `let`; declare it with `const`/);
    expect(problems[2]).toMatch(/^not-static\/api\.ts:10:57 .*`process` is not declared at the top level/);
  });

  it('accepts relative imports of faasport core and documents the rule', () => {
    expect(discover({ entries: ['relative-core'], cwd }).functions.map((f) => f.name)).toEqual(['relative']);
    expect(isFaasportSpecifier('faasport')).toBe(true);
    expect(isFaasportSpecifier('../../core/index.js')).toBe(true);
    expect(isFaasportSpecifier('../core')).toBe(true);
    expect(isFaasportSpecifier('./core/define.js')).toBe(true);
    expect(isFaasportSpecifier('faasport/aws')).toBe(false);
    expect(isFaasportSpecifier('some-core')).toBe(false);
    expect(isFaasportSpecifier('../hardcore/index.js')).toBe(false);
  });

  it('discovers every kind with its neutral options', () => {
    const { functions } = discover({ entries: ['all-kinds'], cwd });
    expect(functions.map((f) => [f.name, f.kind])).toEqual([
      ['nightly', 'schedule'],
      ['onOrder', 'queue'],
      ['onShipped', 'event'],
      ['onSignup', 'topic'],
      ['onUpload', 'storage'],
    ]);
    expect(functions.find((f) => f.name === 'onOrder')?.options).toEqual({ queue: 'orders', batchSize: 5, maxAttempts: 3 });
  });

  it('rejects an invalid route at the option', () => {
    const problems = problemsOf(() => discover({ entries: ['bad-route'], cwd }));
    expect(problems).toEqual([expect.stringMatching(/^bad-route\/api\.ts:3:32 http\(\) option "route" route "no-slash" must start with "\/"/)]);
  });

  it('rejects a default-exported function, which has no name', () => {
    const problems = problemsOf(() => discover({ entries: ['default-export'], cwd }));
    expect(problems[0]).toMatch(/^default-export\/api\.ts:3:16 .*default export.*export it by name/);
  });

  it('fails clearly on a missing entry', () => {
    expect(problemsOf(() => discover({ entries: ['nope'], cwd }))[0]).toMatch(/entry "nope" does not exist/);
  });
});

describe('validation', () => {
  it('reports two functions with one name at both places', () => {
    const { functions } = discover({ entries: ['duplicate-names'], cwd });
    const problems = validate(functions, ['aws']).map((p) => `${p.at?.file}:${p.at?.line} ${p.message}`);
    expect(problems).toEqual([
      expect.stringMatching(/^duplicate-names\/a\.ts:3 two functions are named "getItem" \(also at duplicate-names\/b\.ts:3:14\); rename/),
      expect.stringMatching(/^duplicate-names\/b\.ts:3 two functions are named "getItem" \(also at duplicate-names\/a\.ts:3:14\)/),
    ]);
  });

  it('reports one route with overlapping methods, counting HEAD with GET and no methods as all', () => {
    const { functions } = discover({ entries: ['duplicate-route'], cwd });
    const problems = validate(functions, ['aws', 'azure', 'gcp']).map((p) => p.message);
    expect(problems).toHaveLength(2);
    expect(problems).toContainEqual(expect.stringMatching(/"readItem" and "headItem" .*both answer HEAD on routes "\/items\/:key" and "\/items\/:id" \(the same path\)/));
    expect(problems).toContainEqual(expect.stringMatching(/"postThing" and "anyItem" .*both answer POST on route "\/things\/:id" \(no methods means every method\)/));
  });

  it('reports names a provider rejects, naming the provider and its rule', () => {
    const { functions } = discover({ entries: ['bad-names'], cwd });
    const problems = validate(functions, ['aws', 'azure', 'gcp']).map((p) => p.message);
    expect(problems).toHaveLength(3);
    const about = (name: string) => problems.find((m) => m.startsWith(`"${name}"`)) ?? '';
    expect(about('$dollar')).toMatch(/is not a valid aws function name .*"\$dollar" is not a valid azure function name.*gcp/);
    const long = about('a_function_name_that_is_far_too_long_for_gcp_and_aws_which_stop_at_64');
    expect(long).toMatch(/is not a valid aws function name \(letters, digits, "-" or "_", 1 to 64 characters\).*gcp.*rename the export/);
    expect(long).not.toContain('azure');
    expect(about('_under')).toMatch(/is not a valid azure function name.*gcp/);
    expect(about('_under')).not.toContain('aws');
    expect(validate(functions.filter((f) => f.name === '_under'), ['aws'])).toEqual([]);
  });

  it('reports names that differ only in case on providers that ignore case', () => {
    const base = { kind: 'http', file: 'x.ts', line: 1, column: 1 } as const;
    const functions = [
      { ...base, name: 'getItem', exportName: 'getItem', options: { route: '/a' } },
      { ...base, name: 'getitem', exportName: 'getitem', options: { route: '/b' } },
    ];
    expect(validate(functions, ['aws'])).toEqual([]);
    expect(validate(functions, ['azure'])[0]?.message).toMatch(/"getItem" and "getitem" differ only in case, which azure treats as one/);
  });

  it('reports cron that a provider cannot express, for that provider only', () => {
    const cron = { name: 'both', kind: 'schedule', options: { cron: '0 3 1 * 1' }, file: 'x.ts', line: 2, column: 1, exportName: 'both' } as const;
    const cronProblems = validate([cron], ['gcp', 'azure']).map((p) => p.message);
    expect(cronProblems).toContainEqual(expect.stringMatching(/^azure: cron "0 3 1 \* 1": restricts both day-of-month and day-of-week/));
    expect(cronProblems.some((m) => m.startsWith('gcp'))).toBe(false);
  });
});

describe('discovery speed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faasport-discover-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('discovers 200 generated functions across 20 files (time is logged, not asserted)', () => {
    mkdirSync(join(dir, 'src'));
    const index: string[] = [];
    for (let f = 0; f < 20; f++) {
      const lines = ["import { http } from 'faasport';", "import { BASE } from './base.js';"];
      for (let i = 0; i < 10; i++) {
        const n = f * 10 + i;
        lines.push(`export const fn${n} = http({ route: \`\${BASE}/r${n}/:id\`, methods: ['GET', 'POST'] }, (_req, ctx) => Response.json({ id: ctx.params.id }));`);
      }
      writeFileSync(join(dir, 'src', `file${f}.ts`), lines.join('\n'));
      index.push(`export * from './file${f}.js';`);
    }
    writeFileSync(join(dir, 'src', 'base.ts'), "export const BASE = '/api' as const;\n");
    writeFileSync(join(dir, 'src', 'index.ts'), index.join('\n'));
    const cold = discover({ entries: ['src/index.ts'], cwd: dir });
    const warm = discover({ entries: ['src'], cwd: dir });
    expect(cold.functions).toHaveLength(200);
    expect(warm.functions).toHaveLength(200);
    expect(validate(warm.functions, ['aws', 'azure', 'gcp'])).toEqual([]);
    console.log(`discovery of 200 functions: ${cold.ms.toFixed(0)} ms (first run in this process), ${warm.ms.toFixed(0)} ms (folder scan, second run)`);
  });
});
