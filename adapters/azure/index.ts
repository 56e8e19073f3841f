export { adapt } from './adapt.js';
export { register, httpFunctionOptions, azureMethods } from './register.js';
export { toAzureRoute, AZURE_ROOT_ROUTE } from './route.js';
export { parseSetCookie } from './cookies.js';
export type { AdaptOptions, AzureHttpHandler, AzureHttpNative, RegisterOptions } from './types.js';
