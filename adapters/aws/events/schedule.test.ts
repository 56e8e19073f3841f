import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schedule } from '../../../core/define.js';
import { DeliveryFailedError } from '../../../core/events.js';
import type { ScheduleEvent } from '../../../core/types.js';
import { adapt } from '../adapt.js';
import type { AwsScheduleContext } from '../types.js';
import { SCHEDULE_EXPECTS } from './schedule.js';
import { captureLogs, fixture, lambdaContext, REQUEST_ID, sharedFixture } from './test-helpers.js';

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => (logs = captureLogs()));
afterEach(() => logs.restore());

function recorder(fail = false) {
  const seen: { tick: ScheduleEvent; ctx: AwsScheduleContext }[] = [];
  const fn = schedule({ cron: '0 3 * * *' }, (tick, ctx) => {
    seen.push({ tick, ctx: ctx as AwsScheduleContext });
    if (fail) throw new Error('nightly failed');
  });
  return { seen, handler: adapt(fn, { name: 'nightly' }) };
}

describe('schedule', () => {
  it('gives the scheduled time of an EventBridge rule event', async () => {
    const { seen, handler } = recorder();
    const event = fixture('eventbridge-scheduled.json');
    await handler(event, lambdaContext());
    expect(seen[0]!.tick).toEqual({ scheduledTime: new Date('2024-05-05T03:00:00Z') });
    expect(seen[0]!.ctx.invocationId).toBe(REQUEST_ID);
    expect(seen[0]!.ctx.native.record).toBe(event);
  });

  it('gives the scheduled time of an EventBridge Scheduler invocation', async () => {
    const { seen, handler } = recorder();
    await handler(fixture('scheduler-input.json'), lambdaContext());
    expect(seen[0]!.tick.scheduledTime.toISOString()).toBe('2024-05-05T03:00:00.000Z');
  });

  it('throws a DeliveryFailedError when the handler fails, so that Lambda retries', async () => {
    const { handler } = recorder(true);
    const failure = await handler(fixture('eventbridge-scheduled.json'), lambdaContext()).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DeliveryFailedError);
    expect(((failure as Error).cause as Error).message).toBe('nightly failed');
    expect(logs.lines().filter((l) => l.level === 'error')).toHaveLength(1);
  });

  it('throws a clear error for an EventBridge event that is not a schedule, or an empty payload', async () => {
    const { seen, handler } = recorder();
    await expect(handler(sharedFixture('eventbridge/base.json'), lambdaContext())).rejects.toThrow(
      /this schedule function cannot read the event: expected an EventBridge scheduled event \(detail-type "Scheduled Event", source aws.events\) or the EventBridge Scheduler input .*; got an EventBridge event \(source "aws.ec2"/,
    );
    await expect(handler({} as never, lambdaContext())).rejects.toThrow(/got an empty object\./);
    expect(seen).toHaveLength(0);
  });

  it('refuses an SQS event even when it also carries the fields of a scheduled rule event: Records tell the source first', async () => {
    const { seen, handler } = recorder();
    const event = { ...fixture('eventbridge-scheduled.json'), Records: sharedFixture('sqs/base.json').Records };
    await expect(handler(event, lambdaContext())).rejects.toThrow(
      `faasport/aws: this schedule function cannot read the event: expected ${SCHEDULE_EXPECTS}; got an SQS event. Check the function's trigger.`,
    );
    expect(seen).toHaveLength(0);
  });

  it('throws a clear error for a scheduled event without a valid time', async () => {
    const { handler } = recorder();
    const event = fixture('eventbridge-scheduled.json');
    event.time = 'soon';
    await expect(handler(event, lambdaContext())).rejects.toThrow('faasport/aws: the EventBridge scheduled event has no valid time: "time" is the string "soon"');
  });
});
