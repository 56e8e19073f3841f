import { describe, expect, it } from 'vitest';
import type { DiscoveredFunction } from '../discover.js';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { azureFiles } from '../emit/azure.js';
import { hasBash, runWithStubs } from '../emit/shell-stub.testing.js';
import { gcpFiles } from '../emit/gcp.js';
import { shellComment } from '../emit/types.js';
import { validate } from '../validate.js';

const fn = (kind: DiscoveredFunction['kind'], options: object, name = 'onJob'): DiscoveredFunction =>
  ({ name, kind, options, file: 'src/jobs.ts', line: 3, column: 14, exportName: name }) as DiscoveredFunction;
const problems = (f: DiscoveredFunction, providers: ('aws' | 'azure' | 'gcp')[] = ['aws', 'azure', 'gcp']) =>
  validate([f], providers).map((p) => p.message);

describe('trigger names are checked at build time against each provider\'s rule, which the error quotes', () => {
  it('"q1" is too short for an Azure Storage queue and a Pub/Sub topic, fine on SQS', () => {
    const found = problems(fn('queue', { queue: 'q1' }));
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^azure: queue: Storage queue name "q1" has 2 characters; it must have 3 to 56 .*learn\.microsoft\.com/);
    expect(found[1]).toMatch(/^gcp: queue: Pub\/Sub topic name "q1" has 2 characters; .*starting with a letter/);
    expect(problems(fn('queue', { queue: 'q1' }), ['aws'])).toEqual([]);
  });

  it('"UP_LOAD" is no bucket name on S3, Azure or Cloud Storage (lower-case only)', () => {
    const found = problems(fn('storage', { bucket: 'UP_LOAD' }));
    expect(found.map((m) => m.split(':')[0])).toEqual(['aws', 'azure', 'gcp']);
    expect(found[0]).toContain('lower-case letters, digits, "." and "-"');
    expect(found[0]).toContain('docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html');
  });

  it('"my jobs" is refused everywhere (a space)', () => {
    expect(problems(fn('queue', { queue: 'my jobs' })).map((m) => m.split(':')[0])).toEqual(['aws', 'azure', 'gcp']);
    expect(problems(fn('topic', { topic: 'my jobs' })).map((m) => m.split(':')[0])).toEqual(['aws', 'azure', 'gcp']);
  });

  it('a name carrying a shell command ("jobs\\ntouch /tmp/x\\n#") is refused on every provider', () => {
    expect(problems(fn('queue', { queue: 'jobs\ntouch /tmp/x\n#' })).map((m) => m.split(':')[0])).toEqual(['aws', 'azure', 'gcp']);
  });

  it('room is kept for the suffix faasport adds (Azure "-poison", SQS "-dlq")', () => {
    expect(problems(fn('queue', { queue: 'a'.repeat(57) }), ['azure'])[0]).toMatch(/must have 3 to 56 \(63 less the "-poison"/);
    expect(problems(fn('queue', { queue: 'a'.repeat(56) }), ['azure'])).toEqual([]);
    expect(problems(fn('queue', { queue: 'a'.repeat(77) }), ['aws'])[0]).toMatch(/1 to 76/);
  });

  it('other rules beyond the character set: "goog" prefixes, IP-shaped buckets, "--" in Azure names, Service Bus subscriptions', () => {
    expect(problems(fn('topic', { topic: 'google-events' }), ['gcp'])[0]).toContain('must not start with "goog"');
    expect(problems(fn('storage', { bucket: '192.168.1.1' }), ['aws'])[0]).toContain('not formatted as an IP address');
    expect(problems(fn('queue', { queue: 'a--b' }), ['azure'])[0]).toContain('no two "-" in a row');
    expect(problems(fn('topic', { topic: 'signups', subscription: 'x'.repeat(51) }), ['azure'])[0]).toContain('Service Bus subscription');
  });

  it('the example names build everywhere', () => {
    for (const f of [fn('queue', { queue: 'orders' }), fn('topic', { topic: 'signups' }), fn('storage', { bucket: 'uploads' })]) expect(problems(f)).toEqual([]);
  });
});

describe('deploy.sh comment lines cannot run what a name carries', () => {
  it('shellComment writes line breaks and control characters as visible escapes', () => {
    expect(shellComment('jobs\ntouch /tmp/x\n#')).toBe('jobs\\ntouch /tmp/x\\n#');
    expect(shellComment('a\rb\u001bc')).toBe('a\\rb\\x1bc');
  });

  it.skipIf(!hasBash)('Azure and GCP deploy.sh built from a name with a newline run no hidden command (run with stub CLIs)', () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'faasport-inject-')), 'ran');
    const name = `jobs\ntouch ${marker}\n#`;
    const input = { functions: [fn('queue', { queue: name })], appName: 'app', versions: { azureFunctions: '^4', functionsFramework: '^5' }, runtime: 'node24' as const };
    const env = { RESOURCE_GROUP: 'rg', FUNCTION_APP: 'app', STORAGE_ACCOUNT: 'acct' };
    for (const files of [azureFiles(input), gcpFiles(input)]) {
      const script = files.find((f) => f.path === 'deploy.sh')!.contents;
      runWithStubs(script, env);
      expect(existsSync(marker)).toBe(false);
    }
  });
});
