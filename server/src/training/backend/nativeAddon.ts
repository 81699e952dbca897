// Finds and loads Masklab's optional native kernels (server/native, built by
// .ci/build-native.mjs into server/native/build/Release/masklab_kernels.node), and pins the BLAS
// thread count. tfjs-free, so `masklab model` can say what a run would get without loading tfjs.
//
// The addon is optional: every way it can be missing or broken ends in a `NativeUnavailable` with
// one line naming what and the fix, never a crash. `MASKLAB_NATIVE=off` switches it off (CI runs
// the kernel and numerics tests a second time that way).

import * as fs from 'node:fs';
import * as path from 'node:path';

/** The addon's functions (server/native/masklab_kernels.c); offsets are bytes into `heap`. */
export interface NativeAddon {
  batchMatMul(
    heap: ArrayBuffer,
    aOffset: number,
    bOffset: number,
    outOffset: number,
    batch: number,
    m: number,
    n: number,
    k: number,
    transposeA: boolean,
    transposeB: boolean,
    aBatchStride: number,
    bBatchStride: number,
  ): void;
  /** -1 when done; else the position of the first index outside the table (nothing written). */
  gatherRows(heap: ArrayBuffer, tableOffset: number, tableRows: number, rowSize: number, indicesOffset: number, count: number, outOffset: number): number;
  segmentSum(heap: ArrayBuffer, xOffset: number, idsOffset: number, outOffset: number, rows: number, rowSize: number, segments: number): void;
  gelu(heap: ArrayBuffer, xOffset: number, outOffset: number, n: number): void;
  geluGrad(heap: ArrayBuffer, xOffset: number, dyOffset: number, dxOffset: number, n: number): void;
  layerNorm(heap: ArrayBuffer, xOffset: number, gammaOffset: number, betaOffset: number, outOffset: number, rows: number, cols: number, eps: number): void;
  layerNormGrad(
    heap: ArrayBuffer,
    xOffset: number,
    gammaOffset: number,
    dyOffset: number,
    dxOffset: number,
    dgammaOffset: number,
    dbetaOffset: number,
    rows: number,
    cols: number,
    eps: number,
  ): void;
  softmaxGrad(heap: ArrayBuffer, yOffset: number, dyOffset: number, dxOffset: number, rows: number, cols: number): void;
  biasAdd(heap: ArrayBuffer, yOffset: number, biasOffset: number, outOffset: number, rows: number, cols: number): void;
  columnSum(heap: ArrayBuffer, xOffset: number, outOffset: number, rows: number, cols: number): void;
  sumSquares(heap: ArrayBuffer, xOffset: number, outOffset: number, n: number): void;
  adamW(
    heap: ArrayBuffer,
    p: number,
    g: number,
    m: number,
    v: number,
    pOut: number,
    mOut: number,
    vOut: number,
    n: number,
    clipOffset: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    epsilonHat: number,
    decay: number,
    stepSize: number,
  ): void;
  threshold(heap: ArrayBuffer, xOffset: number, outOffset: number, n: number, tau: number): void;
  dropout(heap: ArrayBuffer, xOffset: number, outOffset: number, multiplierOffset: number, n: number, keepProb: number, c: number, s0: number, s1: number, s2: number): void;
  info(): { library: string | null; threads: number; threadsSettable: boolean };
  setThreads(threads: number): number;
}

export interface NativeKernels {
  addon: NativeAddon;
  /** `OpenBLAS 0.3.21`, or `CBLAS` for another implementation. */
  library: string;
  file: string;
}

export interface NativeUnavailable {
  /** One line: what is missing and the fix. */
  reason: string;
  /** off: MASKLAB_NATIVE=off; absent: not built here; broken: built but it does not load or is stale. */
  kind: 'off' | 'absent' | 'broken';
}

/** What this version calls; an addon built from older sources is rebuilt rather than half used. */
const REQUIRED_FUNCTIONS = [
  'batchMatMul',
  'gatherRows',
  'segmentSum',
  'gelu',
  'geluGrad',
  'layerNorm',
  'layerNormGrad',
  'softmaxGrad',
  'biasAdd',
  'columnSum',
  'sumSquares',
  'adamW',
  'threshold',
  'dropout',
  'info',
  'setThreads',
] as const;

export const ADDON_RELATIVE = 'server/native/build/Release/masklab_kernels.node';
const BUILD_HINT = 'apt-get install -y libopenblas-dev, then npm run build:native';

let cached: NativeKernels | NativeUnavailable | undefined;

/** True when MASKLAB_NATIVE asks for the native kernels to stay off. */
export function nativeDisabledByEnvironment(): boolean {
  return /^(off|0|false|no)$/i.test(process.env.MASKLAB_NATIVE ?? '');
}

/**
 * Where the built addon is: MASKLAB_NATIVE_ADDON if set, else under the project root, found by
 * walking up from this file (server/src/training/backend under tsx, dist/ in the bundles).
 */
export function nativeAddonFile(): string | undefined {
  const override = process.env.MASKLAB_NATIVE_ADDON;
  if (override) return path.resolve(override);
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'server/native/binding.gyp'))) return path.join(dir, ADDON_RELATIVE);
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

function libraryName(config: string | null): string {
  if (!config) return 'CBLAS';
  const match = /^OpenBLAS\s+(\S+)/.exec(config);
  return match ? `OpenBLAS ${match[1]}` : config.split(/\s+/).slice(0, 2).join(' ');
}

function explainLoadFailure(file: string, error: unknown): string {
  const message = firstLine(error);
  if (/undefined symbol: cblas_/.test(message)) {
    return `the native kernels at ${file} were linked against a BLAS without CBLAS symbols (${message}); ${BUILD_HINT}`;
  }
  if (/NODE_MODULE_VERSION|was compiled against a different Node/.test(message)) {
    return `the native kernels at ${file} were built for another Node version; run npm run build:native`;
  }
  return `the native kernels at ${file} failed to load (${message}); ${BUILD_HINT}`;
}

/** Loads the addon once per process; later calls return the same answer. */
export function loadNativeKernels(): NativeKernels | NativeUnavailable {
  if (nativeDisabledByEnvironment()) return { kind: 'off', reason: 'native kernels are switched off by MASKLAB_NATIVE=off; unset it to use them' };
  if (cached) return cached;
  const file = nativeAddonFile();
  cached = file ? loadNativeAddonFrom(file) : { kind: 'absent', reason: `native kernels not found: no server/native folder above ${__dirname}` };
  return cached;
}

/** Loads the addon at `file` (uncached; loadNativeKernels is the one to call). */
export function loadNativeAddonFrom(file: string): NativeKernels | NativeUnavailable {
  if (!fs.existsSync(file)) return { kind: 'absent', reason: `native kernels are not built (no ${file}); ${BUILD_HINT}` };
  // OpenBLAS sizes its thread pool from this variable when the library loads; one thread until
  // pinThreads says otherwise, so loading never starts a pool of threads nobody asked for.
  const previous = process.env.OPENBLAS_NUM_THREADS;
  process.env.OPENBLAS_NUM_THREADS = '1';
  try {
    // A computed path: bundlers leave it alone and it resolves at run time (dist/ or tsx alike).
    const addon = require(file) as NativeAddon;
    const missing = REQUIRED_FUNCTIONS.filter((name) => typeof (addon as unknown as Record<string, unknown>)[name] !== 'function');
    if (missing.length > 0) {
      return { kind: 'broken', reason: `${file} is an older or foreign build (it lacks ${missing.join(', ')}); run npm run build:native` };
    }
    return { addon, library: libraryName(addon.info().library), file };
  } catch (error) {
    return { kind: 'broken', reason: explainLoadFailure(file, error) };
  } finally {
    if (previous === undefined) delete process.env.OPENBLAS_NUM_THREADS;
    else process.env.OPENBLAS_NUM_THREADS = previous;
  }
}

/**
 * Sets the BLAS thread count (results depend on it, so runs pin it). Returns null when set, else
 * the one-line reason it could not be.
 */
export function pinThreads(kernels: NativeKernels, threads: number): string | null {
  if (!Number.isInteger(threads) || threads < 1) return `the BLAS thread count must be a whole number ≥ 1, got ${threads}`;
  const info = kernels.addon.info();
  if (!info.threadsSettable) {
    return threads === 1
      ? null
      : `${kernels.library} cannot be told its thread count (device.threads ${threads}); use OpenBLAS (apt-get install -y libopenblas-dev, then npm run build:native) or set device.threads 1`;
  }
  const now = kernels.addon.setThreads(threads);
  if (now !== threads) {
    return `${kernels.library} runs ${now} thread${now === 1 ? '' : 's'} when asked for ${threads} (its build caps the count); set device.threads ${now}`;
  }
  return null;
}

/** `OpenBLAS 0.3.21, 1 thread`: what the native kernels compute with now. */
export function describeNativeKernels(kernels: NativeKernels): string {
  const threads = kernels.addon.info().threads;
  return threads > 0 ? `${kernels.library}, ${threads} thread${threads === 1 ? '' : 's'}` : kernels.library;
}
