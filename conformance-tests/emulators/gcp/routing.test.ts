import { describe, expect, it } from 'vitest';
import type { HttpMethod } from '../../../core/types.js';
import { createRouter, deployedMethods } from './routing.js';

const fn = (name: string, route: string, methods?: HttpMethod[]) => ({ name, route, methods });

describe('front door routing', () => {
  it('answers undefined (404) when no route matches', () => {
    expect(createRouter([fn('a', '/items/:id')]).pick('GET', '/other')).toBeUndefined();
  });

  it('sends any method to a function whose route pattern is not shared (its dispatch answers 405)', () => {
    const router = createRouter([fn('getItem', '/items/:id', ['GET'])]);
    expect(router.pick('DELETE', '/items/1')?.name).toBe('getItem');
  });

  it('prefers more literal segments, then params, and a wildcard last', () => {
    const router = createRouter([fn('all', '/*'), fn('files', '/files/*'), fn('file', '/files/:id'), fn('latest', '/files/latest')]);
    expect(router.pick('GET', '/files/latest')?.name).toBe('latest');
    expect(router.pick('GET', '/files/7')?.name).toBe('file');
    expect(router.pick('GET', '/files/7/raw')?.name).toBe('files');
    expect(router.pick('GET', '/elsewhere')?.name).toBe('all');
  });

  it('picks by method among functions sharing a route pattern, HEAD going with GET', () => {
    const router = createRouter([fn('deleteItem', '/items/:id', ['DELETE']), fn('getItem', '/items/:id', ['GET'])]);
    expect(router.pick('GET', '/items/1')?.name).toBe('getItem');
    expect(router.pick('head', '/items/1')?.name).toBe('getItem');
    expect(router.pick('DELETE', '/items/1')?.name).toBe('deleteItem');
  });

  it('matches nothing for a method no function on a shared route declares (404, as API Gateway and the Azure host)', () => {
    const router = createRouter([fn('deleteItem', '/items/:id', ['DELETE']), fn('getItem', '/items/:id', ['GET'])]);
    expect(router.pick('PUT', '/items/1')).toBeUndefined();
  });

  it('matches percent-encoded paths as on the wire', () => {
    expect(createRouter([fn('n', '/names/:name')]).pick('GET', '/names/caf%C3%A9')?.name).toBe('n');
  });

  it('deploys declared methods plus HEAD with GET', () => {
    expect(deployedMethods(['GET', 'POST'])).toEqual(['GET', 'POST', 'HEAD']);
    expect(deployedMethods(['DELETE'])).toEqual(['DELETE']);
    expect(deployedMethods(undefined)).toBeUndefined();
  });
});
