export { runConformance, runCases, builtinCases, fixtureAppDir, type ConformanceOptions, type ConformanceReport } from './runner.js';
export { startEmulator, type EmulatorOptions, type RunningEmulator } from './emulators/index.js';
export { defineCase, httpInvoker, type ConformanceCase, type Invoker } from './invoker.js';
export { formatTable, type CaseResult } from './report.js';
export { httpCases } from './cases/http.js';
