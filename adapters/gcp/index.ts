export { adapt } from './adapt.js';
export { register, registerBufferedHttp } from './register.js';
export { SIGNATURE_TYPES, SUPPORTED_KINDS } from './types.js';
export type {
  AdaptOptions,
  GcpCloudEvent,
  GcpCloudEventContext,
  GcpCloudEventHandler,
  GcpCloudEventNative,
  GcpHttpContext,
  GcpHttpHandler,
  GcpHttpNative,
  GcpPushContext,
  GcpPushNative,
  GcpRequest,
  GcpResponse,
  RegisterOptions,
  SignatureType,
  SupportedKind,
} from './types.js';
export type { MessagePublishedData, PubsubMessageJson, PubsubPushEnvelope } from './pubsub.js';
export type { StorageObjectData } from './storage.js';
