import { describe, expect, it } from 'vitest';
import { checkStimulus, maxAttemptsOf, resolveEventTarget } from './event-targets.js';
import type { RegisteredFunction } from './protocol.js';

const fn = (name: string, type: string): RegisteredFunction => ({ functionId: name, name, bindings: { trigger: { type, direction: 'in' } } });
const functions = [fn('onOrder', 'queueTrigger'), fn('onUpload', 'blobTrigger'), fn('onUpload-deleted', 'eventGridTrigger'), fn('gone-deleted', 'eventGridTrigger'), fn('ping', 'httpTrigger'), fn('onAny', 'eventGridTrigger')];

describe('resolveEventTarget', () => {
  it('finds a storage function and its "-deleted" companion', () => {
    const target = resolveEventTarget('onUpload', functions, undefined);
    expect([target.kind, target.main?.name, target.deleted?.name]).toEqual(['storage', 'onUpload', 'onUpload-deleted']);
  });

  it('treats a lone "-deleted" registration as a deletes-only storage function', () => {
    expect(resolveEventTarget('gone', functions, undefined)).toMatchObject({ kind: 'storage', main: undefined });
  });

  it('takes the kind and options from faasport.json when present', () => {
    const target = resolveEventTarget('onOrder', functions, [{ name: 'onOrder', kind: 'queue', options: { maxAttempts: 3 } }]);
    expect(maxAttemptsOf({}, target, 5)).toBe(3);
    expect(maxAttemptsOf({ maxAttempts: 7 }, target, 5)).toBe(7);
    expect(() => maxAttemptsOf({ maxAttempts: 0 }, target, 5)).toThrow(/positive integer/);
  });

  it('rejects unknown and HTTP functions, and a stimulus of another kind', () => {
    expect(() => resolveEventTarget('nope', functions, undefined)).toThrow(/no function named "nope".*onOrder/);
    expect(() => resolveEventTarget('ping', functions, undefined)).toThrow(/HTTP function/);
    const onAny = resolveEventTarget('onAny', functions, undefined);
    expect(() => checkStimulus(onAny, { messages: [] })).toThrow(/event function; deliver \{ cloudEvent \}/);
    expect(() => checkStimulus(onAny, { cloudEvent: {} })).not.toThrow();
  });
});
