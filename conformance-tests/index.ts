export { runConformance, runCases, builtinCases, fixtureAppDir, type ConformanceOptions, type ConformanceReport } from './runner.js';
export { startEmulator, startAwsEmulator, startAzureEmulator, startGcpEmulator, type EmulatorOptions, type RunningEmulator } from './emulators/index.js';
export * from './invoker.js';
export { startProbe, type Probe, type ProbeRecord } from './probe.js';
export { eventCases } from './cases/events.js';
export { formatTable, type CaseResult } from './report.js';
export { httpCases } from './cases/http.js';
