import { describe, expect, it } from 'vitest';
import { LAMBDA_DEFAULT_SETTINGS, type HttpManifestFunction } from './manifest.js';
import { buildRouteTable, selectRoute, toGatewayPath } from './routes.js';

const fn = (name: string, route: string, methods?: HttpManifestFunction['methods']): HttpManifestFunction => ({
  name,
  kind: 'http',
  options: { route, ...(methods ? { methods } : {}) },
  entry: `${name}/index.mjs`,
  handler: `${name}/index.handler`,
  codeDir: name,
  codeHandler: 'index.handler',
  settings: LAMBDA_DEFAULT_SETTINGS,
  route,
  methods,
  authLevel: 'anonymous',
});

describe('toGatewayPath', () => {
  it('translates params and wildcards to API Gateway syntax', () => {
    expect(toGatewayPath('/items/:id')).toBe('/items/{id}');
    expect(toGatewayPath('/files/*')).toBe('/files/{proxy+}');
    expect(toGatewayPath('/*')).toBe('/{proxy+}');
    expect(toGatewayPath('/')).toBe('/');
    expect(toGatewayPath('/a/:x/b/:y')).toBe('/a/{x}/b/{y}');
  });
});

describe('selectRoute', () => {
  const table = buildRouteTable([
    fn('anything', '/*'),
    fn('files', '/files/*'),
    fn('item', '/items/:id'),
    fn('special', '/items/special'),
  ]);

  it('prefers literal segments over params and params over a greedy wildcard', () => {
    expect(selectRoute(table, 'GET', '/items/special')?.fn.name).toBe('special');
    expect(selectRoute(table, 'GET', '/items/42')).toEqual({
      fn: expect.objectContaining({ name: 'item' }),
      routeKey: 'ANY /items/{id}',
      pathParameters: { id: '42' },
    });
    expect(selectRoute(table, 'GET', '/items/42/more')?.fn.name).toBe('anything');
  });

  it('names the {proxy+} route and its proxy parameter, decoded', () => {
    expect(selectRoute(table, 'PUT', '/files/a/b%20c.txt')).toMatchObject({
      routeKey: 'ANY /files/{proxy+}',
      pathParameters: { proxy: 'a/b c.txt' },
    });
  });

  it('names the base route when a wildcard matches zero segments ({proxy+} needs one)', () => {
    expect(selectRoute(table, 'GET', '/files')).toEqual({
      fn: expect.objectContaining({ name: 'files' }),
      routeKey: 'ANY /files',
      pathParameters: undefined,
    });
    expect(selectRoute(table, 'GET', '/')?.routeKey).toBe('ANY /');
  });

  it('decodes path parameters', () => {
    expect(selectRoute(table, 'GET', '/items/a%2Fb')?.pathParameters).toEqual({ id: 'a/b' });
  });

  it('finds nothing when no route matches', () => {
    expect(selectRoute(buildRouteTable([fn('item', '/items/:id')]), 'GET', '/other')).toBeUndefined();
    expect(selectRoute(buildRouteTable([fn('item', '/items/:id')]), 'GET', '/items/')).toBeUndefined();
  });

  describe('functions sharing one route pattern', () => {
    const shared = buildRouteTable([fn('create', '/items', ['POST']), fn('list', '/items', ['GET'])]);

    it('picks the function that allows the method and keys the route by method', () => {
      expect(selectRoute(shared, 'GET', '/items')).toMatchObject({ fn: { name: 'list' }, routeKey: 'GET /items' });
      expect(selectRoute(shared, 'POST', '/items')).toMatchObject({ fn: { name: 'create' }, routeKey: 'POST /items' });
    });

    it('lets HEAD through where GET is declared', () => {
      expect(selectRoute(shared, 'HEAD', '/items')?.fn.name).toBe('list');
    });

    it('matches no route for a method none of the functions sharing a pattern declares (API Gateway: 404)', () => {
      expect(selectRoute(shared, 'DELETE', '/items')).toBeUndefined();
    });

    it('keeps a more specific route of another function ahead of the shared ones', () => {
      const mixed = buildRouteTable([fn('a', '/:x/b', ['GET']), fn('b', '/a/:y'), fn('c', '/:x/b', ['POST'])]);
      expect(selectRoute(mixed, 'POST', '/z/b')?.fn.name).toBe('c');
    });
  });
});
