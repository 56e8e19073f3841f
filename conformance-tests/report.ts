import pc from 'picocolors';
import type { NodeRuntime, Provider } from '../core/types.js';

export interface CaseResult {
  readonly name: string;
  readonly provider: Provider;
  readonly passed: boolean;
  readonly ms: number;
  readonly error?: string;
}

/** A table with one row per case and one column per provider, then the totals. */
export function formatTable(results: readonly CaseResult[], providers: readonly Provider[]): string {
  const names = [...new Set(results.map((r) => r.name))];
  const width = Math.max(4, ...names.map((n) => n.length));
  const cell = (r: CaseResult | undefined) => (!r ? pc.dim(' -  ') : r.passed ? pc.green('pass') : pc.red('FAIL'));
  const lines = [`${'case'.padEnd(width)}  ${providers.map((p) => p.padEnd(5)).join(' ')}`];
  for (const name of names) {
    const row = providers.map((p) => cell(results.find((r) => r.name === name && r.provider === p)).padEnd(5));
    lines.push(`${name.padEnd(width)}  ${row.join('  ')}`);
  }
  const totals = providers.map((p) => {
    const mine = results.filter((r) => r.provider === p);
    return `${p} ${mine.filter((r) => r.passed).length}/${mine.length}`;
  });
  lines.push(`${'passed'.padEnd(width)}  ${totals.join('  ')}`);
  const failures = results.filter((r) => !r.passed);
  for (const f of failures) lines.push(pc.red(`  ✗ [${f.provider}] ${f.name}: ${f.error ?? 'failed'}`));
  return lines.join('\n');
}

/** Which Node ran the cases, and which runtime the deployed manifests target: they may differ. */
export const runtimeLine = (runtime: NodeRuntime, node = process.version): string => `cases ran on Node ${node}; the manifests target ${runtime}`;
