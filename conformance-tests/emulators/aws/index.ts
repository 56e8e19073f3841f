export { startAwsEmulator, type AwsEmulator, type AwsEmulatorOptions, type InvokeResult } from './emulator.js';
export { parseManifest, ManifestError, type AwsManifest, type ManifestFunction, type HttpManifestFunction } from './manifest.js';
export { toHttpApiEvent, type ReceivedRequest, type GatewayInfo } from './http-api-event.js';
export { toGatewayResponse, type GatewayResponse } from './http-api-result.js';
export { buildRouteTable, selectRoute, toGatewayPath, type HttpRoute, type RouteSelection } from './routes.js';
export {
  DeliveryError,
  classifyStimulus,
  type Stimulus,
  type MessageStimulus,
  type StorageStimulus,
  type ScheduleStimulus,
  type CloudEventStimulus,
  type DeliveryReport,
  type MessageOutcome,
} from './delivery.js';
export type { OnFailureRecord } from './async-invocations.js';
export type { QueuedMessage } from './sqs-queue.js';
export { encodeS3Key } from './s3-event.js';
