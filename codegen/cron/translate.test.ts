import { describe, expect, it } from 'vitest';
import { CronError, parseCron, toAwsCron, toAzureNcrontab, toCloudSchedulerCron } from './translate.js';

/** The translator's table: neutral -> AWS EventBridge, Azure NCRONTAB, Cloud Scheduler. */
const table: [neutral: string, aws: string, azure: string, gcp: string][] = [
  ['0 3 * * *', 'cron(0 3 * * ? *)', '0 0 3 * * *', '0 3 * * *'],
  ['*/15 * * * *', 'cron(*/15 * * * ? *)', '0 */15 * * * *', '*/15 * * * *'],
  ['0 9 * * 1-5', 'cron(0 9 ? * 2-6 *)', '0 0 9 * * 1-5', '0 9 * * 1-5'],
  ['0 9 * * MON-FRI', 'cron(0 9 ? * 2-6 *)', '0 0 9 * * 1-5', '0 9 * * 1-5'],
  ['30 18 * * 0', 'cron(30 18 ? * 1 *)', '0 30 18 * * 0', '30 18 * * 0'],
  ['30 18 * * 7', 'cron(30 18 ? * 1 *)', '0 30 18 * * 0', '30 18 * * 0'],
  ['0 0 * * 5-7', 'cron(0 0 ? * 1,6,7 *)', '0 0 0 * * 0,5,6', '0 0 * * 0,5,6'],
  ['0 0 * * sat,sun', 'cron(0 0 ? * 1,7 *)', '0 0 0 * * 0,6', '0 0 * * 0,6'],
  ['0 12 1 * *', 'cron(0 12 1 * ? *)', '0 0 12 1 * *', '0 12 1 * *'],
  ['0 12 1,15 * *', 'cron(0 12 1,15 * ? *)', '0 0 12 1,15 * *', '0 12 1,15 * *'],
  ['0 0 1 JAN *', 'cron(0 0 1 1 ? *)', '0 0 0 1 1 *', '0 0 1 1 *'],
  ['0 0 1 jan-mar,oct *', 'cron(0 0 1 1-3,10 ? *)', '0 0 0 1 1-3,10 *', '0 0 1 1-3,10 *'],
  ['5,35 8-18/2 * * *', 'cron(5,35 8-18/2 * * ? *)', '0 5,35 8-18/2 * * *', '5,35 8-18/2 * * *'],
  ['10/20 * * * *', 'cron(10/20 * * * ? *)', '0 10/20 * * * *', '10/20 * * * *'],
  ['0 0 * * */2', 'cron(0 0 ? * 1,3,5,7 *)', '0 0 0 * * 0,2,4,6', '0 0 * * 0,2,4,6'],
  ['@daily', 'cron(0 0 * * ? *)', '0 0 0 * * *', '0 0 * * *'],
  ['@hourly', 'cron(0 * * * ? *)', '0 0 * * * *', '0 * * * *'],
  ['@weekly', 'cron(0 0 ? * 1 *)', '0 0 0 * * 0', '0 0 * * 0'],
  ['@yearly', 'cron(0 0 1 1 ? *)', '0 0 0 1 1 *', '0 0 1 1 *'],
  ['@annually', 'cron(0 0 1 1 ? *)', '0 0 0 1 1 *', '0 0 1 1 *'],
  ['@monthly', 'cron(0 0 1 * ? *)', '0 0 0 1 * *', '0 0 1 * *'],
  ['@midnight', 'cron(0 0 * * ? *)', '0 0 0 * * *', '0 0 * * *'],
  ['@DAILY', 'cron(0 0 * * ? *)', '0 0 0 * * *', '0 0 * * *'],
  // A step from a single value runs to the end of the field, so Monday/2 is Mon, Wed, Fri and Sunday (7).
  ['0 0 * * 1/2', 'cron(0 0 ? * 1,2,4,6 *)', '0 0 0 * * 0,1,3,5', '0 0 * * 0,1,3,5'],
  // Three or more consecutive weekdays become a range; two stay a list.
  ['0 0 * * 1,2,3', 'cron(0 0 ? * 2-4 *)', '0 0 0 * * 1-3', '0 0 * * 1-3'],
  ['0 0 * * 1,2', 'cron(0 0 ? * 2,3 *)', '0 0 0 * * 1,2', '0 0 * * 1,2'],
  ['0 0 * * 5-5', 'cron(0 0 ? * 6 *)', '0 0 0 * * 5', '0 0 * * 5'],
  ['*/1 * * * *', 'cron(*/1 * * * ? *)', '0 */1 * * * *', '*/1 * * * *'],
  // Names that contain L or W (JUL, WED) are names, not the L and W of other cron dialects.
  ['0 0 * JUL WED', 'cron(0 0 ? 7 4 *)', '0 0 0 * 7 3', '0 0 * 7 3'],
  ['  0   3 * * *  ', 'cron(0 3 * * ? *)', '0 0 3 * * *', '0 3 * * *'],
];

describe('cron translation table', () => {
  it.each(table)('%s', (neutral, aws, azure, gcp) => {
    expect(toAwsCron(neutral)).toBe(aws);
    expect(toAzureNcrontab(neutral)).toBe(azure);
    expect(toCloudSchedulerCron(neutral)).toEqual({ schedule: gcp, timeZone: 'Etc/UTC' });
  });
});

describe('cron errors name the problem and the fix', () => {
  it.each([
    ['0 3 * *', /has 4 fields, needs 5/],
    ['0 0 3 * * *', /seconds are not part of neutral cron/],
    ['60 * * * *', /minute 60 is outside 0-59/],
    ['0 24 * * *', /hour 24 is outside 0-23/],
    ['0 0 0 * *', /day-of-month 0 is outside 1-31/],
    ['0 0 * 13 *', /month 13 is outside 1-12/],
    ['0 0 * * 8', /day-of-week 8 is outside 0-7/],
    ['0 0 * * FRI-MON', /runs backwards/],
    ['*/0 * * * *', /step "0" must be a positive number/],
    ['0 0 L * *', /L, W, # or \?/],
    ['0 0 ? * *', /L, W, # or \?/],
    ['0 0 * * 5#3', /L, W, # or \?/],
    ['@reboot', /unknown macro/],
    ['a b c d e', /minute "a" is not a number/],
    ['5x * * * *', /minute "5x" is not a number/],
    ['x5 * * * *', /minute "x5" is not a number/],
    ['0 0 * * 5L', /L, W, # or \?/],
    ['0 0 1,,2 * *', /day-of-month has an empty list item/],
    ['*/2/3 * * * *', /minute "\*\/2\/3" has two "\/"/],
    ['*/x2 * * * *', /step "x2" must be a positive number/],
    ['*/2x * * * *', /step "2x" must be a positive number/],
    ['0 0 1- * *', /day-of-month range "1-" must look like 1-5/],
    ['0 0 -5 * *', /day-of-month range "-5" must look like 1-5/],
    ['0 0 1-2-3 * *', /day-of-month range "1-2-3" must look like 1-5/],
  ])('%s', (expr, message) => {
    expect(() => parseCron(expr)).toThrow(CronError);
    expect(() => parseCron(expr)).toThrow(message);
  });

  it('says what a field may hold, in full', () => {
    expect(() => parseCron('x * * * *')).toThrow(
      'faasport: cron "x * * * *": minute "x" is not a number. Write 5-field unix cron in UTC, e.g. "0 3 * * *" (03:00 daily)',
    );
    expect(() => parseCron('0 0 * FOO *')).toThrow('month "FOO" is not a number or a name like JAN.');
    expect(() => parseCron('0 3 * *')).toThrow('has 4 fields, needs 5 (minute hour day-of-month month day-of-week).');
    expect(() => parseCron('@often')).toThrow('unknown macro @often; use one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly.');
  });

  it('throws a CronError by name', () => {
    expect(() => parseCron('@often')).toThrow(expect.objectContaining({ name: 'CronError' }));
  });

  it('expands each field to its values, folding only a weekday 7 onto Sunday', () => {
    expect(parseCron('*/20 7 * * *').values.slice(0, 2)).toEqual([[0, 20, 40], [7]]);
    expect(parseCron('0 0 * * 6,7').values[4]).toEqual([0, 6]);
    expect(parseCron('0 0 * * *').values[4]).toBeUndefined();
  });

  it('rejects day-of-month with day-of-week for AWS and Azure, keeps it for Cloud Scheduler', () => {
    expect(() => toAwsCron('0 0 13 * 5')).toThrow(/AWS EventBridge cannot express; split it/);
    expect(() => toAzureNcrontab('0 0 13 * 5')).toThrow(/NCRONTAB ANDs/);
    expect(toCloudSchedulerCron('0 0 13 * 5').schedule).toBe('0 0 13 * 5');
  });
});
