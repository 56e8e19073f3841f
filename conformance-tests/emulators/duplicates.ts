import type { AtLeastOnceOptions } from './index.js';
import type { DuplicateDelivery } from '../invoker.js';

/** A small seeded generator (mulberry32): reproducible draws for duplicate deliveries and batch splits. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Decides, per handled message, whether it is delivered once more. The stimulus's own rate wins over the
 * emulator's `atLeastOnce` option; without either, nothing is duplicated.
 */
export class DuplicatePolicy {
  readonly #random: () => number;
  readonly #defaultRate: number;

  constructor(options: AtLeastOnceOptions | undefined) {
    this.#random = seededRandom(options?.seed ?? 1);
    this.#defaultRate = options ? checkRate(options.duplicateRate ?? 1) : 0;
  }

  /** True when this handled message should be delivered a second time. */
  duplicate(stimulus: DuplicateDelivery | undefined): boolean {
    const rate = stimulus?.duplicateRate === undefined ? this.#defaultRate : checkRate(stimulus.duplicateRate);
    if (rate <= 0) return false;
    return rate >= 1 || this.#random() < rate;
  }
}

function checkRate(rate: number): number {
  if (!(rate >= 0 && rate <= 1)) {
    throw new RangeError(`faasport: a duplicate rate must be between 0 and 1 (got ${rate}); use 1 to deliver every message twice`);
  }
  return rate;
}
