/**
 * Evaluates an expression that must be known at build time: literals, arrays and objects of them,
 * `as const` / `satisfies`, template strings of static parts, and identifiers naming `const`
 * declarations with such values (in the same file or imported from the project, through re-exports).
 */
import { Node, SyntaxKind } from 'ts-morph';
import type { ModuleGraph, ModuleInfo, Resolution } from './module-graph.js';

export type StaticValue = string | number | boolean | null | undefined | readonly StaticValue[] | { readonly [key: string]: StaticValue };
export type StaticObject = { readonly [key: string]: StaticValue };

/** The expression cannot be known at build time; `node` is the offending part. */
export class NotStaticError extends Error {
  override name = 'NotStaticError';
  constructor(
    readonly node: Node,
    message: string,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 50;

const snippet = (node: Node): string => {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
};

export const isStaticObject = (value: StaticValue): value is StaticObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export class StaticEvaluator {
  constructor(private readonly graph: ModuleGraph) {}

  evaluate(node: Node, module: ModuleInfo, depth = 0): StaticValue {
    if (depth > MAX_DEPTH) throw new NotStaticError(node, `\`${snippet(node)}\` refers to itself`);
    const next = (n: Node, m: ModuleInfo = module) => this.evaluate(n, m, depth + 1);

    if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralValue();
    if (Node.isNumericLiteral(node)) return node.getLiteralValue();
    if (Node.isTrueLiteral(node)) return true;
    if (Node.isFalseLiteral(node)) return false;
    if (Node.isNullLiteral(node)) return null;
    if (
      Node.isAsExpression(node) ||
      Node.isSatisfiesExpression(node) ||
      Node.isParenthesizedExpression(node) ||
      Node.isNonNullExpression(node) ||
      Node.isTypeAssertion(node)
    ) {
      return next(node.getExpression());
    }
    if (Node.isPrefixUnaryExpression(node)) {
      const operand = next(node.getOperand());
      const op = node.getOperatorToken();
      if (typeof operand === 'number' && op === SyntaxKind.MinusToken) return -operand;
      if (typeof operand === 'number' && op === SyntaxKind.PlusToken) return operand;
      throw new NotStaticError(node, `\`${snippet(node)}\` is computed; write the resulting literal`);
    }
    if (Node.isTemplateExpression(node)) {
      let text = node.getHead().getLiteralText();
      for (const span of node.getTemplateSpans()) {
        const value = next(span.getExpression());
        if (typeof value !== 'string' && typeof value !== 'number') {
          throw new NotStaticError(span.getExpression(), `\`${snippet(span.getExpression())}\` in a template string must be a static string or number`);
        }
        text += String(value) + span.getLiteral().getLiteralText();
      }
      return text;
    }
    if (Node.isArrayLiteralExpression(node)) {
      const out: StaticValue[] = [];
      for (const element of node.getElements()) {
        if (Node.isSpreadElement(element)) {
          const spread = next(element.getExpression());
          if (!Array.isArray(spread)) throw new NotStaticError(element, `\`${snippet(element)}\` must spread a static array`);
          out.push(...spread);
        } else if (Node.isOmittedExpression(element)) {
          throw new NotStaticError(element, 'arrays with holes are not static values');
        } else {
          out.push(next(element));
        }
      }
      return out;
    }
    if (Node.isObjectLiteralExpression(node)) {
      const out: Record<string, StaticValue> = {};
      for (const property of node.getProperties()) {
        if (Node.isPropertyAssignment(property)) {
          const value = next(property.getInitializerOrThrow());
          if (value !== undefined) out[this.propertyName(property.getNameNode(), module, depth)] = value;
        } else if (Node.isShorthandPropertyAssignment(property)) {
          const value = this.identifier(property.getNameNode(), module, depth);
          if (value !== undefined) out[property.getName()] = value;
        } else if (Node.isSpreadAssignment(property)) {
          const spread = next(property.getExpression());
          if (!isStaticObject(spread)) throw new NotStaticError(property, `\`${snippet(property)}\` must spread a static object`);
          Object.assign(out, spread);
        } else {
          throw new NotStaticError(property, `\`${snippet(property)}\` is a method or accessor; options take plain values`);
        }
      }
      return out;
    }
    if (Node.isIdentifier(node)) return this.identifier(node, module, depth);
    if (Node.isPropertyAccessExpression(node)) {
      return this.member(node, node.getExpression(), node.getName(), module, depth);
    }
    if (Node.isElementAccessExpression(node)) {
      const arg = node.getArgumentExpression();
      const key = arg ? next(arg) : undefined;
      if (typeof key !== 'string' && typeof key !== 'number') {
        throw new NotStaticError(node, `\`${snippet(node)}\` must index with a static string or number`);
      }
      return this.member(node, node.getExpression(), String(key), module, depth);
    }
    if (Node.isCallExpression(node) || Node.isNewExpression(node)) {
      throw new NotStaticError(node, `\`${snippet(node)}\` is a function call, which runs only at run time`);
    }
    throw new NotStaticError(node, `\`${snippet(node)}\` is not a static value`);
  }

  private propertyName(name: Node, module: ModuleInfo, depth: number): string {
    if (Node.isIdentifier(name) || Node.isPrivateIdentifier(name)) return name.getText();
    if (Node.isStringLiteral(name) || Node.isNoSubstitutionTemplateLiteral(name) || Node.isNumericLiteral(name)) return String(name.getLiteralValue());
    // The only name kind left here (a mutant that drops this test is equivalent).
    if (Node.isComputedPropertyName(name)) {
      const key = this.evaluate(name.getExpression(), module, depth + 1);
      if (typeof key === 'string' || typeof key === 'number') return String(key);
    }
    throw new NotStaticError(name, `property name \`${snippet(name)}\` must be static`);
  }

  private member(node: Node, objectNode: Node, key: string, module: ModuleInfo, depth: number): StaticValue {
    // `ns.NAME` where `import * as ns from './x'`: the export NAME of x. (Only an identifier can name a namespace;
    // looking up any other expression's text finds nothing, so dropping the test is an equivalent mutant.)
    if (Node.isIdentifier(objectNode)) {
      const resolution = this.graph.resolveLocal(module, objectNode.getText());
      if (resolution?.type === 'namespace') {
        return this.resolved(node, this.graph.resolveExport(resolution.path, key), `${objectNode.getText()}.${key}`, depth);
      }
    }
    // A cycle through here also passes `resolved`, which counts one more level, so the depth guard holds either way.
    const object = this.evaluate(objectNode, module, depth + 1);
    if (Array.isArray(object) && /^\d+$/.test(key)) return object[Number(key)];
    if (isStaticObject(object) && Object.hasOwn(object, key)) return object[key];
    throw new NotStaticError(node, `\`${snippet(node)}\` does not name a static value (no "${key}" there)`);
  }

  private identifier(node: Node, module: ModuleInfo, depth: number): StaticValue {
    const name = node.getText();
    if (name === 'undefined') return undefined;
    return this.resolved(node, this.graph.resolveLocal(module, name), name, depth);
  }

  private resolved(node: Node, resolution: Resolution | undefined, name: string, depth: number): StaticValue {
    if (!resolution) {
      throw new NotStaticError(node, `\`${name}\` is not declared at the top level of a project file (globals and parameters are run-time values)`);
    }
    switch (resolution.type) {
      case 'declaration': {
        const { declaration, module } = resolution;
        if (declaration.kind === 'let' || declaration.kind === 'var') {
          throw new NotStaticError(node, `\`${name}\` is declared with \`${declaration.kind}\`; declare it with \`const\` so it is fixed at build time`);
        }
        if (declaration.kind !== 'const' || !declaration.initializer) {
          throw new NotStaticError(node, `\`${name}\` is a ${declaration.kind === 'other' ? 'declaration' : declaration.kind}, not a const with a literal value`);
        }
        try {
          return this.evaluate(declaration.initializer, module, depth + 1);
        } catch (error) {
          if (error instanceof NotStaticError && error.node.getSourceFile() !== node.getSourceFile()) {
            // Keep the location of the real culprit, and say how we got there.
            throw new NotStaticError(error.node, `${error.message} (reached through \`${name}\`)`);
          }
          throw error;
        }
      }
      case 'namespace':
        throw new NotStaticError(node, `\`${name}\` is a whole module; name one of its constants, e.g. \`${name}.SOMETHING\``);
      case 'expression':
        return this.evaluate(resolution.node, resolution.module, depth + 1);
      case 'external':
        throw new NotStaticError(
          node,
          `\`${name}\` is imported from "${resolution.specifier}", which faasport does not read at build time; define the value in a project file or inline it`,
        );
    }
  }
}
