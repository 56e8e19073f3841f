export { startAwsEmulator, type AwsEmulator, type AwsEmulatorOptions, type InvokeResult } from './emulator.js';
export { parseManifest, ManifestError, type AwsManifest, type ManifestFunction, type HttpManifestFunction } from './manifest.js';
export { toHttpApiEvent, type ReceivedRequest, type GatewayInfo } from './http-api-event.js';
export { toGatewayResponse, type GatewayResponse } from './http-api-result.js';
export { buildRouteTable, selectRoute, toGatewayPath, type HttpRoute, type RouteSelection } from './routes.js';
