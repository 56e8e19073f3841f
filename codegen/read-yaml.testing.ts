/** Test helper: reads back the block-style YAML subset that yaml.ts writes (no YAML package is installed). */
export function readYaml(text: string): unknown {
  const lines = text.split('\n').filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  let i = 0;
  const indentOf = (l: string) => l.length - l.trimStart().length;
  const scalar = (s: string): unknown => {
    if (s.startsWith('"')) return JSON.parse(s);
    if (s === '[]') return [];
    if (s === '{}') return {};
    if (s === 'true' || s === 'false') return s === 'true';
    if (s === 'null') return null;
    if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
    return s;
  };
  const key = (s: string) => (s.startsWith('"') ? (JSON.parse(s) as string) : s);
  const splitKey = (s: string): [string, string] => {
    const m = /^("(?:[^"\\]|\\.)*"|[^:]+(?:::[^:]+)*?):(?: (.*))?$/.exec(s);
    if (!m) throw new Error(`not a mapping line: ${s}`);
    return [key(m[1]!), m[2] ?? ''];
  };
  function block(indent: string): unknown {
    const first = lines[i]!;
    if (first.slice(indent.length).startsWith('- ') || first.slice(indent.length) === '-') {
      const out: unknown[] = [];
      while (i < lines.length && indentOf(lines[i]!) === indent.length && lines[i]!.slice(indent.length).startsWith('-')) {
        const rest = lines[i]!.slice(indent.length + 1).trimStart();
        if (rest === '') {
          i++;
          out.push(block(`${indent}  `));
        } else if (/^("(?:[^"\\]|\\.)*"|[A-Za-z_/][^ ]*?):( |$)/.test(rest)) {
          lines[i] = `${indent}  ${rest}`; // continue as a mapping at the item's indent
          out.push(block(`${indent}  `));
        } else {
          out.push(scalar(rest));
          i++;
        }
      }
      return out;
    }
    const out: Record<string, unknown> = {};
    while (i < lines.length && indentOf(lines[i]!) === indent.length && !lines[i]!.slice(indent.length).startsWith('- ')) {
      const [k, v] = splitKey(lines[i]!.slice(indent.length));
      i++;
      out[k] = v === '' ? block(`${indent}  `) : scalar(v);
    }
    return out;
  }
  return block('');
}

