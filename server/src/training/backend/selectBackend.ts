// Picks and initialises the tfjs backend a run uses, and says exactly what runs.
//
// Order for `auto`: native TensorFlow (tfjs-node-gpu, then tfjs-node: optional dependencies
// that download libtensorflow at install, so often absent), else wasm (XNNPACK, SIMD when the
// CPU has it) with Masklab's native kernels when they load (nativeAddon.ts), else stock wasm,
// else the pure-JavaScript cpu backend. `wasm` is always the stock backend; `wasm_native` insists
// on the native kernels. An explicit request that cannot be met is an error with the fix, never
// a silent downgrade; so is `requireGpu` without a GPU.

import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_PACKAGES, findInstalledPackage, type BackendName, type BackendRequest } from './packages';
import { registerGradients } from './registerGradients';
import { describeNativeKernels, loadNativeKernels, pinThreads } from './nativeAddon';
import { installNativeKernels, removeNativeKernels } from './nativeKernels';
import { registerWasmFallbackKernels } from './wasmFallbackKernels';

export type { BackendName, BackendRequest } from './packages';

export interface BackendInfo {
  name: BackendName;
  device: 'cpu' | 'gpu';
  /**
   * What runs, for logs and run records: `wasm (SIMD, 1 thread)`,
   * `wasm (SIMD, 1 thread) + native kernels (OpenBLAS 0.3.21, 1 thread)`, `cpu (pure JavaScript)`, …
   */
  detail: string;
  /** Why faster backends were passed over under `auto` (empty when the first choice ran). */
  skipped: string[];
  /** The native kernels in use (`OpenBLAS 0.3.21, 1 thread`), absent on stock backends. */
  nativeKernels?: string;
  /** Why `auto` ran stock wasm although native kernels exist in principle (not built, switched off, …). */
  nativeSkipped?: string;
  /**
   * Set when that reason deserves a warning: the addon is built but does not load, or the thread
   * count asked for cannot be set (not built or switched off is silent: stock wasm is the norm then).
   */
  nativeWarning?: string;
}

export interface SelectBackendOptions {
  /** Fail unless the chosen backend computes on a GPU. */
  requireGpu?: boolean;
  /** BLAS threads of the native kernels (device.threads); pinned, default 1. */
  threads?: number;
}

/** The requested backend cannot run here; the message says why and how to fix it. */
export class BackendUnavailableError extends Error {
  override name = 'BackendUnavailableError';
}

type Attempt = { ok: true; info: Omit<BackendInfo, 'skipped'> } | { ok: false; reason: string };

/** Native kernels on wasm: never, when they load, or required. */
type NativeUse = 'off' | 'prefer' | 'require';

export async function selectBackend(request: BackendRequest = 'auto', opts: SelectBackendOptions = {}): Promise<BackendInfo> {
  registerGradients();
  const skipped: string[] = [];
  const requireGpu = opts.requireGpu === true;

  if (request === 'auto' || request === 'tensorflow') {
    const attempt = await tryTensorflow(requireGpu);
    if (attempt.ok) return { ...attempt.info, skipped };
    if (request === 'tensorflow' || requireGpu) throw new BackendUnavailableError(attempt.reason);
    skipped.push(attempt.reason);
  }
  if (requireGpu) {
    throw new BackendUnavailableError(
      `backend '${request}' computes on the CPU but a GPU was required: use --backend tensorflow with ` +
        `${BACKEND_PACKAGES.tensorflowGpu} (npm install ${BACKEND_PACKAGES.tensorflowGpu}; needs CUDA), or drop the GPU requirement`,
    );
  }
  if (request === 'auto' || request === 'wasm' || request === 'wasm_native') {
    const native: NativeUse = request === 'auto' ? 'prefer' : request === 'wasm_native' ? 'require' : 'off';
    const attempt = await tryWasm(native, opts.threads ?? 1);
    if (attempt.ok) return { ...attempt.info, skipped };
    if (request !== 'auto') throw new BackendUnavailableError(attempt.reason);
    skipped.push(attempt.reason);
  }
  const attempt = await tryCpu();
  if (attempt.ok) return { ...attempt.info, skipped };
  throw new BackendUnavailableError(attempt.reason);
}

/** Loads an optional package, telling "not installed" apart from "installed but fails to load". */
function guardedRequire(name: string): { module: unknown } | { missing: true } | { failed: Error } {
  if (!findInstalledPackage(name)) return { missing: true };
  try {
    return { module: require(name) as unknown };
  } catch (error) {
    return { failed: error instanceof Error ? error : new Error(String(error)) };
  }
}

function firstLine(error: Error): string {
  return error.message.split('\n')[0] ?? error.message;
}

async function tryTensorflow(requireGpu: boolean): Promise<Attempt> {
  const failures: string[] = [];
  // Only the GPU build can satisfy requireGpu; otherwise prefer it, as it also runs on CPU.
  const candidates = requireGpu ? [BACKEND_PACKAGES.tensorflowGpu] : [BACKEND_PACKAGES.tensorflowGpu, BACKEND_PACKAGES.tensorflow];
  for (const pkg of candidates) {
    const loaded = guardedRequire(pkg);
    if ('missing' in loaded) continue;
    if ('failed' in loaded) {
      failures.push(`${pkg} is installed but failed to load (${firstLine(loaded.failed)})`);
      continue;
    }
    if (!tf.findBackendFactory('tensorflow')) {
      failures.push(`${pkg} loaded but registered with another copy of @tensorflow/tfjs-core; install versions matching ${tf.version_core}`);
      continue;
    }
    if (!(await tf.setBackend('tensorflow'))) {
      failures.push(`${pkg} loaded but its backend failed to initialise`);
      continue;
    }
    const backend = tf.backend() as { isUsingGpuDevice?: boolean; binding?: { TF_Version?: string } };
    const device = backend.isUsingGpuDevice === true ? 'gpu' : 'cpu';
    if (requireGpu && device !== 'gpu') {
      failures.push(`${pkg} runs on the CPU here (no CUDA device found)`);
      continue;
    }
    const version = backend.binding?.TF_Version;
    return {
      ok: true,
      info: { name: 'tensorflow', device, detail: `tensorflow (${device.toUpperCase()}, libtensorflow ${version ?? 'unknown version'})` },
    };
  }
  const wanted = requireGpu ? BACKEND_PACKAGES.tensorflowGpu : BACKEND_PACKAGES.tensorflow;
  const fix = requireGpu ? `npm install ${wanted} (downloads libtensorflow; needs CUDA)` : `npm install ${wanted} (downloads libtensorflow)`;
  const why = failures.length > 0 ? failures.join('; ') : `${wanted} is not installed`;
  return { ok: false, reason: `backend 'tensorflow' needs ${wanted}: ${why}. Fix: ${fix}` };
}

async function tryWasm(native: NativeUse, threads: number): Promise<Attempt> {
  const installed = findInstalledPackage(BACKEND_PACKAGES.wasm);
  const loaded = guardedRequire(BACKEND_PACKAGES.wasm);
  if ('missing' in loaded || !installed) {
    return { ok: false, reason: `backend 'wasm' needs ${BACKEND_PACKAGES.wasm}: npm install ${BACKEND_PACKAGES.wasm}@${tf.version_core}` };
  }
  if ('failed' in loaded) {
    return { ok: false, reason: `backend 'wasm': ${BACKEND_PACKAGES.wasm} failed to load (${firstLine(loaded.failed)})` };
  }
  const wasm = loaded.module as typeof import('@tensorflow/tfjs-backend-wasm');
  registerWasmFallbackKernels();
  if (!tf.findBackend('wasm')) {
    // Point the loader at the package's own binaries so nothing is fetched. Only honoured
    // before the backend's first initialisation, hence the guard.
    wasm.setWasmPaths(path.join(installed.dir, 'dist') + path.sep);
  }
  let ok: boolean;
  try {
    ok = await tf.setBackend('wasm');
  } catch (error) {
    return { ok: false, reason: `backend 'wasm' failed to initialise (${error instanceof Error ? firstLine(error) : String(error)})` };
  }
  if (!ok) return { ok: false, reason: `backend 'wasm' failed to initialise (its .wasm binary did not load from ${installed.dir})` };
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const wasmThreads = wasm.getThreadsCount();
  const detail = `wasm (${simd ? 'SIMD' : 'no SIMD'}, ${wasmThreads} thread${wasmThreads === 1 ? '' : 's'})`;
  if (native === 'off') {
    removeNativeKernels();
    return { ok: true, info: { name: 'wasm', device: 'cpu', detail } };
  }
  const kernels = loadNativeKernels();
  const problem = 'reason' in kernels ? kernels.reason : pinThreads(kernels, threads);
  if (problem !== null || 'reason' in kernels) {
    removeNativeKernels();
    const why = problem ?? 'native kernels unavailable';
    if (native === 'require') return { ok: false, reason: `backend 'wasm_native': ${why}. Or use --backend wasm (stock wasm, slower)` };
    const quiet = 'kind' in kernels && kernels.kind !== 'broken';
    const warning = quiet ? {} : { nativeWarning: `running stock wasm: ${why}` };
    return { ok: true, info: { name: 'wasm', device: 'cpu', detail, nativeSkipped: why, ...warning } };
  }
  installNativeKernels(kernels);
  const described = describeNativeKernels(kernels);
  return { ok: true, info: { name: 'wasm', device: 'cpu', detail: `${detail} + native kernels (${described})`, nativeKernels: described } };
}

async function tryCpu(): Promise<Attempt> {
  const loaded = guardedRequire(BACKEND_PACKAGES.cpu);
  if (!('module' in loaded)) {
    const why = 'failed' in loaded ? `failed to load (${firstLine(loaded.failed)})` : 'is not installed';
    return { ok: false, reason: `backend 'cpu' needs ${BACKEND_PACKAGES.cpu}, which ${why}: npm install ${BACKEND_PACKAGES.cpu}@${tf.version_core}` };
  }
  if (!(await tf.setBackend('cpu'))) return { ok: false, reason: `backend 'cpu' failed to initialise` };
  // The cpu backend prints a multi-line "install tfjs-node" banner on first use in Node; the
  // choice is already reported in `detail`, so the banner is switched off.
  const backend = tf.backend() as { firstUse?: boolean };
  if (backend.firstUse === true) backend.firstUse = false;
  return { ok: true, info: { name: 'cpu', device: 'cpu', detail: 'cpu (pure JavaScript)' } };
}
