import { describe, expect, it } from 'vitest';
import { schedule } from '../../../core/define.js';
import { DeliveryFailedError } from '../../../core/events.js';
import { adapt } from '../adapt.js';
import { toScheduleEvent } from './timer.js';
import { invocationContext } from './test-helpers.js';

/** The TimerInfo the host sends (JSON), camel-cased by the library. */
const timer = (next: string, isPastDue = false) => ({
  schedule: { adjustForDST: true },
  scheduleStatus: { last: '2024-05-01T02:00:00+00:00', next, lastUpdated: '2024-05-01T02:00:00+00:00' },
  isPastDue,
});

describe('Timer trigger -> ScheduleEvent', () => {
  it('takes the occurrence being fired from scheduleStatus.next', () => {
    const now = new Date('2024-05-01T03:00:00.140Z');
    expect(toScheduleEvent(timer('2024-05-01T03:00:00+00:00'), now).scheduledTime).toEqual(new Date('2024-05-01T03:00:00Z'));
  });

  it('keeps the missed occurrence of a past-due tick', () => {
    const now = new Date('2024-05-01T05:12:00Z');
    expect(toScheduleEvent(timer('2024-05-01T03:00:00+00:00', true), now).scheduledTime).toEqual(new Date('2024-05-01T03:00:00Z'));
  });

  it('reads a zone-less .NET date as UTC', () => {
    expect(toScheduleEvent(timer('2024-05-01T03:00:00'), new Date('2024-05-01T03:00:01Z')).scheduledTime).toEqual(new Date('2024-05-01T03:00:00Z'));
  });

  it('uses the invocation minute without a schedule status, or when next lies in the future (runOnStartup)', () => {
    const now = new Date('2024-05-01T03:07:42.500Z');
    expect(toScheduleEvent({ isPastDue: false, schedule: { adjustForDST: true }, scheduleStatus: null }, now).scheduledTime).toEqual(
      new Date('2024-05-01T03:07:00Z'),
    );
    expect(toScheduleEvent(timer('2024-05-02T03:00:00+00:00'), now).scheduledTime).toEqual(new Date('2024-05-01T03:07:00Z'));
  });

  it('runs the handler and fails the invocation when it throws', async () => {
    const seen: Date[] = [];
    const ok = schedule({ cron: '0 3 * * *' }, (tick) => void seen.push(tick.scheduledTime));
    await adapt(ok)(timer('2024-05-01T03:00:00+00:00') as never, invocationContext().context);
    expect(seen).toEqual([new Date('2024-05-01T03:00:00Z')]);
    const bad = schedule({ cron: '0 3 * * *' }, () => {
      throw new Error('tick failed');
    });
    await expect(adapt(bad)(timer('2024-05-01T03:00:00+00:00') as never, invocationContext().context)).rejects.toBeInstanceOf(DeliveryFailedError);
  });
});

describe('Timer trigger, how far ahead next may be', () => {
  it('takes a next up to one minute after the invocation, the minute itself included', () => {
    expect(toScheduleEvent(timer('2024-05-01T03:00:00+00:00'), new Date('2024-05-01T02:59:00Z')).scheduledTime).toEqual(new Date('2024-05-01T03:00:00Z'));
    expect(toScheduleEvent(timer('2024-05-01T03:00:00+00:00'), new Date('2024-05-01T02:59:40Z')).scheduledTime).toEqual(new Date('2024-05-01T03:00:00Z'));
  });

  it('hands the handler the timer and context as native, and a failure names the tick', async () => {
    let native: unknown;
    const trigger = timer('2024-05-01T03:00:00+00:00', true);
    const { context } = invocationContext();
    await adapt(schedule({ cron: '0 3 * * *' }, (_tick, ctx) => void (native = ctx.native)))(trigger as never, context);
    expect(native).toEqual({ trigger, context });
    const failing = schedule({ cron: '0 3 * * *' }, () => {
      throw new Error('x');
    });
    await expect(adapt(failing)(trigger as never, invocationContext().context)).rejects.toThrow(
      'faasport/azure: the schedule handler of "azureName" failed on the tick of 2024-05-01T03:00:00.000Z',
    );
  });
});
