import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Provider } from '../core/types.js';
import { compareProviders } from './compare.js';
import { DIFFERENCES_SECTION, DOCUMENTED_DIFFERENCES, type DocumentedDifference } from './differences.js';
import { formatTable, judge, toJUnit, verdictsPass, type CaseResult } from './report.js';

const obs = (entries: Record<string, string>) => new Map(Object.entries(entries));
const three = (a: Record<string, string>, b: Record<string, string>, c: Record<string, string>) =>
  new Map<Provider, Map<string, string>>([
    ['aws', obs(a)],
    ['azure', obs(b)],
    ['gcp', obs(c)],
  ]);

const azure404: DocumentedDifference = {
  readme: 'Unknown paths on Azure get the host\'s empty 404',
  reason: 'test',
  providers: ['azure'],
  keys: /→ body$/,
  cases: ['404'],
};

describe('compareProviders', () => {
  it('finds nothing when every provider answered the same', () => {
    expect(compareProviders('c', three({ k: '1' }, { k: '1' }, { k: '1' }), [])).toEqual([]);
  });

  it('names the odd one out of an undocumented difference', () => {
    const [d] = compareProviders('c', three({ 'GET / → body': 'a' }, { 'GET / → body': 'a' }, { 'GET / → body': 'b' }), []);
    expect(d).toMatchObject({ key: 'GET / → body', differing: ['gcp'], documentedBy: [] });
  });

  it('names every provider when no two agree', () => {
    const [d] = compareProviders('c', three({ k: '1' }, { k: '2' }, { k: '3' }), []);
    expect(d!.differing).toEqual(['aws', 'azure', 'gcp']);
  });

  it('counts a key one provider lacks as a difference', () => {
    const [d] = compareProviders('c', three({ k: '1', extra: 'x' }, { k: '1' }, { k: '1' }), []);
    expect(d).toMatchObject({ key: 'extra', differing: ['aws'], values: { azure: '(absent)' } });
  });

  it('lets a documented difference excuse only the providers it names', () => {
    const [d] = compareProviders('404', three({ 'x → body': 'json' }, { 'x → body': 'empty' }, { 'x → body': 'json' }), [azure404]);
    expect(d).toMatchObject({ differing: ['azure'], documentedBy: [azure404] });
    const [e] = compareProviders('404', three({ 'x → body': 'json' }, { 'x → body': 'empty' }, { 'x → body': 'other' }), [azure404]);
    expect(e).toMatchObject({ documentedBy: [] });
  });

  it('applies a difference to its own cases and keys only', () => {
    expect(compareProviders('another case', three({ 'x → body': 'a' }, { 'x → body': 'b' }, { 'x → body': 'a' }), [azure404])[0]!.documentedBy).toEqual([]);
    expect(compareProviders('404', three({ 'x → status': '1' }, { 'x → status': '2' }, { 'x → status': '1' }), [azure404])[0]!.documentedBy).toEqual([]);
  });
});

describe('judge and the table', () => {
  const result = (provider: Provider, observations: Record<string, string>, extra: Partial<CaseResult> = {}): CaseResult => ({
    name: '404',
    provider,
    passed: true,
    ms: 1,
    observations: obs(observations),
    ...extra,
  });

  it('fails the run on an undocumented difference although every assertion passed', () => {
    const results = [result('aws', { 'x → body': 'a' }), result('azure', { 'x → body': 'b' }), result('gcp', { 'x → body': 'a' })];
    const verdicts = judge(results, ['aws', 'azure', 'gcp'], []);
    expect(verdicts[0]!.cells).toEqual({ aws: 'pass', azure: 'differs (undocumented)', gcp: 'pass' });
    expect(verdictsPass(verdicts)).toBe(false);
    expect(formatTable(results, ['aws', 'azure', 'gcp'], verdicts)).toContain('x → body differs on azure');
  });

  it('shows a documented difference with the README line it refers to', () => {
    const results = [result('aws', { 'x → body': 'a' }), result('azure', { 'x → body': 'b' }), result('gcp', { 'x → body': 'a' })];
    const verdicts = judge(results, ['aws', 'azure', 'gcp'], [azure404]);
    expect(verdictsPass(verdicts)).toBe(true);
    const table = formatTable(results, ['aws', 'azure', 'gcp'], verdicts);
    expect(table).toContain('differs (documented) [1]');
    expect(table).toContain(`[1] README "${DIFFERENCES_SECTION}": Unknown paths on Azure get the host's empty 404`);
  });

  it('shows n/a, and leaves failed runs out of the comparison', () => {
    const results = [
      result('aws', { k: '1' }),
      result('azure', {}, { passed: false, error: 'boom', failure: { message: 'boom', expected: '1', actual: '2' }, observations: undefined }),
      result('gcp', {}, { notApplicable: 'no such trigger on GCP', observations: undefined }),
    ];
    const verdicts = judge(results, ['aws', 'azure', 'gcp'], []);
    expect(verdicts[0]!.cells).toEqual({ aws: 'pass', azure: 'FAIL', gcp: 'n/a' });
    const table = formatTable(results, ['aws', 'azure', 'gcp'], verdicts);
    expect(table).toContain('expected: 1');
    expect(table).toContain('actual:   2');
    expect(table).toContain('n/a [gcp] 404: no such trigger on GCP');
  });

  it('writes JUnit XML with failures, skips and the providers-agree suite', () => {
    const results = [
      result('aws', { k: '1' }),
      result('azure', { k: '2' }, { passed: false, error: 'a <b> & "c"', failure: { message: 'a <b> & "c"' } }),
      result('gcp', {}, { notApplicable: 'n/a here', observations: undefined }),
    ];
    const xml = toJUnit(results, ['aws', 'azure', 'gcp'], judge(results, ['aws', 'azure', 'gcp'], []));
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="faasport conformance" tests="4" failures="1"/);
    expect(xml).toContain('<failure message="a &lt;b&gt; &amp; &quot;c&quot;" type="AssertionError">');
    expect(xml).toContain('<skipped message="n/a: n/a here"/>');
    expect(xml).toContain('<testsuite name="conformance providers agree" tests="1" failures="0"');
  });
});

describe('documented differences', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf(`### ${DIFFERENCES_SECTION}`));

  it.each(DOCUMENTED_DIFFERENCES.map((d) => [d.readme, d] as const))('"%s" is a bullet of the README section', (line, d) => {
    expect(section).toContain(`- **${line}**`);
    expect(d.reason.length).toBeGreaterThan(20);
  });
});
