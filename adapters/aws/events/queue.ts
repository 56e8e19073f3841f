/** The Lambda handler of a queue function: SQS batches, answered with a partial batch response. */
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { LogFields, QueueFunction } from '../../../core/types.js';
import type { AdaptOptions, AwsQueueHandler, AwsQueueNative, LambdaContext } from '../types.js';
import { detectEventSource, wrongEvent } from './detect.js';
import { invocation, runSqsBatch, type Invocation, type Job } from './invocation.js';
import { sqsMessage } from './sqs.js';

export const QUEUE_EXPECTS = 'an SQS event (Records from aws:sqs)';

/**
 * A body is delivered as is, even when it is an SNS envelope (an SNS -> SQS subscription without raw message
 * delivery): a queue function sees what is in the queue. Enable raw message delivery on the subscription to
 * get the published message itself, or define the function with topic() to have the envelope unwrapped.
 */
function readQueueRecord(_fn: QueueFunction, record: SQSRecord, inv: Invocation<SQSEvent>): Job<AwsQueueNative> {
  return { input: sqsMessage(record), native: { event: inv.event, context: inv.context, record }, fields: messageIdField };
}

/** The log field telling the messages of a batch apart, made only when a line is written. */
const messageIdField = (native: AwsQueueNative): LogFields => ({ messageId: native.record.messageId });

export function queueHandler(fn: QueueFunction, options: AdaptOptions = {}): AwsQueueHandler {
  const name = options.name;
  return async function faasportAwsQueue(event: SQSEvent, context: LambdaContext) {
    if (detectEventSource(event) !== 'sqs') throw wrongEvent('queue', QUEUE_EXPECTS, event);
    return runSqsBatch(fn, invocation(event, context, name), readQueueRecord);
  };
}
