import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../core/types.js';
import { CodegenError } from './errors.js';
import { checkRuntime, parseRuntime, platformRuntime, RETIRED_RUNTIME_TABLES, RUNTIME_TABLES } from './runtime.js';

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe('runtimes', () => {
  it('maps node24 to each platform id: nodejs24.x, Node 24 on Azure, nodejs24', () => {
    expect(PROVIDERS.map((p) => platformRuntime(p, 'node24').id)).toEqual(['nodejs24.x', '24', 'nodejs24']);
    expect(PROVIDERS.map((p) => platformRuntime(p, 'node22').id)).toEqual(['nodejs22.x', '22', 'nodejs22']);
  });

  it('every table row names its source and a valid end-of-support date', () => {
    for (const rows of Object.values(RUNTIME_TABLES)) {
      for (const row of rows) {
        expect(row.source).toMatch(/^https:\/\//);
        expect(Number.isNaN(Date.parse(row.endOfSupport))).toBe(false);
      }
    }
  });

  it('accepts a supported runtime silently', () => {
    expect(checkRuntime('node24', PROVIDERS, day('2026-12-02'))).toEqual([]);
    expect(checkRuntime('node22', PROVIDERS, day('2026-12-02'))).toEqual([]);
  });

  it('warns when a platform ends support within 90 days', () => {
    const warnings = checkRuntime('node22', ['aws', 'gcp'], day('2027-03-01'));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^aws ends support for nodejs22\.x on 2027-04-30, in 60 days/);
  });

  it('refuses a runtime past end of support with the date and the fix', () => {
    let error: unknown;
    try {
      checkRuntime('node22', ['aws'], day('2027-05-01'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CodegenError);
    expect((error as Error).message).toMatch(/aws ended support for nodejs22\.x on 2027-04-30 .*; build with --runtime node24/);
  });

  it('says to update faasport when no known runtime is still supported', () => {
    expect(() => checkRuntime('node24', ['gcp'], day('2028-05-01'))).toThrow(/update faasport/);
  });

  it('rejects a runtime faasport does not build for, naming the choices', () => {
    expect(() => parseRuntime('node19')).toThrow('--runtime "node19" is not a runtime faasport builds for; use node22 or node24');
    expect(parseRuntime('node22')).toBe('node22');
  });

  it('answers node20 with each platform\'s end-of-support date, its source and the fix', () => {
    let message = '';
    try {
      parseRuntime('node20');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('aws nodejs20.x deprecated on 2026-04-30');
    expect(message).toContain('gcp nodejs20 decommissioned on 2026-10-30');
    expect(message).toContain('azure Node 20 support ended on 2026-04-30');
    expect(message).toContain('docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html');
    expect(message).toMatch(/Build with --runtime node24 \(or runtime: 'node24' in faasport\.config\.ts\)$/);
  });

  it('every retired runtime row names its source', () => {
    for (const rows of Object.values(RETIRED_RUNTIME_TABLES)) for (const row of rows) expect(row.source).toMatch(/^https:\/\//);
  });
});
