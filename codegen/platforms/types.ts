/** Shapes of the platform fact tables (aws.ts, azure.ts, gcp.ts): every row names where it comes from. */
import type { NodeRuntime } from '../../core/types.js';

export interface PlatformRuntime {
  /** faasport's neutral name (`runtime` option, `--runtime`). */
  readonly runtime: NodeRuntime;
  /** What the platform calls it in its manifest or CLI. */
  readonly id: string;
  /** ISO date from which the platform no longer supports it (deprecation / retirement). */
  readonly endOfSupport: string;
  /** ISO date from which new deployments are refused, when the platform says. */
  readonly deployBlocked?: string;
  readonly source: string;
}

/** A numeric limit the platform enforces on a setting. */
export interface PlatformLimit {
  readonly min: number;
  readonly max: number;
  readonly unit: string;
  readonly source: string;
}

/** A Node version a platform no longer runs: why `--runtime` refuses it, with the date and the source. */
export interface RetiredRuntime {
  /** faasport's name for it (`node20`). */
  readonly runtime: string;
  readonly id: string;
  /** What the platform did, and when: "deprecated on 2026-04-30 (creation disabled 2026-06-01)". */
  readonly ended: string;
  readonly source: string;
}
