export { startGcpEmulator, type GcpEmulator, type GcpEmulatorOptions } from './emulator.js';
export { parseManifest, ManifestError, type GcpManifest, type ManifestFunction, type HttpManifestFunction, type EventManifestFunction } from './manifest.js';
export type { OutputListener, OutputStream } from './child.js';
export type { DeadLetter } from './events.js';
