import { describe, expect, it } from 'vitest';
import { compileRoute, parseRoute, RouteError, type RouteSegment } from './route.js';

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
  it('a literal segment holding an escape matches the same text as sent, and its decoded form', () => {
    expect(compileRoute('/100%25').match('/100%25')).toEqual({});
    expect(compileRoute('/a%41').match('/a%41')).toEqual({});
    expect(compileRoute('/100%').match('/100%25')).toEqual({});
  });
  it('root matches only root', () => {
    expect(compileRoute('/').match('/')).toEqual({});
    expect(compileRoute('/').match('/x')).toBeUndefined();
  });
  it.each(['items', '/a/*/b', '/a/:', '/a/:id/:id', '/a//b', '/a/{id}'])('rejects %s with a clear error', (pattern) => {
    expect(() => parseRoute(pattern)).toThrow(RouteError);
  });
});

/** The matcher as first written (split into an array): compileRoute must answer exactly as it does. */
function referenceMatch(segments: readonly RouteSegment[], pathname: string): Record<string, string> | undefined {
  const decode = (part: string) => {
    if (!part.includes('%')) return part;
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  };
  const hasWildcard = segments[segments.length - 1]?.type === 'wildcard';
  const fixed = hasWildcard ? segments.length - 1 : segments.length;
  const parts = pathname === '/' || pathname === '' ? [] : pathname.slice(1).split('/');
  if (hasWildcard ? parts.length < fixed : parts.length !== fixed) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < fixed; i++) {
    const seg = segments[i]!;
    const part = parts[i]!;
    if (seg.type === 'literal') {
      if (part !== seg.value && decode(part) !== seg.value) return undefined;
    } else if (seg.type === 'param') {
      if (part === '') return undefined;
      params[seg.name] = decode(part);
    }
  }
  if (hasWildcard) params['*'] = parts.slice(fixed).map(decode).join('/');
  return params;
}

describe('route matching without splitting the path', () => {
  const patterns = ['/', '/*', '/items', '/items/', '/items/:id', '/items/:id/', '/items/:id/parts/:part', '/files/*', '/a/:x/*', '/café', '/:a/:b'];
  const paths = [
    '', '/', '//', 'x', '/items', '/items/', '/items//', '/items/42', '/items/42/', '/items/42/parts/7', '/items/42/parts/',
    '/items/a%2Fb', '/items/100%', '/ITEMS/42', '/it%65ms/42', '/files', '/files/', '/files/a/b%20c.txt', '/files/%E0%A4%A/x',
    '/a/1', '/a/1/', '/a/1/x/y', '/caf%C3%A9', '/café', '/x/y', '/x/y/z', '/x//', '/%2F/b',
  ];
  it.each(patterns)('%s answers every path as the split-based matcher does', (pattern) => {
    const route = compileRoute(pattern);
    for (const path of paths) expect([path, route.match(path)]).toEqual([path, referenceMatch(route.segments, path)]);
  });
});

describe('route errors name the pattern and what is wrong', () => {
  it.each([
    ['items', 'faasport: route "items" must start with "/" (for example "/items/:id")'],
    ['/a/*/b', 'faasport: route "/a/*/b": "*" may only be the last segment'],
    ['/a/:', 'faasport: route "/a/:": parameter ":" must be a name like ":id"'],
    ['/a/:1d', 'faasport: route "/a/:1d": parameter ":1d" must be a name like ":id"'],
    ['/a/:id-x', 'faasport: route "/a/:id-x": parameter ":id-x" must be a name like ":id"'],
    ['/a/:id/:id', 'faasport: route "/a/:id/:id": parameter ":id" appears twice'],
    ['/a//b', 'faasport: route "/a//b" has an empty segment ("//")'],
    ['/a/b:c', 'faasport: route "/a/b:c": segment "b:c" may not contain ":", "*", "{", "}", "?" or "#"'],
  ])('%s', (pattern, message) => {
    expect(() => parseRoute(pattern)).toThrow(message);
  });
  it.each(['/a*', '/{x}', '/x}', '/a?b', '/a#b'])('refuses the reserved character in %s', (pattern) => {
    expect(() => parseRoute(pattern)).toThrow(RouteError);
  });
  it('names a pattern that is not a string', () => {
    expect(() => parseRoute(undefined as never)).toThrow('faasport: route "undefined" must start with "/"');
  });
  it('RouteError is a TypeError with its own name', () => {
    const error = new RouteError('x');
    expect(error).toBeInstanceOf(TypeError);
    expect(error.name).toBe('RouteError');
  });
});

describe('parseRoute segments', () => {
  it('reads literals, names and a last wildcard; "/" has none; a trailing slash is an empty literal', () => {
    expect(parseRoute('/')).toEqual([]);
    expect(parseRoute('/a/:b_1/*')).toEqual([{ type: 'literal', value: 'a' }, { type: 'param', name: 'b_1' }, { type: 'wildcard' }]);
    expect(parseRoute('/a/')).toEqual([{ type: 'literal', value: 'a' }, { type: 'literal', value: '' }]);
    expect(parseRoute('/:_x/:Y')).toEqual([{ type: 'param', name: '_x' }, { type: 'param', name: 'Y' }]);
  });
});

describe('compileRoute', () => {
  it('gives the same compiled route for the same pattern, also after another pattern', () => {
    const a = compileRoute('/same/:x');
    expect(compileRoute('/same/:x')).toBe(a);
    compileRoute('/other');
    expect(compileRoute('/same/:x')).toBe(a);
    expect(a.pattern).toBe('/same/:x');
  });
  it('keeps the pattern of each compiled route apart', () => {
    expect(compileRoute('/one').match('/one')).toEqual({});
    expect(compileRoute('/two').match('/one')).toBeUndefined();
    expect(compileRoute('/one').match('/two')).toBeUndefined();
  });
  it('decodes every segment the wildcard takes, and keeps a malformed one as sent', () => {
    expect(compileRoute('/f/*').match('/f/a%20b/c%2Fd/%zz')).toEqual({ '*': 'a b/c/d/%zz' });
    expect(compileRoute('/f/*').match('/f/')).toEqual({ '*': '' });
  });
});
