/**
 * Trigger names (queues, topics, buckets, subscriptions) checked at build time against each provider's
 * naming rules, so that `q1`, `UP_LOAD` or `my jobs` fail in `faasport build` with the rule quoted, not at
 * deploy time. The rows live in aws.ts, azure.ts and gcp.ts, each with its source.
 */
export const TRIGGER_NAME_OPTIONS = ['queue', 'topic', 'subscription', 'bucket'] as const;
export type TriggerNameOption = (typeof TRIGGER_NAME_OPTIONS)[number];

export interface TriggerNameRule {
  /** The function kind and option whose value is the name. */
  readonly kind: 'queue' | 'topic' | 'storage';
  readonly option: TriggerNameOption;
  /** What the provider calls the resource. */
  readonly resource: string;
  /** The whole name must match. */
  readonly pattern: RegExp;
  readonly min: number;
  readonly max: number;
  /** Characters faasport appends to derive another resource (e.g. `-poison`), counted against `max`. */
  readonly suffix?: string;
  /** Extra refusals, each a test and the words of the rule it enforces. */
  readonly forbidden?: readonly { readonly test: RegExp; readonly rule: string }[];
  /** The provider's rule, in short (quoted in the error). */
  readonly rule: string;
  readonly source: string;
}

/** The first broken rule of `name`, in words, or undefined when the name is valid. */
export function triggerNameProblem(rule: TriggerNameRule, name: string): string | undefined {
  const max = rule.max - (rule.suffix?.length ?? 0);
  const quoted = JSON.stringify(name);
  if (name.length < rule.min || name.length > max) {
    const room = rule.suffix ? ` (${rule.max} less the "${rule.suffix}" faasport adds for its ${rule.resource.includes('queue') ? 'dead-letter queue' : 'dead-letter resource'})` : '';
    return `${rule.resource} name ${quoted} has ${name.length} characters; it must have ${rule.min} to ${max}${room}. Rule: ${rule.rule} (${rule.source})`;
  }
  if (!rule.pattern.test(name)) return `${rule.resource} name ${quoted} breaks the rule: ${rule.rule} (${rule.source})`;
  for (const extra of rule.forbidden ?? []) {
    if (extra.test.test(name)) return `${rule.resource} name ${quoted} breaks the rule: ${extra.rule} (${rule.source})`;
  }
  return undefined;
}
