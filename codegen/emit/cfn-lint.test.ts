/**
 * AWS's own validator on every generated SAM template: cfn-lint (with aws-sam-translator, so the real SAM
 * transform runs) must report no error and no warning for the example apps and the test apps.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../build.js';
import type { DiscoveredFunction } from '../discover.js';
import { awsFiles } from './aws.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
/** Apps whose AWS output is deployed or tested: the example, the conformance fixture app and codegen's fixtures. */
const APPS = ['examples/shop', 'conformance-tests/fixture-app', 'codegen/fixtures/all-kinds', 'codegen/fixtures/app', 'codegen/fixtures/settings'] as const;

const CFN_LINT_MISSING =
  'cfn-lint is not installed: install it with `pip install cfn-lint` (it brings aws-sam-translator, which runs the SAM transform), then run the tests again';

function cfnLint(files: readonly string[]): { status: number | null; output: string; missing: boolean } {
  const result = spawnSync('cfn-lint', ['--format', 'parseable', '--', ...files], { encoding: 'utf8' });
  const missing = (result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim(), missing };
}

describe('cfn-lint on generated SAM templates', () => {
  const out = mkdtempSync(join(tmpdir(), 'faasport-cfn-lint-'));
  const templates: string[] = [];
  beforeAll(async () => {
    for (const [index, app] of APPS.entries()) {
      const dir = join(out, String(index));
      await build({ cwd: repo, entries: [app], providers: ['aws'], outDir: dir, force: true });
      templates.push(join(dir, 'aws', 'template.yaml'));
    }
  }, 180_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('cfn-lint is installed (pip install cfn-lint)', () => {
    const version = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
    if ((version.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') throw new Error(CFN_LINT_MISSING);
    expect(version.stdout).toMatch(/^cfn-lint \d+\./);
  });

  it('passes every template with no error and no warning', () => {
    const result = cfnLint(templates);
    if (result.missing) throw new Error(CFN_LINT_MISSING);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  }, 120_000);

  it("passes functions named like their queue or topic: SAM's own ids for their events stay free", () => {
    const fn = (name: string, kind: DiscoveredFunction['kind'], options: object) =>
      ({ file: 'src/app.ts', line: 1, column: 1, name, exportName: name, kind, options }) as DiscoveredFunction;
    const files = awsFiles({
      functions: [
        // SAM names the event source mapping of onceMore's event "Queue" OnceMoreQueue: the queue must not be.
        fn('onceMore', 'queue', { queue: 'once-more' }),
        fn('signups', 'topic', { topic: 'signups' }),
        fn('nightly', 'schedule', { cron: '0 3 * * *' }),
      ],
      appName: 'ids',
      versions: { azureFunctions: '^4.16.5', functionsFramework: '^5.0.5' },
      runtime: 'node24',
    });
    const file = join(out, 'ids.yaml');
    writeFileSync(file, files.find((f) => f.path === 'template.yaml')!.contents);
    expect(files.find((f) => f.path === 'template.yaml')!.contents).not.toMatch(/^ {2}OnceMoreQueue:/m);
    const result = cfnLint([file]);
    if (result.missing) throw new Error(CFN_LINT_MISSING);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  }, 60_000);

  it('is the real linter: a nodejs20.x function is an error (E2533), as AWS deprecated it on 2026-04-30', () => {
    const template = readFileSync(templates[0]!, 'utf8').replace(/Runtime: nodejs24\.x/, 'Runtime: nodejs20.x');
    const file = join(out, 'nodejs20.yaml');
    writeFileSync(file, template);
    const result = cfnLint([file]);
    if (result.missing) throw new Error(CFN_LINT_MISSING);
    expect(result.output).toMatch(/E2533/);
    expect(result.status).not.toBe(0);
  }, 60_000);
});
