import { describe, expect, it } from 'vitest';
import { http } from '../../core/define.js';
import { azureMethods, httpFunctionOptions, register } from './register.js';

describe('httpFunctionOptions', () => {
  const fn = http({ route: '/items/:id', methods: ['GET'] }, () => new Response('ok'));

  it('lets every method through by default so that faasport answers 405 itself', () => {
    const options = httpFunctionOptions('getItem', fn);
    expect(options.route).toBe('items/{id}');
    expect(options.methods).toEqual(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
    expect(options.authLevel).toBe('anonymous');
    expect(typeof options.handler).toBe('function');
  });

  it('uses the declared methods when codegen passes them, with HEAD next to GET', () => {
    expect(httpFunctionOptions('getItem', fn, { methods: ['GET'] }).methods).toEqual(['GET', 'HEAD']);
    expect(azureMethods(['POST', 'PUT'])).toEqual(['POST', 'PUT']);
    expect(azureMethods('any')).toHaveLength(7);
  });

  it('takes the auth level from the function', () => {
    const secured = http({ route: '/admin', authLevel: 'function' }, () => new Response('ok'));
    expect(httpFunctionOptions('admin', secured).authLevel).toBe('function');
  });
});

describe('register', () => {
  const fn = http({ route: '/x' }, () => new Response('ok'));

  it('rejects a name Azure does not accept', () => {
    expect(() => register('1bad', fn)).toThrow(/not valid on Azure/);
    expect(() => register('has space', fn)).toThrow(/not valid on Azure/);
  });

  it('rejects a storage function whose "-deleted" companion name would be too long', () => {
    const fn = { kind: 'storage', options: { bucket: 'b', events: ['deleted'] }, handler: async () => {} } as const;
    expect(() => register(`a${'b'.repeat(120)}`, fn)).toThrow(/derived from/);
  });
});
