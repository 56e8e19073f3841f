export { startAzureEmulator, type AzureEmulator, type AzureEmulatorLog, type AzureEmulatorOptions } from './emulator.js';
export { toRpcHttp, toInvocationRequest, fromInvocationResponse, formatSetCookie, escapeDataString } from './rpc.js';
export { buildRoutes, selectRoute, parseTemplate, matchTemplate } from './routes.js';
export { parseTimeSpan, readAppConfig, type AppConfig, type ManifestFunction } from './app-config.js';
export { startAzurite, type AzuriteEndpoints, type AzuriteProcess } from './azurite.js';
export { StorageRest, StorageRequestError, encodeBlobPath } from './storage-rest.js';
export { sharedKeyAuthorization, stringToSign, DEV_ACCOUNT, DEV_KEY } from './shared-key.js';
export { BLOB_POISON_QUEUE, type DeadLetter } from './delivery.js';
export type { RegisteredFunction, RpcHttpData, RpcHttpCookie, RpcInvocationRequest, RpcInvocationResponse } from './protocol.js';
