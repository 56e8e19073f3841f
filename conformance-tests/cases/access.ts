/**
 * Access control and routing cases (fixture-app/access.ts): a non-anonymous function is closed to anonymous
 * callers everywhere, each platform answering in its own words, and open to the platform's credentials.
 */
import assert from 'node:assert/strict';
import type { Provider } from '../../core/types.js';
import { defineCase, type ConformanceCase } from '../invoker.js';

/**
 * What each platform answers an anonymous caller of a private function, before any function code runs:
 * API Gateway's IAM check 403 `{"message":"Forbidden"}`, the Functions host 401 with an empty body, Google's
 * front end 403 with its HTML page (sources beside each emulator's check: aws/sigv4.ts, azure/function-keys.ts,
 * gcp/identity-token.ts).
 */
export const REFUSAL_STATUS: Readonly<Record<Provider, number>> = { aws: 403, azure: 401, gcp: 403 };

export const accessCases: ConformanceCase[] = [
  defineCase('a private function refuses a caller without credentials', async (inv) => {
    for (const [path, init] of [['/private/report', undefined], ['/private/report?code=wrong', { method: 'POST', body: 'x' }]] as const) {
      const res = await inv.http(path, init);
      const body = await res.text();
      assert.equal(res.status, REFUSAL_STATUS[inv.provider], `${path} answered ${res.status}: ${body.slice(0, 200)}`);
      assert.ok(!body.includes('reached'), 'the function ran for an anonymous caller');
    }
  }),
  defineCase("a private function answers a caller with the platform's credentials", async (inv) => {
    const get = await inv.http('/private/report', undefined, { authorized: true });
    assert.equal(get.status, 200, `answered ${get.status}: ${await get.clone().text()}`);
    assert.deepEqual(await get.json(), { reached: true, method: 'GET', body: '' });
    const post = await inv.http('/private/report', { method: 'POST', body: 'signed body', headers: { 'content-type': 'text/plain' } }, { authorized: true });
    assert.equal(post.status, 200);
    assert.deepEqual(await post.json(), { reached: true, method: 'POST', body: 'signed body' });
  }),
  defineCase('a public function needs no credentials and ignores them', async (inv) => {
    const anonymous = await inv.http('/things/7');
    assert.equal(anonymous.status, 200, `without credentials it answered ${anonymous.status}`);
    assert.deepEqual(await anonymous.json(), { id: '7' });
    const res = await inv.http('/things/7', undefined, { authorized: true });
    assert.equal(res.status, 200, `with credentials it answered ${res.status}`);
    assert.deepEqual(await res.json(), { id: '7' });
  }),
  defineCase('a method no function declares on a shared route answers 404', async (inv) => {
    const put = await inv.http('/things/7', { method: 'PUT', body: 'x' });
    assert.equal(put.status, 404, `PUT answered ${put.status}`);
    await put.arrayBuffer();
    const del = await inv.http('/things/7', { method: 'DELETE' });
    assert.equal(del.status, 204);
  }),
];
