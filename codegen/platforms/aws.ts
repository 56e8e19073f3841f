/** AWS Lambda facts: runtimes and limits, each row with its source. */
import type { PlatformLimit, PlatformRuntime } from './types.js';

const LAMBDA_NODEJS = 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html (supported Node.js runtimes table)';
const LAMBDA_QUOTAS = 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html';

export const AWS_RUNTIMES: readonly PlatformRuntime[] = [
  { runtime: 'node22', id: 'nodejs22.x', endOfSupport: '2027-04-30', deployBlocked: '2027-06-01', source: LAMBDA_NODEJS },
  { runtime: 'node24', id: 'nodejs24.x', endOfSupport: '2028-04-30', deployBlocked: '2028-06-01', source: LAMBDA_NODEJS },
];
