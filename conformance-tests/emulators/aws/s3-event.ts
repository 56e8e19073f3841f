/** The `S3Event` an S3 bucket notification sends a Lambda function (pure). */
import { randomBytes } from 'node:crypto';
import type { S3EventRecord } from 'aws-lambda';
import { REGION } from './lambda-protocol.js';

export const bucketArn = (bucket: string): string => `arn:aws:s3:::${bucket}`;

/** The event names S3 sends for a plain PUT and a plain DELETE (on a bucket without versioning). */
export const S3_EVENT_NAMES = { created: 'ObjectCreated:Put', deleted: 'ObjectRemoved:Delete' } as const;

/** Ids S3 puts in its events for the account and its principal (any IAM-looking values do). */
const OWNER_ID = 'A1FAASPORTEMULATOR';
const PRINCIPAL_ID = 'AWS:AIDAFAASPORTEMULATOR1';

/**
 * Keys in S3 notifications are URL-encoded form style (as Java's URLEncoder does): letters, digits and `.-_*`
 * stay, a space becomes `+`, everything else (`/` and `+` included) is percent-encoded from its UTF-8 bytes.
 * So `my file+name é.txt` arrives as `my+file%2Bname+%C3%A9.txt` and `a/b` as `a%2Fb` (the Lambda console's own
 * S3 test event carries `test%2Fkey`).
 */
export function encodeS3Key(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replaceAll('%20', '+');
}

/** A delete notification carries only the key and sequencer of the object. */
export type S3NotificationObject = Omit<S3EventRecord['s3']['object'], 'size' | 'eTag'> & { size?: number; eTag?: string };
export type S3NotificationRecord = Omit<S3EventRecord, 's3'> & {
  s3: Omit<S3EventRecord['s3'], 'object'> & { object: S3NotificationObject };
};
export interface S3NotificationEvent {
  Records: S3NotificationRecord[];
}

export interface S3NotificationInit {
  readonly bucket: string;
  /** The object key, not encoded. */
  readonly key: string;
  readonly type: keyof typeof S3_EVENT_NAMES;
  /** Size and MD5 of the stored object (created only). */
  readonly object: { readonly size: number; readonly md5: string } | undefined;
  readonly time: Date;
  /** Hex, increasing per key: consumers order events of one key by it. */
  readonly sequencer: string;
  /** The notification configuration's id (SAM names it after the function and event). */
  readonly configurationId: string;
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex').toUpperCase();

export function toS3Event(init: S3NotificationInit): S3NotificationEvent {
  // Key order as S3 writes it: key, size, eTag, sequencer.
  const object: S3NotificationObject = init.object
    ? { key: encodeS3Key(init.key), size: init.object.size, eTag: init.object.md5, sequencer: init.sequencer }
    : { key: encodeS3Key(init.key), sequencer: init.sequencer };
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: REGION,
        eventTime: init.time.toISOString(),
        eventName: S3_EVENT_NAMES[init.type],
        userIdentity: { principalId: PRINCIPAL_ID },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': hex(8), 'x-amz-id-2': randomBytes(48).toString('base64') },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: init.configurationId,
          bucket: { name: init.bucket, ownerIdentity: { principalId: OWNER_ID }, arn: bucketArn(init.bucket) },
          object,
        },
      },
    ],
  };
}

/** S3-style sequencers: fixed-width upper-case hex that grows with time (and a counter within a millisecond). */
export function sequencerFactory(now: () => number = Date.now): () => string {
  let last = 0n;
  return () => {
    const next = BigInt(now()) * 4096n;
    last = next > last ? next : last + 1n;
    return last.toString(16).toUpperCase().padStart(18, '0');
  };
}
