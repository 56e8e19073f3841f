export { startAzureEmulator, type AzureEmulator, type AzureEmulatorLog, type AzureEmulatorOptions } from './emulator.js';
export { toRpcHttp, toInvocationRequest, fromInvocationResponse, formatSetCookie, escapeDataString } from './rpc.js';
export { buildRoutes, selectRoute, parseTemplate, matchTemplate } from './routes.js';
export { parseTimeSpan, readAppConfig, type AppConfig } from './app-config.js';
export type { RegisteredFunction, RpcHttpData, RpcHttpCookie, RpcInvocationRequest, RpcInvocationResponse } from './protocol.js';
