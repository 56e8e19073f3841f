export { adapt } from './adapt.js';
export { register } from './register.js';
export { SUPPORTED_KINDS } from './types.js';
export type {
  AdaptOptions,
  GcpHttpContext,
  GcpHttpHandler,
  GcpHttpNative,
  GcpRequest,
  GcpResponse,
  SupportedKind,
} from './types.js';
