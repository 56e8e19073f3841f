export { adapt } from './adapt.js';
export { HTTP_EVENT_SHAPES } from './types.js';
export type {
  AdaptOptions,
  AwsHttpContext,
  AwsHttpEvent,
  AwsHttpHandler,
  AwsHttpNative,
  AwsHttpResult,
  AwsNative,
  HttpEventShape,
  LambdaContext,
} from './types.js';
