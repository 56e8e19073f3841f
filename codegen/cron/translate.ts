/**
 * Neutral cron (5-field unix cron, UTC) -> each provider's dialect:
 * - AWS EventBridge `cron(min hour dom month dow year)`: weekdays 1-7 from Sunday, one of dom/dow must be `?`.
 * - Azure NCRONTAB `sec min hour dom month dow`: six fields, weekdays 0-6 from Sunday.
 * - Google Cloud Scheduler: unix cron as is, with time zone Etc/UTC.
 * Unix cron ORs day-of-month and day-of-week when both are restricted; AWS cannot say that and NCRONTAB
 * ANDs them, so such expressions are rejected for those targets with the way out.
 */

export class CronError extends Error {
  override name = 'CronError';
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

interface FieldSpec {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** Value of names[0] (months start at 1, days at 0). */
  readonly nameBase?: number;
}

const FIELDS: readonly FieldSpec[] = [
  { label: 'minute', min: 0, max: 59 },
  { label: 'hour', min: 0, max: 23 },
  { label: 'day-of-month', min: 1, max: 31 },
  { label: 'month', min: 1, max: 12, names: MONTHS, nameBase: 1 },
  // 7 is Sunday too, as in every unix cron.
  { label: 'day-of-week', min: 0, max: 7, names: DAYS, nameBase: 0 },
];

export interface ParsedCron {
  readonly source: string;
  /** Normalised text of each field: names turned into numbers, `?` never present. */
  readonly fields: readonly [string, string, string, string, string];
  /** Expanded values per field; `undefined` for an unrestricted `*`. */
  readonly values: readonly (readonly number[] | undefined)[];
}

function fail(expr: string, why: string): never {
  throw new CronError(`faasport: cron "${expr}": ${why}. Write 5-field unix cron in UTC, e.g. "0 3 * * *" (03:00 daily)`);
}

function parseValue(expr: string, spec: FieldSpec, text: string): number {
  const upper = text.toUpperCase();
  if (spec.names) {
    const index = spec.names.indexOf(upper as never);
    if (index >= 0) return index + (spec.nameBase ?? 0);
  }
  if (!/^\d+$/.test(text)) fail(expr, `${spec.label} "${text}" is not a number${spec.names ? ' or a name like ' + spec.names[0] : ''}`);
  const n = Number(text);
  if (n < spec.min || n > spec.max) fail(expr, `${spec.label} ${n} is outside ${spec.min}-${spec.max}`);
  return n;
}

/** Expands one field to its sorted values, or undefined for a bare `*`. */
function expandField(expr: string, spec: FieldSpec, text: string): { text: string; values: number[] | undefined } {
  if (text === '*') return { text, values: undefined };
  if (/[LW#?]/i.test(text) && !spec.names?.some((n) => text.toUpperCase().includes(n))) {
    fail(expr, `${spec.label} "${text}" uses L, W, # or ? which unix cron does not have`);
  }
  const values = new Set<number>();
  const parts: string[] = [];
  for (const item of text.split(',')) {
    if (item === '') fail(expr, `${spec.label} has an empty list item`);
    const [range, stepText, extra] = item.split('/');
    if (extra !== undefined) fail(expr, `${spec.label} "${item}" has two "/"`);
    const step = stepText === undefined ? 1 : Number(stepText);
    if (stepText !== undefined && (!/^\d+$/.test(stepText) || step < 1)) fail(expr, `${spec.label} step "${stepText}" must be a positive number`);
    let from: number;
    let to: number;
    let rangeText: string;
    if (range === '*') {
      // Day-of-week stops at 6: its 7 is Sunday again (running on to 7 would fold onto the 0 every `*` starts with).
      [from, to, rangeText] = [spec.min, spec.label === 'day-of-week' ? 6 : spec.max, '*'];
    } else if (range!.includes('-')) {
      const [a, b, more] = range!.split('-');
      if (more !== undefined || !a || !b) fail(expr, `${spec.label} range "${range}" must look like 1-5`);
      from = parseValue(expr, spec, a);
      to = parseValue(expr, spec, b);
      if (from > to) fail(expr, `${spec.label} range "${range}" runs backwards; use a list instead, e.g. "5,6,0"`);
      rangeText = `${from}-${to}`;
    } else {
      from = parseValue(expr, spec, range!);
      // "5/15" means from 5 to the end in steps of 15, as in vixie cron.
      to = stepText === undefined ? from : spec.max;
      rangeText = String(from);
    }
    for (let v = from; v <= to; v += step) values.add(spec.label === 'day-of-week' && v === 7 ? 0 : v);
    parts.push(stepText === undefined ? rangeText : `${rangeText}/${step}`);
  }
  return { text: parts.join(','), values: [...values].sort((a, b) => a - b) };
}

export function parseCron(expression: string): ParsedCron {
  const source = expression;
  const trimmed = expression.trim();
  const text = MACROS[trimmed.toLowerCase()] ?? trimmed;
  if (trimmed.startsWith('@') && !MACROS[trimmed.toLowerCase()]) {
    fail(source, `unknown macro ${trimmed}; use one of ${Object.keys(MACROS).join(', ')}`);
  }
  const raw = text.split(/\s+/);
  if (raw.length !== 5) {
    fail(source, `has ${raw.length} fields, needs 5 (minute hour day-of-month month day-of-week)${raw.length === 6 ? ' — seconds are not part of neutral cron' : ''}`);
  }
  const expanded = raw.map((field, i) => expandField(source, FIELDS[i]!, field));
  return {
    source,
    fields: expanded.map((e) => e.text) as unknown as ParsedCron['fields'],
    values: expanded.map((e) => e.values),
  };
}

/** Writes a sorted set of numbers compactly: 1,2,3,5 -> "1-3,5". */
function compact(values: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    // Past the end values[j + 1] is undefined, which ends the run.
    while (values[j + 1] === values[j]! + 1) j++;
    out.push(j - i >= 2 ? `${values[i]}-${values[j]}` : values.slice(i, j + 1).join(','));
    i = j + 1;
  }
  return out.join(',');
}

function bothDaysRestricted(cron: ParsedCron): boolean {
  return cron.values[2] !== undefined && cron.values[4] !== undefined;
}

/** AWS EventBridge: `cron(0 3 * * ? *)`. */
export function toAwsCron(expression: string): string {
  const cron = parseCron(expression);
  const [minute, hour, dom, month] = cron.fields;
  if (bothDaysRestricted(cron)) {
    fail(expression, 'restricts both day-of-month and day-of-week, which unix cron ORs but AWS EventBridge cannot express; split it into two schedule() functions');
  }
  const dowValues = cron.values[4];
  const dow = dowValues === undefined ? '?' : compact(dowValues.map((d) => d + 1));
  return `cron(${minute} ${hour} ${dowValues === undefined ? dom : '?'} ${month} ${dow} *)`;
}

/** Azure Functions timer trigger NCRONTAB: `0 0 3 * * *`. */
export function toAzureNcrontab(expression: string): string {
  const cron = parseCron(expression);
  const [minute, hour, dom, month] = cron.fields;
  if (bothDaysRestricted(cron)) {
    fail(expression, 'restricts both day-of-month and day-of-week, which unix cron ORs but Azure NCRONTAB ANDs; split it into two schedule() functions');
  }
  const dowValues = cron.values[4];
  return `0 ${minute} ${hour} ${dom} ${month} ${dowValues === undefined ? '*' : compact(dowValues)}`;
}

/** Google Cloud Scheduler speaks unix cron; normalised (names to numbers) and run in Etc/UTC. */
export function toCloudSchedulerCron(expression: string): { schedule: string; timeZone: 'Etc/UTC' } {
  const cron = parseCron(expression);
  const dowValues = cron.values[4];
  const [minute, hour, dom, month] = cron.fields;
  return { schedule: `${minute} ${hour} ${dom} ${month} ${dowValues === undefined ? '*' : compact(dowValues)}`, timeZone: 'Etc/UTC' };
}
