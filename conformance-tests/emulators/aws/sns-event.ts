/** The `SNSEvent` an SNS topic sends a subscribed Lambda function: one record per notification (pure). */
import { randomBytes } from 'node:crypto';
import type { SNSEvent, SNSEventRecord, SNSMessage } from 'aws-lambda';
import { ACCOUNT_ID, REGION } from './lambda-protocol.js';

export const topicArn = (topic: string): string => `arn:aws:sns:${REGION}:${ACCOUNT_ID}:${topic}`;

/** A subscription ARN is the topic ARN plus the subscription id. */
export const subscriptionArn = (topic: string, subscriptionId: string): string => `${topicArn(topic)}:${subscriptionId}`;

/** SNS's own endpoint, where its signing certificate and unsubscribe link live. */
const SNS_ENDPOINT = `https://sns.${REGION}.amazonaws.com`;

/** The signing certificate SNS names in every notification (one per region and key rotation). */
export const SIGNING_CERT_URL = `${SNS_ENDPOINT}/SimpleNotificationService-${'0'.repeat(8)}faasport${'0'.repeat(16)}.pem`;

export interface SnsNotificationInit {
  readonly topic: string;
  readonly subscriptionId: string;
  readonly messageId: string;
  readonly message: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly timestamp: Date;
  /** Publish's Subject; null when none was given. */
  readonly subject: string | null;
}

/** SNS writes `"Subject": null` when the publisher gave none; the community types make it optional. */
export type SnsNotification = Omit<SNSMessage, 'Subject'> & { Subject: string | null };
export type SnsNotificationRecord = Omit<SNSEventRecord, 'Sns'> & { Sns: SnsNotification };
export type SnsNotificationEvent = Omit<SNSEvent, 'Records'> & { Records: SnsNotificationRecord[] };

export function toSnsEvent(init: SnsNotificationInit): SnsNotificationEvent {
  const subscription = subscriptionArn(init.topic, init.subscriptionId);
  const attributes: SNSMessage['MessageAttributes'] = {};
  for (const [name, value] of Object.entries(init.attributes)) attributes[name] = { Type: 'String', Value: value };
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscription,
        Sns: {
          Type: 'Notification',
          MessageId: init.messageId,
          TopicArn: topicArn(init.topic),
          Subject: init.subject,
          Message: init.message,
          Timestamp: init.timestamp.toISOString(),
          SignatureVersion: '1',
          // Not a real signature: SNS signs with its private key (RSA-SHA1, 256 bytes for SignatureVersion 1).
          Signature: randomBytes(256).toString('base64'),
          SigningCertUrl: SIGNING_CERT_URL,
          UnsubscribeUrl: `${SNS_ENDPOINT}/?Action=Unsubscribe&SubscriptionArn=${subscription}`,
          MessageAttributes: attributes,
        },
      },
    ],
  };
}
