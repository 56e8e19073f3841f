/** Plain-text tables for the terminal (no colours, so output can be pasted into reports). */
export function table(title, head, rows) {
  const cells = [head, ...rows].map((r) => r.map((c) => (c === undefined || c === null ? '' : String(c))));
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [`\n${title}`, line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)];
  console.log(out.join('\n'));
}

export const fmtNs = (ns) => (ns === undefined ? 'n/a' : ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
export const fmtRatio = (r) => (r === undefined || !Number.isFinite(r) ? 'n/a' : `${r.toFixed(2)}x`);
export const fmtBytes = (n) => (n === undefined ? 'n/a' : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`);
export const verdict = (value, limit) => (value === undefined || !Number.isFinite(value) ? 'n/a' : value <= limit ? 'met' : 'MISSED');
export const fmtAlloc = (n) => (n === undefined ? 'n/a' : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${Math.round(n)} B`);
