import pc from 'picocolors';
import type { NodeRuntime, Provider } from '../core/types.js';
import { compareProviders, type KeyDifference } from './compare.js';
import { DIFFERENCES_SECTION, type DocumentedDifference } from './differences.js';
import { formatFailure, type FailureDetail } from './failure.js';
import type { Observations } from './observations.js';

/** Which Node ran the cases, and which runtime the deployed manifests target: they may differ. */
export const runtimeLine = (runtime: NodeRuntime, node = process.version): string => `cases ran on Node ${node}; the manifests target ${runtime}`;

export interface CaseResult {
  readonly name: string;
  readonly provider: Provider;
  readonly passed: boolean;
  readonly ms: number;
  /** The failure's message (first line of `failure`), kept for one-line displays. */
  readonly error?: string;
  /** What went wrong: message, expected, actual, diff. */
  readonly failure?: FailureDetail;
  /** Set when the case does not apply to this provider (then `passed` is true and nothing ran). */
  readonly notApplicable?: string;
  /** What the provider answered, for the comparison between providers. */
  readonly observations?: Observations;
}

export const CELLS = ['pass', 'differs (documented)', 'n/a', 'FAIL', 'differs (undocumented)'] as const;
export type Cell = (typeof CELLS)[number];

/** One case across providers: each provider's cell and what differed between them. */
export interface CaseVerdict {
  readonly name: string;
  readonly cells: Readonly<Partial<Record<Provider, Cell>>>;
  readonly differences: readonly KeyDifference[];
}

/** Compares providers case by case. A provider whose run of the case failed or did not apply is left out. */
export function judge(results: readonly CaseResult[], providers: readonly Provider[], documented: readonly DocumentedDifference[]): CaseVerdict[] {
  const names = [...new Set(results.map((r) => r.name))];
  return names.map((name) => {
    const mine = results.filter((r) => r.name === name);
    const observed = new Map<Provider, Observations>();
    for (const r of mine) if (r.passed && !r.notApplicable && r.observations) observed.set(r.provider, r.observations);
    const differences = compareProviders(name, observed, documented);
    const cells: Partial<Record<Provider, Cell>> = {};
    for (const p of providers) {
      const r = mine.find((x) => x.provider === p);
      if (!r) continue;
      const odd = differences.filter((d) => d.differing.includes(p));
      cells[p] = r.notApplicable
        ? 'n/a'
        : !r.passed
          ? 'FAIL'
          : odd.some((d) => d.documentedBy.length === 0)
            ? 'differs (undocumented)'
            : odd.length > 0
              ? 'differs (documented)'
              : 'pass';
    }
    return { name, cells, differences };
  });
}

export const verdictsPass = (verdicts: readonly CaseVerdict[]): boolean =>
  verdicts.every((v) => Object.values(v.cells).every((c) => c === 'pass' || c === 'n/a' || c === 'differs (documented)'));

const paint: Record<Cell, (s: string) => string> = {
  pass: pc.green,
  'differs (documented)': pc.yellow,
  'n/a': pc.dim,
  FAIL: pc.red,
  'differs (undocumented)': pc.red,
};

/**
 * The table: one row per case, one column per provider, each cell pass / differs (documented) [n] / n/a /
 * FAIL / differs (undocumented); the README lines [n] refers to; then every failure and undocumented
 * difference with its values.
 */
export function formatTable(
  results: readonly CaseResult[],
  providers: readonly Provider[],
  verdicts: readonly CaseVerdict[] = judge(results, providers, []),
): string {
  const notes: DocumentedDifference[] = [];
  const noteOf = (d: DocumentedDifference) => {
    if (!notes.includes(d)) notes.push(d);
    return notes.indexOf(d) + 1;
  };
  const text = (v: CaseVerdict, p: Provider): string => {
    const cell = v.cells[p];
    if (!cell) return '-';
    if (cell !== 'differs (documented)') return cell;
    const refs = [...new Set(v.differences.filter((d) => d.differing.includes(p)).flatMap((d) => d.documentedBy.map(noteOf)))];
    return `differs (documented) [${refs.join(',')}]`;
  };
  const rows = verdicts.map((v) => ({ v, cells: providers.map((p) => text(v, p)) }));
  const nameWidth = Math.max(4, ...verdicts.map((v) => v.name.length));
  const widths = providers.map((p, i) => Math.max(p.length, ...rows.map((r) => r.cells[i]!.length)));
  const lines = [`${'case'.padEnd(nameWidth)}  ${providers.map((p, i) => p.padEnd(widths[i]!)).join('  ')}`];
  for (const { v, cells } of rows) {
    const shown = cells.map((c, i) => {
      const cell = v.cells[providers[i]!];
      const padded = c.padEnd(widths[i]!);
      return cell ? paint[cell](padded) : pc.dim(padded);
    });
    lines.push(`${v.name.padEnd(nameWidth)}  ${shown.join('  ')}`);
  }
  const totals = providers.map((p) => {
    const cells = verdicts.map((v) => v.cells[p]).filter((c) => c !== undefined && c !== 'n/a');
    const ok = cells.filter((c) => c === 'pass' || c === 'differs (documented)').length;
    return `${p} ${ok}/${cells.length}`;
  });
  lines.push(`${'passed'.padEnd(nameWidth)}  ${totals.join('  ')}`);
  notes.forEach((d, i) => lines.push(pc.yellow(`  [${i + 1}] README "${DIFFERENCES_SECTION}": ${d.readme}`)));
  for (const r of results) {
    if (r.notApplicable) lines.push(pc.dim(`  n/a [${r.provider}] ${r.name}: ${r.notApplicable}`));
  }
  for (const r of results) {
    if (!r.passed) lines.push(pc.red(`  ✗ [${r.provider}] ${r.name}: ${r.failure ? formatFailure(r.failure) : (r.error ?? 'failed')}`));
  }
  for (const v of verdicts) {
    for (const d of v.differences) {
      if (d.documentedBy.length === 0) lines.push(pc.red(`  ≠ ${v.name}: ${describeDifference(d)}`));
    }
  }
  return lines.join('\n');
}

export function describeDifference(d: KeyDifference): string {
  const values = Object.entries(d.values).map(([p, v]) => `      ${p}: ${v}`);
  return [`${d.key} differs on ${d.differing.join(', ')} and no documented difference covers it`, ...values].join('\n');
}

const xml = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
    // XML 1.0 has no escape for most control characters: drop them (ANSI colours included).
    .replace(/\x1b\[[0-9;]*m/g, '')
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '');

/**
 * JUnit XML as CI systems read it (Jenkins, GitLab, GitHub test reporters): one <testsuite> per provider, one
 * <testcase> per case (classname = provider), <failure> with expected/actual, <skipped> for n/a; and a suite
 * "providers agree" with one test per case whose providers differ without a documented reason.
 */
export function toJUnit(results: readonly CaseResult[], providers: readonly Provider[], verdicts: readonly CaseVerdict[]): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const p of providers) {
    const mine = results.filter((r) => r.provider === p);
    const failed = mine.filter((r) => !r.passed).length;
    const skipped = mine.filter((r) => r.notApplicable).length;
    const seconds = mine.reduce((s, r) => s + r.ms, 0) / 1000;
    tests += mine.length;
    failures += failed;
    suites.push(`  <testsuite name="conformance ${xml(p)}" tests="${mine.length}" failures="${failed}" errors="0" skipped="${skipped}" time="${seconds.toFixed(3)}">`);
    for (const r of mine) {
      const open = `    <testcase classname="${xml(p)}" name="${xml(r.name)}" time="${(r.ms / 1000).toFixed(3)}"`;
      if (r.notApplicable) suites.push(`${open}><skipped message="${xml(`n/a: ${r.notApplicable}`)}"/></testcase>`);
      else if (!r.passed) {
        const detail = r.failure ? formatFailure(r.failure, '') : (r.error ?? 'failed');
        suites.push(`${open}><failure message="${xml(r.failure?.message ?? r.error ?? 'failed')}" type="AssertionError">${xml(detail)}</failure></testcase>`);
      } else suites.push(`${open}/>`);
    }
    suites.push('  </testsuite>');
  }
  const agree = verdicts.map((v) => ({ v, undocumented: v.differences.filter((d) => d.documentedBy.length === 0) }));
  const disagreeing = agree.filter((a) => a.undocumented.length > 0).length;
  tests += agree.length;
  failures += disagreeing;
  suites.push(`  <testsuite name="conformance providers agree" tests="${agree.length}" failures="${disagreeing}" errors="0" skipped="0" time="0">`);
  for (const { v, undocumented } of agree) {
    const open = `    <testcase classname="providers agree" name="${xml(v.name)}" time="0"`;
    if (undocumented.length === 0) suites.push(`${open}/>`);
    else {
      const detail = undocumented.map(describeDifference).join('\n');
      suites.push(`${open}><failure message="${xml(`undocumented difference: ${undocumented.map((d) => d.key).join('; ')}`)}" type="UndocumentedDifference">${xml(detail)}</failure></testcase>`);
    }
  }
  suites.push('  </testsuite>');
  out.push(`<testsuites name="faasport conformance" tests="${tests}" failures="${failures}" errors="0">`, ...suites, '</testsuites>', '');
  return out.join('\n');
}
