/**
 * The app settings that name an Azure app's storage accounts and Service Bus namespaces: the defaults
 * `register()` falls back to (adapters/azure/registration.ts), their local emulator values, and the shell
 * variable deploy.sh reads for each.
 */

/** The settings `register()` falls back to. */
export const DEFAULT_STORAGE_CONNECTION = 'AzureWebJobsStorage';
export const DEFAULT_SERVICE_BUS_CONNECTION = 'ServiceBusConnection';
/** Azure Storage emulator (Azurite) connection, for local runs. */
export const LOCAL_STORAGE_CONNECTION = 'UseDevelopmentStorage=true';
/** The Service Bus emulator's documented connection string: a placeholder until a real namespace is set. */
export const LOCAL_SERVICE_BUS_CONNECTION =
  'Endpoint=sb://localhost;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;';
export const storageConnection = (connection: string | undefined) => connection ?? DEFAULT_STORAGE_CONNECTION;
export const serviceBusConnection = (connection: string | undefined) => connection ?? DEFAULT_SERVICE_BUS_CONNECTION;

/** The shell variable naming the storage account / Service Bus namespace behind a connection setting. */
export function accountVariable(kind: 'storage' | 'serviceBus', connection: string): string {
  const [base, fallback] = kind === 'storage' ? ['STORAGE_ACCOUNT', DEFAULT_STORAGE_CONNECTION] : ['SERVICEBUS_NAMESPACE', DEFAULT_SERVICE_BUS_CONNECTION];
  return connection === fallback ? base : `${base}_${connection.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}
