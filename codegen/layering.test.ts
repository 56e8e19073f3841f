import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : sources(join(dir, e.name));
    return e.name.endsWith('.ts') ? [join(dir, e.name)] : [];
  });
}

describe('codegen is the build library alone', () => {
  it('imports nothing from the CLI or the conformance suite (the arrows run cli -> codegen, conformance-tests -> codegen)', () => {
    const offenders = sources(here).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*['"]([^'"]+)['"]/g)]
        .map((m) => m[1]!)
        .filter((spec) => /^(\.\.\/)+(cli|conformance-tests)\//.test(spec))
        .map((spec) => `${relative(here, file)} -> ${spec}`),
    );
    expect(offenders).toEqual([]);
  });
});
