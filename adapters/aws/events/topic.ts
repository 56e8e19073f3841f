/** The Lambda handler of a topic function: SNS directly, or SNS -> SQS (fan-out) with the envelope unwrapped. */
import type { SNSEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import { BadEventError } from '../../../core/errors.js';
import type { TopicFunction } from '../../../core/types.js';
import type { AdaptOptions, AwsTopicEvent, AwsTopicHandler, AwsTopicNative, LambdaContext } from '../types.js';
import { detectEventSource, wrongEvent } from './detect.js';
import { invocation, runAllOrThrow, runSqsBatch, type Invocation, type Job } from './invocation.js';
import { envelopeMessage, parseSnsEnvelope, snsMessage } from './sns.js';
import { receiveCount } from './sqs.js';

export const TOPIC_EXPECTS = 'an SNS event (Records from aws:sns) or an SQS event whose bodies are SNS notifications';

function readEnvelopeRecord(_fn: TopicFunction, record: SQSRecord, inv: Invocation<SQSEvent>): Job<AwsTopicNative> {
  const envelope = parseSnsEnvelope(record.body);
  if (!envelope) {
    throw new BadEventError(
      `faasport/aws: SQS message ${record.messageId} is not an SNS notification (expected a JSON body with Type "Notification"); ` +
        'a topic function fed through SQS needs raw message delivery OFF on the subscription (or define it with queue())',
    );
  }
  const native: AwsTopicNative = { event: inv.event, context: inv.context, record: envelope, carrier: record };
  const input = envelopeMessage(envelope, receiveCount(record));
  return { input, native, fields: { messageId: envelope.MessageId, sqsMessageId: record.messageId } };
}

/** SNS invokes with one record; with several, all run and any failure throws so that SNS retries the event. */
function snsJobs(event: SNSEvent, context: LambdaContext): Job<AwsTopicNative>[] {
  return event.Records.map((record, index) => {
    const input = snsMessage(record, index);
    return { input, native: { event, context, record }, fields: { messageId: input.id } };
  });
}

export function topicHandler(fn: TopicFunction, options: AdaptOptions = {}): AwsTopicHandler {
  const name = options.name;
  return async function faasportAwsTopic(event: AwsTopicEvent, context: LambdaContext) {
    const source = detectEventSource(event);
    if (source === 'sqs') return runSqsBatch(fn, invocation(event as SQSEvent, context, name), readEnvelopeRecord);
    if (source !== 'sns') throw wrongEvent('topic', TOPIC_EXPECTS, event);
    const inv = invocation(event, context, name);
    await runAllOrThrow(fn, inv, snsJobs(event as SNSEvent, context));
    return undefined;
  };
}
