/**
 * A tiny deterministic YAML writer for the manifests faasport emits (block style only). Strings that a
 * YAML 1.1 or 1.2 reader could take for anything but a string are written double-quoted (JSON escaping
 * is valid YAML); keys keep insertion order; `undefined` entries are left out.
 */
export type YamlValue = string | number | boolean | null | readonly YamlValue[] | { readonly [key: string]: YamlValue | undefined };

const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./{}+:-]*$/;
// Words YAML 1.1 readers (CloudFormation's among them) turn into booleans or null.
const RESERVED = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$/;

export function yamlScalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`yaml: cannot write ${value}`);
    return String(value);
  }
  const plain = PLAIN.test(value) && !RESERVED.test(value) && !value.endsWith(':') && !value.includes(': ') && !value.includes('::/');
  return plain ? value : JSON.stringify(value);
}

const isMapping = (v: YamlValue): v is { readonly [key: string]: YamlValue | undefined } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function entries(map: { readonly [key: string]: YamlValue | undefined }): [string, YamlValue][] {
  return Object.entries(map).filter((e): e is [string, YamlValue] => e[1] !== undefined);
}

function isEmptyCollection(v: YamlValue): boolean {
  return (Array.isArray(v) && v.length === 0) || (isMapping(v) && entries(v).length === 0);
}

function writeNode(value: YamlValue, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value as readonly YamlValue[]) {
      if (isMapping(item) && !isEmptyCollection(item)) {
        const lines: string[] = [];
        writeNode(item, `${indent}  `, lines);
        out.push(`${indent}- ${lines[0]!.slice(indent.length + 2)}`, ...lines.slice(1));
      } else if (Array.isArray(item) && item.length > 0) {
        out.push(`${indent}-`);
        writeNode(item, `${indent}  `, out);
      } else {
        out.push(`${indent}- ${inline(item)}`);
      }
    }
    return;
  }
  if (isMapping(value)) {
    for (const [key, child] of entries(value)) {
      if ((Array.isArray(child) || isMapping(child)) && !isEmptyCollection(child)) {
        out.push(`${indent}${yamlScalar(key)}:`);
        writeNode(child, `${indent}  `, out);
      } else {
        out.push(`${indent}${yamlScalar(key)}: ${inline(child)}`);
      }
    }
    return;
  }
  out.push(`${indent}${inline(value)}`);
}

function inline(value: YamlValue): string {
  if (Array.isArray(value)) return '[]';
  if (isMapping(value)) return '{}';
  return yamlScalar(value as string | number | boolean | null);
}

/** The document, with optional leading `#` comment lines, ending in a newline. */
export function toYaml(value: YamlValue, comments: readonly string[] = []): string {
  const out = comments.map((c) => `# ${c}`);
  writeNode(value, '', out);
  return `${out.join('\n')}\n`;
}
