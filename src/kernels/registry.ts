/**
 * The kernel-backend registry: every backend (ts, wasm, native) registers a set of kernels with a
 * priority; the active backend is the one named by `setBackend`, else by `DEEPWELL_KERNELS`, else
 * the highest-priority backend that can run here. A backend may implement a subset of the kernels:
 * each kernel it lacks comes from the next backend below it in priority, down to `ts`, which
 * implements them all (it is the oracle).
 *
 * `kernels` is one object whose methods are replaced in place when the choice changes, so callers
 * may hold it (`kernels.gemm(...)`) without an extra indirection per call.
 *
 * Browser-clean: no Node import; the environment is read by core/kernels_env.ts.
 *
 * @example
 * registerBackend('mine', { gemm: myGemm }, 50);   // serves gemm, the rest falls back
 * setBackend('mine');
 * await ready();                                    // 'mine'
 */
import { ValueError, nearestName } from '../core/errors.js';
import { kernelsFromEnvironment } from '../core/kernels_env.js';
import type { Kernels } from './kernels.js';
import { tsKernels } from './ts/index.js';

/** Names of the backends deepwell ships (others may be registered by users). */
export const BACKEND_NAMES = ['native', 'wasm', 'ts'] as const;

/** Priorities of the shipped backends: native (Node addon) > wasm (SIMD) > ts (always). */
export const BACKEND_PRIORITY = { native: 300, wasm: 200, ts: 0 } as const;

/** Options of `registerBackend`. */
export interface BackendOptions {
  /**
   * Why this backend cannot run here (e.g. 'native addon not built: no C++ compiler'). A backend
   * with a reason is listed by `backendInfo` but never chosen. Default: it can run.
   */
  unavailableReason?: string;
  /** What runs, for `deepwell info` (e.g. 'addon built, avx512f'). */
  describe?: () => string;
  /** Threads its kernels use (default 1). */
  threads?: () => number;
}

interface Entry {
  readonly name: string;
  readonly priority: number;
  readonly order: number;
  kernels: Partial<Kernels> | undefined;
  reason: string;
  readonly options: BackendOptions;
}

/** One backend as `backendInfo` lists it. */
export interface BackendListing {
  name: string;
  priority: number;
  available: boolean;
  /** '' when available, else why not. */
  reason: string;
  /** The kernels it implements itself. */
  kernels: string[];
}

/** What runs and why, for `deepwell info`. */
export interface BackendInfo {
  /** The active backend. */
  backend: string;
  /** Why it is active: how it was selected, or why the backends above it cannot run. */
  reason: string;
  /** What it is (its `describe()`), e.g. 'addon built, avx512f'. */
  detail: string;
  /** Threads its kernels use. */
  threads: number;
  /** For each kernel, the backend that serves it. */
  servedBy: Record<string, string>;
  /** Every registered backend, highest priority first. */
  backends: BackendListing[];
}

const entries = new Map<string, Entry>();
const pending = new Set<Promise<unknown>>();
let registrations = 0;
let explicit: string | undefined;

/** The backends deepwell ships (registered when their environment allows). */
export const KNOWN_BACKENDS = ['native', 'wasm', 'ts'] as const;
/** Whether the warning for an unknown DEEPWELL_KERNELS value was given (once per process). */
let warnedUnknown = false;
let active = 'ts';
let activeReason = '';
const servedBy: Record<string, string> = {};

/** The kernels every op dispatches to (replaced in place when the backend changes). */
export const kernels: Kernels = { ...tsKernels };

function byPriority(a: Entry, b: Entry): number {
  return b.priority - a.priority || a.order - b.order;
}

function describeEntry(e: Entry): string {
  return e.options.describe?.() ?? '';
}

/** Chooses the active backend and rebuilds `kernels` from it and the backends below it. */
function resolve(): void {
  const sorted = [...entries.values()].sort(byPriority);
  const runnable = sorted.filter((e) => e.kernels !== undefined && e.reason === '');
  const requested = explicit ?? kernelsFromEnvironment();
  if (explicit === undefined && requested !== undefined && !entries.has(requested) && !(KNOWN_BACKENDS as readonly string[]).includes(requested) && !warnedUnknown) {
    // A misspelt variable would otherwise go unnoticed: every command runs on the best backend.
    warnedUnknown = true;
    const near = nearestName(requested, KNOWN_BACKENDS);
    console.warn(`deepwell: DEEPWELL_KERNELS=${requested} names no kernel backend (known: ${KNOWN_BACKENDS.join(', ')}${near !== undefined ? `; did you mean '${near}'?` : ''}); using the fastest backend that runs.`);
  }
  let chosen: Entry | undefined;
  let why = '';
  if (requested !== undefined) {
    const e = entries.get(requested);
    if (e !== undefined && e.kernels !== undefined && e.reason === '') {
      chosen = e;
      why = explicit !== undefined ? `set by setBackend('${requested}')` : `selected by DEEPWELL_KERNELS=${requested}`;
    } else {
      const source = explicit !== undefined ? `setBackend('${requested}')` : `DEEPWELL_KERNELS=${requested}`;
      why = e === undefined
        ? `${source} names no registered backend (registered: ${sorted.map((x) => x.name).join(', ')}); `
        : `${source} cannot run (${e.reason === '' ? 'still loading' : e.reason}); `;
    }
  }
  if (chosen === undefined) {
    chosen = runnable[0];
    const skipped = sorted.filter((e) => byPriority(e, chosen as Entry) < 0 && e.reason !== '');
    why += skipped.length > 0 ? skipped.map((e) => e.reason).join('; ') : (describeEntry(chosen) || 'the fastest backend that runs here');
  }
  const chain = runnable.filter((e) => byPriority(e, chosen as Entry) >= 0).reverse();
  const merged: Partial<Kernels> = {};
  for (const key of Object.keys(servedBy)) delete servedBy[key];
  for (const key of Object.keys(tsKernels)) servedBy[key] = 'ts';
  for (const e of chain) {
    for (const [key, fn] of Object.entries(e.kernels as Partial<Kernels>)) {
      if (fn === undefined) continue;
      (merged as Record<string, unknown>)[key] = fn;
      servedBy[key] = e.name;
    }
  }
  Object.assign(kernels, tsKernels, merged);
  active = chosen.name;
  activeReason = why;
}

/**
 * Registers (or replaces) a backend.
 *
 * @param name - the name `setBackend` and `DEEPWELL_KERNELS` use.
 * @param impl - the kernels it implements (any subset), or a promise of them (the backend becomes
 *   selectable when it resolves; `ready()` waits for it; a rejection marks it unavailable).
 * @param priority - larger runs first (see BACKEND_PRIORITY).
 * @throws ValueError for an empty name or a non-finite priority.
 */
export function registerBackend(name: string, impl: Partial<Kernels> | Promise<Partial<Kernels>>,
  priority: number, options: BackendOptions = {}): void {
  if (name === '' || !Number.isFinite(priority)) {
    throw new ValueError(`registerBackend: expected a non-empty name and a finite priority, got name '${name}' and priority ${priority}.`);
  }
  const entry: Entry = {
    name, priority, order: entries.get(name)?.order ?? registrations++, kernels: undefined,
    reason: options.unavailableReason ?? '', options,
  };
  entries.set(name, entry);
  if (impl instanceof Promise) {
    const p = impl.then(
      (k) => { entry.kernels = k; },
      (e: unknown) => { entry.reason = `${name} failed to load: ${e instanceof Error ? e.message : String(e)}`; },
    ).finally(() => {
      pending.delete(p);
      resolve();
    });
    pending.add(p);
  } else {
    entry.kernels = impl;
  }
  resolve();
}

/**
 * Makes `name` the active backend (its kernels first, the rest from the backends below it).
 * @throws ValueError when no backend of that name is registered, or when it cannot run here.
 */
export function setBackend(name: string): void {
  const e = entries.get(name);
  if (e === undefined) {
    const names = [...entries.keys()];
    const near = nearestName(name, names);
    throw new ValueError(`setBackend: no kernel backend '${name}'; registered: ${names.join(', ')}.${near === undefined ? '' : ` Did you mean '${near}'?`}`);
  }
  if (e.reason !== '' || e.kernels === undefined) {
    throw new ValueError(`setBackend: backend '${name}' cannot run here: ${e.reason === '' ? 'still loading (await ready() first)' : e.reason}.`);
  }
  explicit = name;
  resolve();
}

/** Forgets `setBackend`: back to `DEEPWELL_KERNELS`, else the highest priority that runs. */
export function resetBackend(): void {
  explicit = undefined;
  resolve();
}

/** The name of the active backend. */
export function getBackend(): string {
  return active;
}

/** Resolves, with the active backend's name, once every backend registered so far has loaded. */
export async function ready(): Promise<string> {
  while (pending.size > 0) await Promise.all([...pending]);
  return active;
}

/** The active backend, why, its threads, which backend serves each kernel, and every backend. */
export function backendInfo(): BackendInfo {
  const e = entries.get(active) as Entry;
  return {
    backend: active,
    reason: activeReason,
    detail: describeEntry(e),
    threads: e.options.threads?.() ?? 1,
    servedBy: { ...servedBy },
    backends: [...entries.values()].sort(byPriority).map((x) => ({
      name: x.name, priority: x.priority, available: x.reason === '' && x.kernels !== undefined,
      reason: x.reason, kernels: Object.keys(x.kernels ?? {}),
    })),
  };
}

registerBackend('ts', tsKernels, BACKEND_PRIORITY.ts, { describe: () => 'TypeScript reference kernels' });
