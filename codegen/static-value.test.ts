import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModuleGraph } from './module-graph.js';
import { NotStaticError, StaticEvaluator, isStaticObject } from './static-value.js';

const root = mkdtempSync(join(tmpdir(), 'faasport-static-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let project = 0;

/** Writes a small project and evaluates the initializer of `export const value` in its main.ts. */
function evaluate(main: string, others: Record<string, string> = {}) {
  const dir = join(root, `p${project++}`);
  for (const [name, text] of Object.entries({ 'main.ts': main, ...others })) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const graph = new ModuleGraph(dir);
  const module = graph.load(join(dir, 'main.ts'));
  const declaration = module.declarations.get('value');
  if (!declaration?.initializer) throw new Error('the test project needs `const value = ...`');
  return new StaticEvaluator(graph).evaluate(declaration.initializer, module);
}

/** The NotStaticError's message and the text of the node it blames. */
function refusal(main: string, others?: Record<string, string>): { message: string; culprit: string; file: string } {
  try {
    evaluate(main, others);
  } catch (error) {
    if (!(error instanceof NotStaticError)) throw error;
    return { message: error.message, culprit: error.node.getText(), file: error.node.getSourceFile().getBaseName() };
  }
  throw new Error('expected a NotStaticError');
}

describe('static values: what is known at build time', () => {
  it('reads string, template, number, boolean and null literals', () => {
    expect(evaluate(`export const value = ['a', \`b\`, 1.5, true, false, null];`)).toEqual(['a', 'b', 1.5, true, false, null]);
  });

  it('reads signed numbers, and refuses other unary operators', () => {
    expect(evaluate('export const value = [-3, +4];')).toEqual([-3, 4]);
    expect(refusal('export const value = !true;').message).toBe('`!true` is computed; write the resulting literal');
    expect(refusal(`export const value = -'a';`).message).toContain('is computed');
  });

  it('looks through as const, satisfies, parentheses, non-null and type assertions', () => {
    expect(evaluate(`export const value = ({ a: (1) } as const) satisfies object;`)).toEqual({ a: 1 });
    expect(evaluate('const x = 2; export const value = [x!, <number>x];')).toEqual([2, 2]);
  });

  it('joins template strings of static strings and numbers', () => {
    expect(evaluate('const n = 7; const s = "x"; export const value = `a${n}b${s}c`;')).toBe('a7bxc');
    const { message, culprit } = refusal('const o = { a: 1 }; export const value = `a${o}`;');
    expect(culprit).toBe('o');
    expect(message).toBe('`o` in a template string must be a static string or number');
  });

  it('spreads static arrays, and refuses holes and spreads of non-arrays', () => {
    expect(evaluate('const xs = [1, 2]; export const value = [0, ...xs, 3];')).toEqual([0, 1, 2, 3]);
    expect(refusal('export const value = [1, , 2];').message).toBe('arrays with holes are not static values');
    expect(refusal('const o = { a: 1 }; export const value = [...o];').message).toBe('`...o` must spread a static array');
  });

  it('builds objects from assignments, shorthands, spreads and computed names, leaving out undefined', () => {
    const value = evaluate(
      `const b = 2; const base = { z: 0 }; const key = 'k';
       export const value = { a: 1, b, ...base, [key]: 'v', ['lit']: 1, 'q-s': 2, 3: 'n', gone: undefined, alsoGone: undefined };`,
    );
    expect(value).toEqual({ a: 1, b: 2, z: 0, k: 'v', lit: 1, 'q-s': 2, 3: 'n' });
    expect(Object.keys(value as object)).not.toContain('gone');
  });

  it('leaves out a shorthand property whose constant is undefined', () => {
    expect(Object.keys(evaluate('const u = undefined; export const value = { u, a: 1 };') as object)).toEqual(['a']);
  });

  it('refuses spreads of non-objects, methods, accessors and non-static property names', () => {
    expect(refusal('const xs = [1]; export const value = { ...xs };').message).toBe('`...xs` must spread a static object');
    expect(refusal('export const value = { f() { return 1; } };').message).toBe('`f() { return 1; }` is a method or accessor; options take plain values');
    expect(refusal('export const value = { get g() { return 1; } };').message).toContain('is a method or accessor');
    const computed = refusal('const k = { a: 1 }; export const value = { [k]: 1 };');
    expect(computed.message).toBe('property name `[k]` must be static');
  });

  it('reads members of static objects and arrays, by name and by index', () => {
    expect(evaluate(`const o = { a: { b: [10, 20] } }; export const value = [o.a.b[1], o['a'].b, o.a['b'][0]];`)).toEqual([20, [10, 20], 10]);
  });

  it('refuses a member that is not there, and an index that is not static', () => {
    expect(refusal('const o = { a: 1 }; export const value = o.b;').message).toBe('`o.b` does not name a static value (no "b" there)');
    expect(refusal('const o = { a: 1 }; export const value = o.toString;').message).toContain('no "toString" there');
    expect(refusal('const xs = [1]; export const value = xs.length;').message).toContain('no "length" there');
    expect(refusal('const o = { a: 1 }; const k = { x: 1 }; export const value = o[k];').message).toBe('`o[k]` must index with a static string or number');
  });

  it('refuses calls and constructions, which run only at run time', () => {
    expect(refusal('export const value = Date.now();').message).toBe('`Date.now()` is a function call, which runs only at run time');
    expect(refusal('export const value = new Date();').message).toContain('is a function call');
  });

  it('refuses any other expression in plain words', () => {
    expect(refusal('export const value = 1 + 2;').message).toBe('`1 + 2` is not a static value');
  });

  it('shortens long expressions in messages to 40 characters', () => {
    const { message } = refusal(`export const value = 'aaaaaaaaaaaaaaaaaaaa' + 'bbbbbbbbbbbbbbbbbbbbbbbbbbbb';`);
    expect(message).toBe("`'aaaaaaaaaaaaaaaaaaaa' + 'bbbbbbbbbbb...` is not a static value");
    // 40 characters exactly stay whole; line breaks and runs of spaces read as one space.
    const forty = `'aaaaaaaaaaaaaaaaaaaa' +\n    'bbbbbbbbbbbbb'`;
    expect(refusal(`export const value = ${forty};`).message).toBe("`'aaaaaaaaaaaaaaaaaaaa' + 'bbbbbbbbbbbbb'` is not a static value");
  });

  it('reads undefined as undefined', () => {
    expect(evaluate('export const value = [undefined];')).toEqual([undefined]);
  });

  it('follows constants imported from project files, through re-exports and namespaces', () => {
    const others = {
      'config/limits.ts': `export const LIMITS = { size: 5 } as const; export const NAME = 'jobs';`,
      'config/index.ts': `export * from './limits.js';`,
    };
    expect(evaluate(`import { LIMITS } from './config/index.js'; export const value = LIMITS.size;`, others)).toBe(5);
    expect(evaluate(`import * as cfg from './config/limits.js'; export const value = cfg.NAME;`, others)).toBe('jobs');
    expect(evaluate(`import * as cfg from './config/limits.js'; export const value = cfg['NAME'];`, others)).toBe('jobs');
  });

  it('refuses a whole namespace, naming how to pick a constant', () => {
    const { message } = refusal(`import * as cfg from './c.js'; export const value = { c: cfg };`, { 'c.ts': 'export const A = 1;' });
    expect(message).toBe('`cfg` is a whole module; name one of its constants, e.g. `cfg.SOMETHING`');
  });

  it('refuses names imported from packages, naming the package', () => {
    const { message } = refusal(`import { X } from 'some-pkg'; export const value = X;`);
    expect(message).toBe('`X` is imported from "some-pkg", which faasport does not read at build time; define the value in a project file or inline it');
  });

  it('refuses globals and parameters', () => {
    expect(refusal('export const value = process;').message).toBe(
      '`process` is not declared at the top level of a project file (globals and parameters are run-time values)',
    );
  });

  it('refuses let and var, asking for const', () => {
    expect(refusal('let x = 1; export const value = x;').message).toBe('`x` is declared with `let`; declare it with `const` so it is fixed at build time');
    expect(refusal('var y = 1; export const value = y;').message).toContain('declared with `var`');
  });

  it('refuses functions, classes and constants without a value', () => {
    expect(refusal('function f() {} export const value = f;').message).toBe('`f` is a function, not a const with a literal value');
    expect(refusal('class C {} export const value = C;').message).toBe('`C` is a class, not a const with a literal value');
    expect(refusal('declare const d: number; export const value = d;').message).toBe('`d` is a const, not a const with a literal value');
  });

  it('blames the real culprit in another file, and says through which name it was reached', () => {
    const { message, culprit, file } = refusal(`import { OPTS } from './opts.js'; export const value = OPTS;`, {
      'opts.ts': `export const OPTS = { when: Date.now() };`,
    });
    expect(file).toBe('opts.ts');
    expect(culprit).toBe('Date.now()');
    expect(message).toBe('`Date.now()` is a function call, which runs only at run time (reached through `OPTS`)');
  });

  it('keeps the message unchanged when the culprit is in the same file', () => {
    const { message, culprit } = refusal('const A = Date.now(); export const value = A;');
    expect(culprit).toBe('Date.now()');
    expect(message).toBe('`Date.now()` is a function call, which runs only at run time');
  });

  it('reads an expression default export', () => {
    expect(evaluate(`import d from './d.js'; export const value = d;`, { 'd.ts': 'export default { a: 1 };' })).toEqual({ a: 1 });
  });

  it('stops a constant that refers to itself', () => {
    expect(refusal('const a: any = { x: a }; export const value = a;').message).toMatch(/refers to itself$/);
  });

  it('allows nesting up to the depth limit of 50, and no deeper', () => {
    expect(() => evaluate(`export const value = ${'['.repeat(50)}1${']'.repeat(50)};`)).not.toThrow();
    expect(refusal(`export const value = ${'['.repeat(51)}1${']'.repeat(51)};`).message).toMatch(/refers to itself$/);
  });

  it('stops cycles through members, computed keys, namespaces and default exports', () => {
    expect(refusal('const a: any = { x: a.x }; export const value = a;').message).toMatch(/refers to itself$/);
    expect(refusal('const a: any = { [a]: 1 }; export const value = a;').message).toMatch(/refers to itself$/);
    const namespaces = {
      'a.ts': `import * as b from './b.js'; export const X = b.Y;`,
      'b.ts': `import * as a from './a.js'; export const Y = a.X;`,
    };
    expect(refusal(`import { X } from './a.js'; export const value = X;`, namespaces).message).toMatch(/refers to itself/);
    const selfDefault = { 'd.ts': `import self from './d.js'; export default { again: self };` };
    expect(refusal(`import d from './d.js'; export const value = d;`, selfDefault).message).toMatch(/refers to itself/);
  });

  it('refuses unary operators other than a sign, also on strings', () => {
    expect(refusal(`export const value = +'a';`).message).toBe("`+'a'` is computed; write the resulting literal");
    expect(refusal('export const value = ~5;').message).toBe('`~5` is computed; write the resulting literal');
  });

  it('takes a number from a computed property name as the key', () => {
    expect(evaluate(`const n = 3; export const value = { [n]: 'x' };`)).toEqual({ 3: 'x' });
  });

  it('indexes arrays by whole decimal indexes only', () => {
    const xs = `const xs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 'ten'];`;
    expect(evaluate(`${xs} export const value = xs[10];`)).toBe('ten');
    expect(refusal(`${xs} export const value = xs['1a'];`).message).toContain('(no "1a" there)');
    expect(refusal(`${xs} export const value = xs['a1'];`).message).toContain('(no "a1" there)');
  });

  it('names a namespace member in full when it is not a constant', () => {
    const { message } = refusal(`import * as cfg from './c.js'; export const value = cfg.LIMIT;`, { 'c.ts': 'export let LIMIT = 1;' });
    expect(message).toBe('`cfg.LIMIT` is declared with `let`; declare it with `const` so it is fixed at build time');
  });

  it('refuses other declarations with a value, such as enums and using', () => {
    expect(refusal('enum E { A } export const value = E;').message).toBe('`E` is a declaration, not a const with a literal value');
    expect(refusal('using x = null; export const value = x;').message).toBe('`x` is a declaration, not a const with a literal value');
  });
});

describe('NotStaticError', () => {
  it('is named for what it is', () => {
    try {
      evaluate('export const value = Date.now();');
    } catch (error) {
      expect((error as Error).name).toBe('NotStaticError');
      return;
    }
    throw new Error('expected a NotStaticError');
  });
});

describe('isStaticObject', () => {
  it('is true for plain objects only', () => {
    expect(isStaticObject({ a: 1 })).toBe(true);
    expect(isStaticObject([1])).toBe(false);
    expect(isStaticObject(null)).toBe(false);
    expect(isStaticObject('x')).toBe(false);
    expect(isStaticObject(undefined)).toBe(false);
  });
});
