/**
 * Syntax-level module graph over the user's sources: imports, top-level declarations and exports of each
 * file, and the resolution of an exported name to its real definition through re-exports. No type
 * checker and no program: files are parsed one by one, only when a name leads into them.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, relative, resolve, sep } from 'node:path';
import { Node, Project, type SourceFile } from 'ts-morph';
import type { SourceLocation } from './errors.js';

export interface ImportBinding {
  readonly specifier: string;
  /** The imported name, `default`, or `*` for a namespace import. */
  readonly imported: string;
  readonly node: Node;
}

export type DeclarationKind = 'const' | 'let' | 'var' | 'function' | 'class' | 'other';

export interface Declaration {
  readonly name: string;
  readonly kind: DeclarationKind;
  /** Where the name is declared (the variable declaration, function or class). */
  readonly node: Node;
  readonly initializer?: Node;
}

export type ExportBinding =
  | { readonly type: 'local'; readonly local: string; readonly node: Node }
  | { readonly type: 'reexport'; readonly specifier: string; readonly imported: string; readonly node: Node }
  | { readonly type: 'expression'; readonly node: Node };

export interface ModuleInfo {
  /** Absolute path. */
  readonly path: string;
  readonly sourceFile: SourceFile;
  readonly imports: ReadonlyMap<string, ImportBinding>;
  readonly declarations: ReadonlyMap<string, Declaration>;
  readonly exports: ReadonlyMap<string, ExportBinding>;
  readonly starExports: readonly { readonly specifier: string; readonly node: Node }[];
}

/** What a name stands for once imports and re-exports are followed. */
export type Resolution =
  | { readonly type: 'declaration'; readonly module: ModuleInfo; readonly declaration: Declaration }
  | { readonly type: 'namespace'; readonly path: string }
  /** A default export written as an expression (`export default http(...)`). */
  | { readonly type: 'expression'; readonly module: ModuleInfo; readonly node: Node }
  /** The name comes from a package (or a file faasport cannot read); carries the specifier. */
  | { readonly type: 'external'; readonly specifier: string; readonly imported: string };

const TS_FOR_JS: Record<string, readonly string[]> = {
  '.js': ['.ts', '.tsx', '.js', '.jsx'],
  '.mjs': ['.mts', '.mjs'],
  '.cjs': ['.cts', '.cjs'],
  '.jsx': ['.tsx', '.jsx'],
};
const BARE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.js', '.mjs', '.jsx', '.cts', '.cjs'];

export class ModuleGraph {
  readonly cwd: string;
  private readonly project = new Project({
    useInMemoryFileSystem: false,
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    skipLoadingLibFiles: true,
    compilerOptions: { allowJs: true, noResolve: true },
  });
  private readonly modules = new Map<string, ModuleInfo>();
  private readonly fileExists = new Map<string, boolean>();

  constructor(cwd: string) {
    this.cwd = cwd;
  }

  /** Posix path relative to cwd, as used in messages and manifests. */
  relativePath(path: string): string {
    return relative(this.cwd, path).split(sep).join('/');
  }

  locate(node: Node): SourceLocation {
    const sourceFile = node.getSourceFile();
    const { line, column } = sourceFile.getLineAndColumnAtPos(node.getStart());
    return { file: this.relativePath(sourceFile.getFilePath()), line, column };
  }

  load(path: string): ModuleInfo {
    const cached = this.modules.get(path);
    if (cached) return cached;
    const text = readFileSync(path, 'utf8');
    const sourceFile = this.project.createSourceFile(path, text, { overwrite: true });
    const info = parseModule(path, sourceFile);
    this.modules.set(path, info);
    return info;
  }

  /** Resolves a relative specifier to a source file (`./x.js` finds `x.ts`); undefined for packages. */
  resolveSpecifier(from: string, specifier: string): string | undefined {
    if (!specifier.startsWith('./') && !specifier.startsWith('../') && specifier !== '.' && specifier !== '..') return undefined;
    const base = resolve(dirname(from), specifier);
    const ext = extname(base);
    const candidates: string[] = [];
    const swaps = TS_FOR_JS[ext];
    if (swaps) candidates.push(...swaps.map((e) => base.slice(0, -ext.length) + e));
    else if (BARE_EXTENSIONS.includes(ext)) candidates.push(base);
    else candidates.push(...BARE_EXTENSIONS.map((e) => base + e));
    candidates.push(...BARE_EXTENSIONS.map((e) => `${base}/index${e}`));
    return candidates.find((c) => this.isFile(c));
  }

  private isFile(path: string): boolean {
    let known = this.fileExists.get(path);
    if (known === undefined) {
      known = existsSync(path) && statSync(path).isFile();
      this.fileExists.set(path, known);
    }
    return known;
  }

  /** Follows `import`/`export ... from` of one module to what `local` names there. */
  resolveLocal(module: ModuleInfo, local: string, seen = new Set<string>()): Resolution | undefined {
    const declaration = module.declarations.get(local);
    if (declaration) return { type: 'declaration', module, declaration };
    const binding = module.imports.get(local);
    if (!binding) return undefined;
    return this.resolveImport(module.path, binding.specifier, binding.imported, seen);
  }

  private resolveImport(from: string, specifier: string, imported: string, seen: Set<string>): Resolution | undefined {
    const target = this.resolveSpecifier(from, specifier);
    if (!target) return { type: 'external', specifier, imported };
    if (imported === '*') return { type: 'namespace', path: target };
    return this.resolveExport(target, imported, seen);
  }

  /** What `name`, exported from the file at `path`, is defined as. */
  resolveExport(path: string, name: string, seen = new Set<string>()): Resolution | undefined {
    const key = `${path}\0${name}`;
    if (seen.has(key)) return undefined; // export cycle: the name is not defined anywhere
    seen.add(key);
    const module = this.load(path);
    const binding = module.exports.get(name);
    if (binding) {
      switch (binding.type) {
        case 'local':
          return this.resolveLocal(module, binding.local, seen);
        case 'reexport':
          return this.resolveImport(path, binding.specifier, binding.imported, seen);
        case 'expression':
          return { type: 'expression', module, node: binding.node };
      }
    }
    if (name === 'default') return undefined;
    for (const star of module.starExports) {
      const target = this.resolveSpecifier(path, star.specifier);
      if (!target) continue; // `export * from 'pkg'`: nothing of ours to find there
      const found = this.resolveExport(target, name, seen);
      if (found) return found;
    }
    return undefined;
  }

  /** Every name the file exports, `export *` included (local exports win, `default` is not re-exported). */
  exportedNames(path: string, seen = new Set<string>()): string[] {
    if (seen.has(path)) return [];
    seen.add(path);
    const module = this.load(path);
    const names = new Set(module.exports.keys());
    for (const star of module.starExports) {
      const target = this.resolveSpecifier(path, star.specifier);
      if (!target) continue;
      for (const name of this.exportedNames(target, seen)) if (name !== 'default') names.add(name);
    }
    return [...names];
  }
}

function parseModule(path: string, sourceFile: SourceFile): ModuleInfo {
  const imports = new Map<string, ImportBinding>();
  const declarations = new Map<string, Declaration>();
  const exports = new Map<string, ExportBinding>();
  const starExports: { specifier: string; node: Node }[] = [];

  for (const statement of sourceFile.getStatements()) {
    if (Node.isImportDeclaration(statement)) {
      if (statement.isTypeOnly()) continue;
      const specifier = statement.getModuleSpecifierValue();
      const defaultImport = statement.getDefaultImport();
      if (defaultImport) imports.set(defaultImport.getText(), { specifier, imported: 'default', node: defaultImport });
      const namespace = statement.getNamespaceImport();
      if (namespace) imports.set(namespace.getText(), { specifier, imported: '*', node: namespace });
      for (const named of statement.getNamedImports()) {
        if (named.isTypeOnly()) continue;
        const local = named.getAliasNode()?.getText() ?? named.getName();
        imports.set(local, { specifier, imported: named.getName(), node: named });
      }
    } else if (Node.isVariableStatement(statement)) {
      const kind = statement.getDeclarationKind() as string;
      const exported = statement.hasExportKeyword();
      for (const declaration of statement.getDeclarations()) {
        const nameNode = declaration.getNameNode();
        if (!Node.isIdentifier(nameNode)) continue; // destructuring: not a faasport function, not a static value
        const name = nameNode.getText();
        declarations.set(name, {
          name,
          kind: kind === 'const' || kind === 'let' || kind === 'var' ? kind : 'other',
          node: declaration,
          initializer: declaration.getInitializer(),
        });
        if (exported) exports.set(name, { type: 'local', local: name, node: declaration });
      }
    } else if (Node.isFunctionDeclaration(statement) || Node.isClassDeclaration(statement) || Node.isEnumDeclaration(statement)) {
      const name = statement.getName();
      const kind: DeclarationKind = Node.isFunctionDeclaration(statement) ? 'function' : Node.isClassDeclaration(statement) ? 'class' : 'other';
      if (name) declarations.set(name, { name, kind, node: statement });
      if (statement.hasExportKeyword()) {
        if (statement.hasDefaultKeyword()) exports.set('default', name ? { type: 'local', local: name, node: statement } : { type: 'expression', node: statement });
        else if (name) exports.set(name, { type: 'local', local: name, node: statement });
      }
    } else if (Node.isExportDeclaration(statement)) {
      if (statement.isTypeOnly()) continue;
      const specifier = statement.getModuleSpecifierValue();
      const namespaceExport = statement.getNamespaceExport();
      if (specifier !== undefined && namespaceExport) {
        exports.set(namespaceExport.getName(), { type: 'reexport', specifier, imported: '*', node: statement });
      } else if (specifier !== undefined && !statement.hasNamedExports()) {
        starExports.push({ specifier, node: statement });
      } else {
        for (const named of statement.getNamedExports()) {
          if (named.isTypeOnly()) continue;
          const exported = named.getAliasNode()?.getText() ?? named.getName();
          exports.set(
            exported,
            specifier === undefined
              ? { type: 'local', local: named.getName(), node: named }
              : { type: 'reexport', specifier, imported: named.getName(), node: named },
          );
        }
      }
    } else if (Node.isExportAssignment(statement) && !statement.isExportEquals()) {
      const expression = statement.getExpression();
      exports.set(
        'default',
        Node.isIdentifier(expression) ? { type: 'local', local: expression.getText(), node: statement } : { type: 'expression', node: expression },
      );
    }
  }
  return { path, sourceFile, imports, declarations, exports, starExports };
}
