/** Builds what the worker hands a v4 handler: the library's own InvocationContext, with captured logs. */
import azureFunctions from '@azure/functions';
import type { TriggerMetadata } from '@azure/functions';

export interface Logged {
  level: string;
  args: unknown[];
}

export function invocationContext(triggerMetadata?: TriggerMetadata, functionName = 'azureName') {
  const logs: Logged[] = [];
  const context = new azureFunctions.InvocationContext({
    invocationId: 'inv-42',
    functionName,
    logHandler: (level, ...args) => logs.push({ level, args }),
    ...(triggerMetadata ? { triggerMetadata } : {}),
  });
  return { context, logs };
}

/**
 * What `@azure/functions` makes of a value the host sent as `string` typed data: a lenient JSON.parse
 * (fromRpcTypedData), so tests can show the trap the adapter avoids.
 */
export function libraryParsedString(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
