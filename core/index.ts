export * from './types.js';
export { http, queue, topic, storage, schedule, event, isFaasFunction, defineConfig } from './define.js';
export { RouteError } from './route.js';
export { BadEventError, PayloadError } from './errors.js';
