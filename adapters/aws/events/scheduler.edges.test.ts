import { describe, expect, it } from 'vitest';
import { isSchedulerInput } from './scheduler.js';

describe('isSchedulerInput', () => {
  it('is true only for an object whose source is faasport.scheduler', () => {
    expect(isSchedulerInput({ source: 'faasport.scheduler' })).toBe(true);
    expect(isSchedulerInput({ source: 'aws.events' })).toBe(false);
    expect(isSchedulerInput(null)).toBe(false);
    expect(isSchedulerInput('faasport.scheduler')).toBe(false);
    expect(isSchedulerInput(Object.assign(() => undefined, { source: 'faasport.scheduler' }))).toBe(false);
  });
});
