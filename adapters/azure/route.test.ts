import { describe, expect, it } from 'vitest';
import { AZURE_ROOT_ROUTE, toAzureRoute } from './route.js';

describe('toAzureRoute', () => {
  it.each([
    ['/items/:id', 'items/{id}'],
    ['/users/:userId/orders/:orderId', 'users/{userId}/orders/{orderId}'],
    ['/files/*', 'files/{*path}'],
    ['/*', '{*path}'],
    ['/health', 'health'],
    ['/items/', 'items/'],
    ['/a/:path/*', 'a/{path}/{*_path}'],
    ['/a/:Path/:_path/*', 'a/{Path}/{_path}/{*__path}'],
  ])('translates %s to %s', (route, template) => {
    expect(toAzureRoute(route)).toBe(template);
  });

  it('maps "/" to a template matching only the root, since the host replaces an empty route by the function name', () => {
    expect(toAzureRoute('/')).toBe(AZURE_ROOT_ROUTE);
    expect(AZURE_ROOT_ROUTE).not.toBe('');
  });

  it('rejects a route faasport cannot parse', () => {
    expect(() => toAzureRoute('items')).toThrow(/must start with "\/"/);
  });
});
