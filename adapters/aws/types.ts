/** Public types of faasport/aws. Type-only imports: nothing from 'aws-lambda' is bundled. */
import type {
  ALBEvent,
  ALBResult,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  Context as LambdaContext,
  LambdaFunctionURLEvent,
} from 'aws-lambda';
import type { HttpContext } from '../../core/types.js';

export type { LambdaContext };

/** What `ctx.native` holds on AWS: the raw Lambda event and context, for escape hatches. */
export interface AwsNative<E> {
  readonly event: E;
  readonly context: LambdaContext;
}

/** The Lambda payload shapes an HTTP function answers (see http/detect.ts). */
export const HTTP_EVENT_SHAPES = ['apigw-v2', 'apigw-v1', 'alb', 'alb-multi-value'] as const;
export type HttpEventShape = (typeof HTTP_EVENT_SHAPES)[number];

export type AwsHttpEvent = APIGatewayProxyEventV2 | LambdaFunctionURLEvent | APIGatewayProxyEvent | ALBEvent;
export type AwsHttpResult = APIGatewayProxyStructuredResultV2 | APIGatewayProxyResult | ALBResult;
export type AwsHttpNative = AwsNative<AwsHttpEvent>;
/** `ctx` of an HTTP handler on AWS: `(ctx as AwsHttpContext).native.event`. */
export type AwsHttpContext = HttpContext<AwsHttpNative>;

/** The native Lambda handler `adapt(httpFunction)` returns. */
export type AwsHttpHandler = (event: AwsHttpEvent, context: LambdaContext) => Promise<AwsHttpResult>;

export interface AdaptOptions {
  /** The faasport function name, used as `ctx.functionName` (default: the Lambda function name). */
  readonly name?: string;
}
