/**
 * The differences between providers that faasport documents: declared once, here, each with the README line
 * it refers to and its reason. The runner compares what the providers answered in each case; a difference
 * not covered by one of these fails the run even when every assertion passed.
 */
import type { Provider } from '../core/types.js';

export interface DocumentedDifference {
  /** The README line it refers to: the bold lead of a bullet under "Differences the platforms impose", verbatim. */
  readonly readme: string;
  /** Why the platforms differ here. */
  readonly reason: string;
  /** The providers that answer differently from the others. */
  readonly providers: readonly Provider[];
  /** The observation keys it covers (see observations.ts), e.g. /^handler onShipped saw → #\d+ id$/. */
  readonly keys: RegExp;
  /** The cases it applies to (default: every case, users' own included). */
  readonly cases?: readonly string[];
}

/** Where the documented differences are written for users. */
export const DIFFERENCES_SECTION = 'Differences the platforms impose';

export const DOCUMENTED_DIFFERENCES: readonly DocumentedDifference[] = [
  {
    readme: 'A streaming function on AWS runs on when the client disconnects',
    reason:
      '"streamed responses are not interrupted or stopped when the invoking client connection is broken" ' +
      '(https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html); Azure and GCP drop the connection and faasport aborts ctx.signal. ' +
      'The case waits for the last record the function can send (AWS: its end; Azure, GCP: past its own 2 s end), so none lands in a later case',
    providers: ['aws'],
    keys: /^handler streamAbort saw → /,
    cases: ['a client that disconnects mid-stream aborts ctx.signal (on AWS the function runs on, as Lambda does)'],
  },
  {
    readme: 'CloudEvents on AWS carry the id EventBridge assigns',
    reason:
      "a CloudEvent put on an EventBridge bus becomes Source, DetailType, Resources, Time and Detail; the event's id is EventBridge's own " +
      '(https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsRequestEntry.html)',
    providers: ['aws'],
    keys: /^handler onShipped saw → #\d+ id$/,
  },
  {
    readme: 'Unknown paths on Azure get the host\'s empty 404',
    reason:
      'the Functions host answers a URL no function route matches itself, with an empty body, before any function runs; ' +
      "API Gateway answers {\"message\":\"Not Found\"} and faasport's GCP router says the same",
    providers: ['azure'],
    keys: /→ (header content-type|body)$/,
    cases: ['unknown path answers 404', 'a method no function declares on a shared route answers 404'],
  },
  {
    readme: 'A private function refuses anonymous callers in each platform\'s own words',
    reason:
      'the refusal comes from the platform before any function code runs: API Gateway\'s IAM check answers 403 ' +
      '{"message":"Forbidden"} (https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden), the Functions host ' +
      '401 with an empty body (Azure/azure-functions-host FunctionInvocationMiddleware.cs, UnauthorizedResult), Google\'s front end ' +
      '403 with an HTML page (https://cloud.google.com/run/docs/troubleshooting)',
    providers: ['aws', 'azure', 'gcp'],
    keys: /→ (status|header content-type|body)$/,
    cases: ['a private function refuses a caller without credentials'],
  },
  {
    readme: 'Topic functions on AWS and GCP see `deliveryCount` 1 on every attempt',
    reason:
      'an SNS event is retried by Lambda as the same event (https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html) and ' +
      "Eventarc's Pub/Sub CloudEvent has no delivery attempt (https://cloud.google.com/eventarc/docs/cloudevents); Service Bus counts",
    providers: ['aws', 'gcp'],
    keys: /^handler onSignup saw → #\d+ deliveryCount$/,
  },
  {
    readme: 'A crash makes the messages beside it run again',
    reason:
      'a dead process takes every message it held back to the queue; whether a neighbour had already run depends on how the ' +
      'platform hands out messages (one SQS batch per Lambda invocation, one invocation per message on Azure and GCP) and on timing',
    providers: ['aws', 'azure', 'gcp'],
    // What ran and how often each message was attempted (a neighbour acked before the crash counts 1, else 2).
    keys: /^(handler onOrder saw|deliver onOrder) → /,
    cases: ['handler crash mid-batch loses no message'],
  },
  {
    readme: "A deleted object's size is known on GCP only",
    reason:
      "a Cloud Storage deleted event's data is the object's metadata, size included " +
      '(https://firebase.google.com/docs/reference/functions/2nd-gen/python/firebase_functions.storage_fn); S3 ObjectRemoved records ' +
      'carry key and sequencer only (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html)',
    providers: ['gcp'],
    keys: /^handler onUpload saw → #\d+ size$/,
  },
  {
    readme: 'Work left running after the response is frozen on AWS',
    reason:
      'Lambda freezes the execution environment between invocations (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html); ' +
      'the Functions host does not track background work, which runs on (https://learn.microsoft.com/azure/azure-functions/performance-reliability); ' +
      'Cloud Run allocates CPU only during requests by default, "disabled or severely limited" after (https://cloud.google.com/run/docs/tips/general), ' +
      'which the GCP emulator does not throttle',
    providers: ['aws'],
    keys: /^GET \/sandbox\/background\?waitMs=300 → body$/,
    cases: ['work left running after the response makes no progress until the next invocation'],
  },
  {
    readme: 'Only AWS and Azure keep the deployed code read-only',
    reason:
      'Lambda: only /tmp is writable (https://docs.aws.amazon.com/lambda/latest/dg/configuration-ephemeral-storage.html); Azure: running from a package ' +
      'makes wwwroot read-only (https://learn.microsoft.com/azure/azure-functions/run-functions-from-deployment-package); Cloud Run: the filesystem ' +
      'is writable, in memory (https://cloud.google.com/run/docs/container-contract#filesystem)',
    providers: ['gcp'],
    keys: /^POST \/sandbox\/write → (body|header x-code-folder-error)$/,
    cases: ['writes outside /tmp fail, /tmp is writable'],
  },
];

/** The documented differences that cover `key` in case `name`. */
export function differencesFor(
  differences: readonly DocumentedDifference[],
  name: string,
  key: string,
): DocumentedDifference[] {
  return differences.filter((d) => (!d.cases || d.cases.includes(name)) && d.keys.test(key));
}

/** Whether `provider` is one of those a documented difference names, found by its README line. */
export function documents(provider: Provider, readme: string, differences: readonly DocumentedDifference[] = DOCUMENTED_DIFFERENCES): boolean {
  const found = differences.find((d) => d.readme === readme);
  if (!found) throw new Error(`no documented difference reads "${readme}"`);
  return found.providers.includes(provider);
}
