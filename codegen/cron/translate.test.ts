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
  ])('%s', (expr, message) => {
    expect(() => parseCron(expr)).toThrow(CronError);
    expect(() => parseCron(expr)).toThrow(message);
  });

  it('rejects day-of-month with day-of-week for AWS and Azure, keeps it for Cloud Scheduler', () => {
    expect(() => toAwsCron('0 0 13 * 5')).toThrow(/AWS EventBridge cannot express; split it/);
    expect(() => toAzureNcrontab('0 0 13 * 5')).toThrow(/NCRONTAB ANDs/);
    expect(toCloudSchedulerCron('0 0 13 * 5').schedule).toBe('0 0 13 * 5');
  });
});
