export { adapt } from './adapt.js';
export { register, registerBufferedHttp, httpFunctionOptions, azureMethods } from './register.js';
export {
  azureRegistrations,
  DEFAULT_SERVICE_BUS_CONNECTION,
  DEFAULT_STORAGE_CONNECTION,
  DEFAULT_STORAGE_EVENTS,
  DELETED_SUFFIX,
  type AzureRegistration,
} from './registration.js';
export { toAzureRoute, AZURE_ROOT_ROUTE } from './route.js';
export { parseSetCookie } from './cookies.js';
export { toStorageQueueMessage } from './events/queue.js';
export { toServiceBusMessage } from './events/service-bus.js';
export { toBlobCreatedEvent } from './events/blob.js';
export { toBlobDeletedEvent, blobDeletedHandler, BLOB_DELETED_TYPE } from './events/blob-deleted.js';
export { toScheduleEvent } from './events/timer.js';
export { toCloudEvent, matchesEventOptions, type EventGridTriggerEvent } from './events/event-grid.js';
export type { AdaptOptions, AzureEventHandler, AzureEventNative, AzureHttpHandler, AzureHttpNative, RegisterOptions } from './types.js';
