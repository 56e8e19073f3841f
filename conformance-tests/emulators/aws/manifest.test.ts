import { describe, expect, it } from 'vitest';
import { LAMBDA_DEFAULT_SETTINGS, functionEnvironment, isHttpFunction, parseManifest, UNRESOLVED_SECRET_PREFIX } from './manifest.js';

const entry = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  kind: 'http',
  options: { route: '/items/:id', methods: ['GET'] },
  export: name,
  source: 'src/api.ts',
  entry: `${name}/index.mjs`,
  handler: `${name}/index.handler`,
  ...extra,
});

describe('parseManifest', () => {
  it('reads http and other functions', () => {
    const manifest = parseManifest({
      provider: 'aws',
      functions: [entry('getItem'), entry('onOrder', { kind: 'queue', options: { queue: 'orders' } })],
    });
    const [http, queue] = manifest.functions;
    expect(http && isHttpFunction(http) && http.route).toBe('/items/:id');
    expect(http && isHttpFunction(http) && http.methods).toEqual(['GET']);
    expect(queue?.kind).toBe('queue');
    expect(queue && isHttpFunction(queue)).toBe(false);
  });

  it('treats an empty methods list as every method', () => {
    const [fn] = parseManifest({ functions: [entry('a', { options: { route: '/a', methods: [] } })] }).functions;
    expect(fn && isHttpFunction(fn) && fn.methods).toBeUndefined();
  });

  it('names what is wrong', () => {
    expect(() => parseManifest({ provider: 'gcp', functions: [] })).toThrow(/needs an output built with --provider aws/);
    expect(() => parseManifest({ functions: [entry('a'), entry('a')] })).toThrow(/"a" appears twice/);
    expect(() => parseManifest({ functions: [entry('a', { handler: 'nodot' })] })).toThrow(/functions\[0\]\.handler/);
    expect(() => parseManifest({ functions: [entry('a', { options: { route: 'items' } })] })).toThrow(/route must be a path/);
    expect(() => parseManifest({ functions: [entry('a', { options: { route: '/a', methods: ['FETCH'] } })] })).toThrow(
      /options\.methods/,
    );
    expect(() => parseManifest({ functions: [entry('a', { kind: 'cron' })] })).toThrow(/kind must be one of/);
  });

  it('reads the deployed settings, the code folder and the runtime id', () => {
    const settings = { timeout: 45, memory: 1024, environment: { MODE: 'x', TOKEN: { secret: 'tok' } } };
    const manifest = parseManifest({ runtime: { node: 'node22', id: 'nodejs22.x' }, functions: [entry('getItem', { settings })] });
    expect(manifest.runtimeId).toBe('nodejs22.x');
    expect(manifest.functions[0]).toMatchObject({
      codeDir: 'getItem',
      codeHandler: 'index.handler',
      settings: { timeoutSeconds: 45, memoryMb: 1024, environment: settings.environment },
    });
  });

  it("falls back to Lambda's own defaults and faasport's default runtime for a hand-written manifest", () => {
    const manifest = parseManifest({ functions: [entry('a')] });
    expect(manifest.functions[0]!.settings).toEqual(LAMBDA_DEFAULT_SETTINGS);
    expect(manifest.runtimeId).toBe('nodejs24.x');
  });

  it('names what is wrong with settings', () => {
    expect(() => parseManifest({ functions: [entry('a', { settings: { timeout: 1.5, memory: 128 } })] })).toThrow(/settings\.timeout must be a whole number of seconds/);
    expect(() => parseManifest({ functions: [entry('a', { settings: { timeout: 3, memory: '128' } })] })).toThrow(/settings\.memory/);
    expect(() => parseManifest({ functions: [entry('a', { settings: { timeout: 3, memory: 128, environment: { A: 1 } } })] })).toThrow(
      /settings\.environment\.A must be a string or \{ secret/,
    );
    expect(() => parseManifest({ runtime: { id: 'python3.12' }, functions: [] })).toThrow(/runtime\.id must be a Lambda Node\.js runtime id/);
  });
});

describe('functionEnvironment', () => {
  it('keeps plain values and names each secret in a placeholder', () => {
    expect(functionEnvironment({ A: '1', S: { secret: 'db' }, V: { secret: 'db', version: '3' } })).toEqual({
      A: '1',
      S: `${UNRESOLVED_SECRET_PREFIX}db`,
      V: `${UNRESOLVED_SECRET_PREFIX}db:3`,
    });
  });
});
