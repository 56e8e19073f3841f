/**
 * An app whose module fails at init while a marker file exists (FAASPORT_MARKER_DIR/fail-init), as code that
 * reads a missing setting or connects to an unreachable store at load time does.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { http } from '../../../core/define.js';

if (existsSync(join(process.env.FAASPORT_MARKER_DIR!, 'fail-init'))) throw new Error('cannot read the config store at load time');

/** `/crash` ends the process, so the next request starts (and initialises) a new one. */
export const crashy = http({ route: '/crash' }, () => process.exit(1));
export const hello = http({ route: '/hello' }, () => new Response('hello'));
