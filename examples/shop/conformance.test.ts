import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { runConformance } from 'faasport/conformance';
import { shopCases } from './conformance.js';

it('the shop behaves the same on AWS, Azure and GCP', async () => {
  const report = await runConformance({ entries: [fileURLToPath(new URL('./src', import.meta.url))], cases: shopCases });
  console.log(`\nshop example conformance\n${report.table}\n`);
  expect(report.results.filter((r) => !r.passed)).toEqual([]);
  // The providers answered alike, or differ only where the README says so.
  expect(report.passed, report.table).toBe(true);
  expect(report.results).toHaveLength(shopCases.length * 3);
}, 300_000);
