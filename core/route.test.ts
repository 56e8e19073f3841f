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
