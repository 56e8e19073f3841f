/**
 * Discovery: finds every exported faasport function in the given entries, syntax only (no type check).
 *
 * A function is an exported variable whose initializer is a call to a definer (`http`, `queue`, `topic`,
 * `storage`, `schedule`, `event`) imported from a *faasport module*: the package `faasport`, or a relative
 * path to faasport's core (`../core`, `../core/index.js`, `../core/define.js`, ... as this repository's own
 * examples do). Definers re-exported through a project file (`export { http } from 'faasport'`) count too.
 * Exports are followed through `export { a } from`, `export { a as b }`, `export *` and imports.
 */
import { performance } from 'node:perf_hooks';
import { Node } from 'ts-morph';
import { FUNCTION_KINDS, type FunctionKind, type KindMap } from '../core/types.js';
import { defaultEntries, expandEntries } from './entries.js';
import { CodegenError, type Problem, type SourceLocation } from './errors.js';
import { ModuleGraph, type ModuleInfo, type Resolution } from './module-graph.js';
import { checkOptions } from './options.js';
import { NotStaticError, StaticEvaluator, isStaticObject } from './static-value.js';

export type DiscoveredFunctionOf<K extends FunctionKind> = {
  /** The function's name on every provider: the name it is exported under. */
  readonly name: string;
  readonly kind: K;
  readonly options: KindMap[K]['options'];
  /** Posix path, relative to cwd, of the file that defines it. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The name `file` exports it under (bundles import it from there). */
  readonly exportName: string;
};

export type DiscoveredFunction = { [K in FunctionKind]: DiscoveredFunctionOf<K> }[FunctionKind];

export interface DiscoverOptions {
  /** Files or folders; default `src` if it exists, else the working directory. */
  readonly entries?: readonly string[];
  readonly cwd?: string;
  /** Folders never scanned (the output folder). */
  readonly exclude?: readonly string[];
}

export interface DiscoverResult {
  readonly functions: DiscoveredFunction[];
  /** Source files scanned (entries expanded), relative posix paths. */
  readonly files: string[];
  readonly ms: number;
}

const FAASPORT_CORE = /^\.{1,2}\/(?:.*\/)?core(?:\/(?:index|define)(?:\.[mc]?[jt]s)?)?$/;

/** The explicit rule for "imported from faasport": the package itself, or a relative path into its core. */
export function isFaasportSpecifier(specifier: string): boolean {
  return specifier === 'faasport' || FAASPORT_CORE.test(specifier);
}

const isKind = (name: string): name is FunctionKind => (FUNCTION_KINDS as readonly string[]).includes(name);

function unwrap(node: Node): Node {
  let current = node;
  while (Node.isAsExpression(current) || Node.isSatisfiesExpression(current) || Node.isParenthesizedExpression(current) || Node.isNonNullExpression(current)) {
    current = current.getExpression();
  }
  return current;
}

interface Found {
  readonly module: ModuleInfo;
  readonly declarationName: string;
  readonly declarationNode: Node;
  readonly kind: FunctionKind;
  readonly call: Node;
  /** Public name -> the files it was found through. */
  readonly names: Map<string, Set<string>>;
}

export class Discovery {
  readonly graph: ModuleGraph;
  private readonly evaluator: StaticEvaluator;

  constructor(readonly cwd: string) {
    this.graph = new ModuleGraph(cwd);
    this.evaluator = new StaticEvaluator(this.graph);
  }

  /** The kind when `expression` is `http(...)`, `fp.queue(...)`, ... with a faasport definer. */
  definerCall(module: ModuleInfo, expression: Node): { kind: FunctionKind; call: Node } | undefined {
    const call = unwrap(expression);
    if (!Node.isCallExpression(call)) return undefined;
    const callee = call.getExpression();
    if (Node.isIdentifier(callee)) {
      const name = callee.getText();
      const binding = module.imports.get(name);
      if (binding && isFaasportSpecifier(binding.specifier)) return isKind(binding.imported) ? { kind: binding.imported, call } : undefined;
      const resolved = this.graph.resolveLocal(module, name);
      if (resolved?.type === 'external' && isFaasportSpecifier(resolved.specifier) && isKind(resolved.imported)) {
        return { kind: resolved.imported, call };
      }
      return undefined;
    }
    if (Node.isPropertyAccessExpression(callee) && Node.isIdentifier(callee.getExpression())) {
      const binding = module.imports.get(callee.getExpression().getText());
      const member = callee.getName();
      if (binding?.imported === '*' && isFaasportSpecifier(binding.specifier) && isKind(member)) return { kind: member, call };
    }
    return undefined;
  }

  run(files: readonly string[]): DiscoveredFunction[] {
    const found = new Map<string, Found>();
    const problems: Problem[] = [];
    for (const file of files) {
      for (const name of this.graph.exportedNames(file)) {
        const resolution = this.graph.resolveExport(file, name);
        this.collect(file, name, resolution, found, problems);
      }
    }
    const functions: DiscoveredFunction[] = [];
    for (const item of found.values()) {
      const fn = this.describe(item, problems);
      if (fn) functions.push(fn);
    }
    if (problems.length > 0) throw new CodegenError(sortProblems(problems));
    return functions.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.file < b.file ? -1 : 1));
  }

  private collect(file: string, name: string, resolution: Resolution | undefined, found: Map<string, Found>, problems: Problem[]): void {
    if (resolution?.type === 'expression') {
      const definer = this.definerCall(resolution.module, resolution.node);
      if (definer) {
        problems.push({
          at: this.graph.locate(resolution.node),
          message: `a ${definer.kind}() function is the default export, which has no name to deploy it under; export it by name, e.g. \`export const myFunction = ${definer.kind}(...)\``,
        });
      }
      return;
    }
    if (resolution?.type !== 'declaration') return;
    const { module, declaration } = resolution;
    if (!declaration.initializer) return;
    const definer = this.definerCall(module, declaration.initializer);
    if (!definer) return;
    const key = `${module.path}\0${declaration.name}`;
    let item = found.get(key);
    if (!item) {
      item = { module, declarationName: declaration.name, declarationNode: declaration.node, kind: definer.kind, call: definer.call, names: new Map() };
      found.set(key, item);
    }
    const via = item.names.get(name) ?? new Set<string>();
    via.add(file);
    item.names.set(name, via);
  }

  private describe(item: Found, problems: Problem[]): DiscoveredFunction | undefined {
    const at = this.graph.locate(item.declarationNode);
    if (item.names.size > 1) {
      // A name given by a re-export (a barrel's `export { createItem as addItem }`) wins over the defining
      // file's own export name, so scanning a folder deploys what the barrel says.
      for (const [name, via] of item.names) {
        if (item.names.size > 1 && via.size === 1 && via.has(item.module.path)) item.names.delete(name);
      }
    }
    if (item.names.size > 1) {
      const list = [...item.names]
        .map(([name, via]) => `"${name}" (from ${[...via].map((f) => this.graph.relativePath(f)).join(', ')})`)
        .join(', ');
      problems.push({
        at,
        message: `this ${item.kind}() function is exported under several names: ${list}; each name would deploy it again. Export it under one name, or pass only your entry file as ENTRY`,
      });
      return undefined;
    }
    const [name] = [...item.names.keys()] as [string];
    const options = this.options(item, at, problems);
    if (!options) return undefined;
    return {
      name,
      kind: item.kind,
      options,
      file: at.file,
      line: at.line,
      column: at.column,
      exportName: this.exportNameInDefiningFile(item, name),
    } as DiscoveredFunction;
  }

  private exportNameInDefiningFile(item: Found, publicName: string): string {
    const names: string[] = [];
    for (const [exported, binding] of item.module.exports) {
      if (binding.type === 'local' && binding.local === item.declarationName) names.push(exported);
    }
    // The defining file exports it, or it could not have been reached from another file.
    return names.includes(publicName) ? publicName : (names[0] ?? publicName);
  }

  private options(item: Found, at: SourceLocation, problems: Problem[]): KindMap[FunctionKind]['options'] | undefined {
    if (!Node.isCallExpression(item.call)) return undefined;
    const [optionsNode, handlerNode] = item.call.getArguments();
    if (!optionsNode || Node.isSpreadElement(optionsNode)) {
      problems.push({ at, message: `${item.kind}() needs its options object as the first argument, e.g. ${example(item.kind)}` });
      return undefined;
    }
    if (!handlerNode) {
      problems.push({ at: this.graph.locate(item.call), message: `${item.kind}() needs a handler function as its second argument` });
    }
    let value;
    try {
      value = this.evaluator.evaluate(optionsNode, item.module);
    } catch (error) {
      if (!(error instanceof NotStaticError)) throw error;
      problems.push({
        at: this.graph.locate(error.node),
        message: `options of ${item.kind}() "${item.declarationName}" must be known at build time: ${error.message}. Use literals, \`as const\` objects, or const variables with literal values (in this file or imported)`,
      });
      return undefined;
    }
    if (!isStaticObject(value)) {
      problems.push({ at: this.graph.locate(optionsNode), message: `${item.kind}() options must be an object, e.g. ${example(item.kind)}` });
      return undefined;
    }
    const optionProblems = checkOptions(item.kind, value);
    for (const problem of optionProblems) {
      problems.push({ at: this.locateOption(optionsNode, problem.key) ?? at, message: problem.message });
    }
    return optionProblems.length === 0 ? (value as unknown as KindMap[FunctionKind]['options']) : undefined;
  }

  private locateOption(optionsNode: Node, key: string | undefined): SourceLocation | undefined {
    const literal = unwrap(optionsNode);
    if (key === undefined || !Node.isObjectLiteralExpression(literal)) return this.graph.locate(optionsNode);
    const property = literal.getProperty(key) ?? literal.getProperty(JSON.stringify(key)) ?? literal.getProperty(`'${key}'`);
    return this.graph.locate(property ?? optionsNode);
  }
}

function example(kind: FunctionKind): string {
  const examples: Record<FunctionKind, string> = {
    http: "{ route: '/items/:id', methods: ['GET'] }",
    queue: "{ queue: 'orders' }",
    topic: "{ topic: 'signups' }",
    storage: "{ bucket: 'uploads', events: ['created'] }",
    schedule: "{ cron: '0 3 * * *' }",
    event: "{ type: 'com.example.order.shipped' }",
  };
  return examples[kind];
}

function sortProblems(problems: Problem[]): Problem[] {
  const key = (p: Problem) => (p.at ? `${p.at.file}\0${String(p.at.line).padStart(8, '0')}\0${String(p.at.column).padStart(8, '0')}` : '');
  return [...problems].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Finds every exported faasport function in `entries` (no cross-function validation: see validate.ts). */
export function discover(options: DiscoverOptions = {}): DiscoverResult {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const entries = options.entries && options.entries.length > 0 ? options.entries : defaultEntries(cwd);
  const files = expandEntries(entries, cwd, options.exclude);
  const discovery = new Discovery(cwd);
  const functions = discovery.run(files);
  return { functions, files: files.map((f) => discovery.graph.relativePath(f)), ms: performance.now() - started };
}
