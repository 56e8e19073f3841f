import { describe, expect, it } from 'vitest';
import { compileRoute, parseRoute, RouteError } from './route.js';

describe('route patterns', () => {
  it('matches a named parameter and decodes it', () => {
    expect(compileRoute('/items/:id').match('/items/caf%C3%A9')).toEqual({ id: 'café' });
  });
  it('does not match a parameter against an empty segment', () => {
    expect(compileRoute('/items/:id').match('/items/')).toBeUndefined();
  });
  it('keeps an encoded slash inside one parameter', () => {
    expect(compileRoute('/items/:id').match('/items/a%2Fb')).toEqual({ id: 'a/b' });
  });
  it('leaves malformed escapes as sent', () => {
    expect(compileRoute('/items/:id').match('/items/100%')).toEqual({ id: '100%' });
  });
  it('wildcard takes the rest, including nothing', () => {
    const route = compileRoute('/files/*');
    expect(route.match('/files/a/b%20c.txt')).toEqual({ '*': 'a/b c.txt' });
    expect(route.match('/files')).toEqual({ '*': '' });
    expect(route.match('/other')).toBeUndefined();
  });
  it('root wildcard matches every path', () => {
    expect(compileRoute('/*').match('/')).toEqual({ '*': '' });
    expect(compileRoute('/*').match('/a/b')).toEqual({ '*': 'a/b' });
  });
  it('literal segments compare decoded', () => {
    expect(compileRoute('/café').match('/caf%C3%A9')).toEqual({});
  });
  it('root matches only root', () => {
    expect(compileRoute('/').match('/')).toEqual({});
    expect(compileRoute('/').match('/x')).toBeUndefined();
  });
  it.each(['items', '/a/*/b', '/a/:', '/a/:id/:id', '/a//b', '/a/{id}'])('rejects %s with a clear error', (pattern) => {
    expect(() => parseRoute(pattern)).toThrow(RouteError);
  });
});
