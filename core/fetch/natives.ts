/**
 * The one place that touches the global Fetch classes. Node 20 defines `Request`, `Response` and `Headers`
 * as lazy getters that load undici (~20-30 ms) on first read; the light classes must not trigger that, yet
 * `light instanceof Request` (with the built-in class) must hold. So, once any light object exists:
 *  - the three globals are re-defined as getters that, on first read, load undici AND put the built-in
 *    prototype under the light prototype (`Object.setPrototypeOf`) before handing the class out, so nobody
 *    can hold the built-in class without the chain in place;
 *  - if undici is already loaded (a global was read before), the chain is made at once.
 * Linking also gives each light prototype a delegating member for every built-in member it lacks, so a
 * member added by a later Node still works (through the real object).
 *
 * The original descriptors live in one registry on globalThis (a `Symbol.for` key) so that two copies of
 * faasport in one process (two bundles, or a test runner re-evaluating modules) share the real classes
 * instead of mistaking each other's light classes for the built-in ones.
 */

export type FetchKind = 'Request' | 'Response' | 'Headers';
const KINDS: readonly FetchKind[] = ['Request', 'Response', 'Headers'];

export interface NativeFetch {
  Request: typeof Request;
  Response: typeof Response;
  Headers: typeof Headers;
}

/** Light objects answer `[REAL]()` with the undici object they stand for, built on first call. */
export const REAL = Symbol.for('faasport.fetch.real');

type Ctor = abstract new (...args: never[]) => object;

interface Registry {
  /** The globals as Node defined them, before any faasport copy touched them. */
  readonly saved: Partial<Record<FetchKind, PropertyDescriptor>>;
  natives: NativeFetch | undefined;
  readonly listeners: ((natives: NativeFetch) => void)[];
}

// Equivalent mutant (StringLiteral key): any fixed Symbol.for key is shared by every copy alike; only its spelling would change.
const REGISTRY = Symbol.for('faasport.fetch.registry');

const lights: Partial<Record<FetchKind, Ctor>> = {};
let registry: Registry | undefined;
/** Set by installFastFetch: the classes user code gets as the `Response` / `Headers` / `Request` globals. */
let overrides: Overrides | undefined;

interface Overrides {
  Response: Ctor;
  /** Optional so that an older caller keeps undici's Headers global. */
  Headers?: Ctor | undefined;
  makeRequest: (native: typeof Request) => Ctor;
}
let wrappedRequest: Ctor | undefined;

/** Registers a light class; linked at once if undici is already loaded. */
export function linkLight(kind: FetchKind, light: Ctor): void {
  lights[kind] = light;
  if (registry?.natives) link(kind, registry.natives);
}

/** Puts the lazy hooks on the globals; a single test after the first call. */
export function ensureHooks(): void {
  if (registry) return;
  const g = globalThis as unknown as Record<symbol, Registry | undefined>;
  let reg = g[REGISTRY];
  if (!reg) {
    reg = { saved: {}, natives: undefined, listeners: [] };
    // Equivalent mutant (configurable false): nothing deletes or re-defines the registry once made.
    Object.defineProperty(globalThis, REGISTRY, { value: reg, configurable: true });
    let loaded = false;
    for (const kind of KINDS) {
      const descriptor = Object.getOwnPropertyDescriptor(globalThis, kind);
      if (!descriptor) continue;
      reg.saved[kind] = descriptor;
      if (!descriptor.get) {
        loaded = true;
        continue;
      }
      const shared = reg;
      Object.defineProperty(globalThis, kind, {
        configurable: true,
        enumerable: descriptor.enumerable ?? false,
        get: () => {
          load(shared);
          return (globalThis as Record<string, unknown>)[kind];
        },
        set: (value: unknown) => defineGlobal(kind, value),
      });
    }
    registry = reg;
    reg.listeners.push(onLoad);
    if (loaded) load(reg);
    return;
  }
  registry = reg;
  reg.listeners.push(onLoad);
  if (reg.natives) onLoad(reg.natives);
}

/** The built-in classes (loading undici if needed), with the light prototypes linked under them. */
export function nativeFetch(): NativeFetch {
  ensureHooks();
  return registry!.natives ?? load(registry!);
}

/** Whether undici's classes have been loaded through the globals. */
export function nativesLoaded(): boolean {
  return registry?.natives !== undefined;
}

/**
 * Makes `o.Response` (and `o.Headers`) the global Response (and Headers) and, once undici is loaded, wraps
 * the global Request so that `new Request(light)` works. Called by installFastFetch only.
 */
export function setGlobalOverrides(o: Overrides): void {
  ensureHooks();
  overrides = o;
  defineGlobal('Response', o.Response);
  if (o.Headers) defineGlobal('Headers', o.Headers);
  if (registry!.natives) applyOverrides(registry!.natives);
}

function load(reg: Registry): NativeFetch {
  if (reg.natives) return reg.natives;
  const read = (kind: FetchKind): unknown => {
    const d = reg.saved[kind];
    // Node's own lazy getter re-defines the global as a plain value (ours are put back by the listeners).
    return d?.get ? d.get.call(globalThis) : d?.value;
  };
  const natives = { Request: read('Request'), Response: read('Response'), Headers: read('Headers') } as NativeFetch;
  reg.natives = natives;
  for (const kind of KINDS) {
    if (Object.getOwnPropertyDescriptor(globalThis, kind)?.get) defineGlobal(kind, natives[kind]);
  }
  for (const listener of reg.listeners) listener(natives);
  return natives;
}

function onLoad(natives: NativeFetch): void {
  for (const kind of KINDS) if (lights[kind]) link(kind, natives);
  if (overrides) applyOverrides(natives);
}

function applyOverrides(natives: NativeFetch): void {
  defineGlobal('Response', overrides!.Response);
  if (overrides!.Headers) defineGlobal('Headers', overrides!.Headers);
  wrappedRequest ??= overrides!.makeRequest(natives.Request);
  defineGlobal('Request', wrappedRequest);
}

function defineGlobal(kind: FetchKind, value: unknown): void {
  Object.defineProperty(globalThis, kind, {
    configurable: true,
    // Equivalent mutant (registry.saved): defineGlobal only runs after this copy's ensureHooks set `registry` (hooks call their own copy's functions).
    // Stryker disable next-line BooleanLiteral: Node 20 defines all three globals, so saved[kind] always holds Node's own flag
    enumerable: registry?.saved[kind]?.enumerable ?? false,
    writable: true,
    value,
  });
}

function link(kind: FetchKind, natives: NativeFetch): void {
  const light = lights[kind]!;
  const native = natives[kind] as unknown as Ctor | undefined;
  // Equivalent mutant (already-linked test false): relinking is a no-op, same prototype and every delegate already an own key.
  if (!native?.prototype || Object.getPrototypeOf(light.prototype) === native.prototype) return;
  Object.setPrototypeOf(light.prototype, native.prototype);
  if (kind === 'Headers') return; // fully implemented: nothing to delegate
  for (const key of Reflect.ownKeys(native.prototype)) {
    // Equivalent mutant (constructor test): a class prototype always has its own `constructor`, so the hasOwnProperty test skips it anyway.
    if (key === 'constructor' || Object.prototype.hasOwnProperty.call(light.prototype, key)) continue;
    const d = Object.getOwnPropertyDescriptor(native.prototype, key)!;
    if (typeof d.value === 'function') {
      Object.defineProperty(light.prototype, key, {
        configurable: true,
        writable: true,
        value: function (this: { [REAL](): Record<PropertyKey, (...a: unknown[]) => unknown> }, ...args: unknown[]) {
          const real = this[REAL]();
          return real[key]!.apply(real, args);
        },
      });
    } else if (d.get) {
      Object.defineProperty(light.prototype, key, {
        configurable: true,
        get(this: { [REAL](): Record<PropertyKey, unknown> }) {
          return this[REAL]()[key];
        },
      });
    }
  }
}
