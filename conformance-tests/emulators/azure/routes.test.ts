import { describe, expect, it } from 'vitest';
import { buildRoutes, matchTemplate, parseTemplate, RouteTemplateError, selectRoute } from './routes.js';

const ALL = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

describe('route templates', () => {
  it('matches literals case-insensitively and decodes params except %2F', () => {
    expect(matchTemplate(parseTemplate('items/{id}'), '/ITEMS/a%20b')).toEqual({ id: 'a b' });
    expect(matchTemplate(parseTemplate('items/{id}'), '/items/a%2Fb')).toEqual({ id: 'a%2Fb' });
    expect(matchTemplate(parseTemplate('items/{id}'), '/items/1/')).toEqual({ id: '1' });
    expect(matchTemplate(parseTemplate('items/{id}'), '/items')).toBeUndefined();
    expect(matchTemplate(parseTemplate('items/{id}'), '/items/1/2')).toBeUndefined();
  });

  it('gives a catch-all the decoded rest, and matches it empty', () => {
    expect(matchTemplate(parseTemplate('files/{*path}'), '/files/a/caf%C3%A9')).toEqual({ path: 'a/café' });
    expect(matchTemplate(parseTemplate('files/{*path}'), '/files')).toEqual({});
    expect(matchTemplate(parseTemplate('{*path}'), '/')).toEqual({});
  });

  it('matches the faasport root template on "/" only', () => {
    const root = parseTemplate('{faasport_root:regex(^$)?}');
    expect(matchTemplate(root, '/')).toEqual({});
    expect(matchTemplate(root, '/x')).toBeUndefined();
  });

  it('refuses template syntax it does not implement', () => {
    expect(() => parseTemplate('items/{id:int}')).toThrow(RouteTemplateError);
    expect(() => parseTemplate('items/x{id}')).toThrow(RouteTemplateError);
  });
});

describe('host route selection', () => {
  const routes = buildRoutes(
    [
      { target: 'catchAll', functionName: 'catchAll', route: '{*path}', methods: ALL },
      { target: 'getItem', functionName: 'getItem', route: 'items/{id}', methods: ['GET', 'HEAD'] },
      { target: 'newItem', functionName: 'newItem', route: 'items/new', methods: ALL },
      { target: 'named', functionName: 'named', route: undefined, methods: ['GET', 'POST'] },
    ],
    '',
  );

  it('prefers literals over params over catch-alls', () => {
    expect(selectRoute(routes, 'GET', '/items/new')?.route.target).toBe('newItem');
    expect(selectRoute(routes, 'GET', '/items/7')?.route.target).toBe('getItem');
    expect(selectRoute(routes, 'GET', '/other/thing')?.route.target).toBe('catchAll');
  });

  it('skips a route whose methods lack the request method', () => {
    expect(selectRoute(routes, 'DELETE', '/items/7')?.route.target).toBe('catchAll');
    const only = buildRoutes([{ target: 'getItem', functionName: 'getItem', route: 'items/{id}', methods: ['GET'] }], '');
    expect(selectRoute(only, 'DELETE', '/items/7')).toBeUndefined();
  });

  it('routes a function without a route at its name, behind the prefix', () => {
    expect(selectRoute(routes, 'GET', '/named')?.route.target).toBe('named');
    const prefixed = buildRoutes([{ target: 'x', functionName: 'x', route: 'items/{id}', methods: ALL }], 'api');
    expect(selectRoute(prefixed, 'GET', '/api/items/1')?.params).toEqual({ id: '1' });
    expect(selectRoute(prefixed, 'GET', '/items/1')).toBeUndefined();
  });
});
