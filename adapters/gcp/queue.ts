/**
 * queue -> a Pub/Sub push subscription POSTing to an HTTP function. Each request carries one message
 * in the wrapped envelope (`application/json`, see pubsub.ts). Pub/Sub acknowledges on 102, 200, 201,
 * 202 or 204 and treats every other answer, 4xx included, as a nack: the message is redelivered with
 * backoff and, when the subscription has a dead-letter policy, moved to the dead-letter topic after
 * `maxDeliveryAttempts` (5-100). So:
 * - handler succeeded -> 204 (ack);
 * - handler threw -> 500 "Internal Server Error" (nack; the error with its cause is logged);
 * - not a push envelope -> 400 with the reason in the body (also a nack: nothing is silently acked;
 *   a message that is really malformed ends in the dead-letter topic).
 * `deliveryCount` is the envelope's `deliveryAttempt`, which Pub/Sub sends only when the subscription
 * has a dead-letter policy (faasport's deploy sets one); without it every delivery reports 1.
 * Unwrapped push (`--push-no-wrapper`, the raw bytes as body and metadata in headers) is not supported.
 */
import type { Readable } from 'node:stream';
import { utf8Decode, utf8Encode } from '../../core/body.js';
import { BadEventError } from '../../core/errors.js';
import { runEvent, type EventFunction as CoreEventFunction } from '../../core/events.js';
import { createLogger } from '../../core/log.js';
import type { QueueFunction } from '../../core/types.js';
import { deadlineOf, defaultFunctionName } from './http.js';
import { writeResponse, writeText } from './http-response.js';
import { cloudLoggingSink } from './log.js';
import { parsePushEnvelope, toMessage, type PubsubPushEnvelope } from './pubsub.js';
import type { AdaptOptions, GcpHttpHandler, GcpPushNative, GcpRequest, GcpResponse } from './types.js';

/** Content types the framework's JSON body parsers have already parsed into `req.body`. */
const PARSED_JSON = ['application/json', 'application/cloudevents+json'];

async function readStream(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(utf8Decode(bytes));
  } catch (cause) {
    // Our words only: the engine's parse message quotes the bytes, half a surrogate pair included.
    throw new BadEventError('faasport: the push request body is not JSON (expected a Pub/Sub push envelope)', { cause });
  }
}

/** The JSON body, whichever of the framework's parsers (if any) read it. */
export async function pushBody(req: GcpRequest): Promise<unknown> {
  if (req.is(PARSED_JSON) && req.rawBody !== undefined) return req.body;
  if (req.rawBody !== undefined) return parseJson(req.rawBody);
  // No Content-Type: no parser ran and the stream is unread.
  if (!req.readableEnded) return parseJson(await readStream(req));
  throw new BadEventError('faasport: the push request has no body (expected a Pub/Sub push envelope)');
}

export function adaptQueue(fn: QueueFunction, options: AdaptOptions = {}): GcpHttpHandler {
  const functionName = options.name ?? defaultFunctionName();
  const source = fn.options.queue;
  return async (req: GcpRequest, res: GcpResponse): Promise<void> => {
    const deadline = deadlineOf(options, Date.now());
    let envelope: PubsubPushEnvelope;
    try {
      if (req.method !== 'POST') {
        // Pub/Sub only ever POSTs; answer other methods as any HTTP server would.
        req.resume();
        writeResponse(res, { status: 405, headers: { 'content-type': 'text/plain; charset=utf-8', allow: 'POST' }, cookies: [], body: utf8Encode('Method Not Allowed') });
        return;
      }
      envelope = parsePushEnvelope(await pushBody(req));
    } catch (error) {
      if (!(error instanceof BadEventError)) throw error;
      createLogger(cloudLoggingSink({ function: functionName, invocationId: crypto.randomUUID() })).warn(
        'faasport: malformed push request answered 400 (Pub/Sub counts it as a failed delivery)',
        { reason: error.message },
      );
      writeText(res, 400, `Bad Request: ${error.message}`);
      return;
    }
    const message = toMessage(envelope.message, { source, deliveryCount: envelope.deliveryAttempt ?? 1 });
    const native: GcpPushNative = { req, res, envelope };
    const settled = await runEvent(fn as CoreEventFunction, message, {
      provider: 'gcp',
      functionName,
      invocationId: message.id,
      deadline,
      native,
      logSink: cloudLoggingSink({ function: functionName, invocationId: message.id }),
    });
    if (settled.ok) {
      res.statusCode = 204;
      res.end();
    } else {
      writeText(res, 500, 'Internal Server Error');
    }
  };
}
