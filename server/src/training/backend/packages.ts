// Which tfjs backend packages are installed, answered without loading tfjs.
// `masklab model` uses this to say which backend a run would get without paying for tfjs,
// and selectBackend uses it to tell "not installed" apart from "installed but failed to load".

import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadNativeKernels } from './nativeAddon';

/** A tfjs backend. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
/** What a run asks for: a tfjs backend, `auto`, or `wasm_native` (wasm with Masklab's native kernels). */
export type BackendRequest = 'auto' | BackendName | 'wasm_native';

export const BACKEND_REQUESTS: readonly BackendRequest[] = ['auto', 'tensorflow', 'wasm', 'wasm_native', 'cpu'];

/** Packages per backend, in the order `auto` tries them. The two native ones are optional dependencies. */
export const BACKEND_PACKAGES = {
  tensorflowGpu: '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
} as const;

export interface InstalledPackage {
  name: string;
  version: string;
  /** Folder holding the package's package.json. */
  dir: string;
}

export function isBackendRequest(value: string): value is BackendRequest {
  return (BACKEND_REQUESTS as readonly string[]).includes(value);
}

/** The installed copy of `name` as this module would load it, or undefined when absent. */
export function findInstalledPackage(name: string): InstalledPackage | undefined {
  let manifest: string;
  try {
    manifest = require.resolve(`${name}/package.json`);
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version?: string };
    return { name, version: parsed.version ?? 'unknown', dir: path.dirname(manifest) };
  } catch {
    return { name, version: 'unknown', dir: path.dirname(manifest) };
  }
}

export interface BackendPlan {
  /** The backend a selection with this request would try first. */
  name: BackendName;
  /** One line for people: what would run and why the faster ones were passed over. */
  detail: string;
}

/**
 * The backend `selectBackend(request)` would pick, judged only by which packages are
 * installed. A native package that is installed but cannot load (missing libtensorflow,
 * no CUDA) is only discovered by selectBackend itself, so the plan says "if it loads".
 */
export function planBackend(request: BackendRequest, threads = 1): BackendPlan {
  const gpu = findInstalledPackage(BACKEND_PACKAGES.tensorflowGpu);
  const node = findInstalledPackage(BACKEND_PACKAGES.tensorflow);
  const wasm = findInstalledPackage(BACKEND_PACKAGES.wasm);
  const cpu = findInstalledPackage(BACKEND_PACKAGES.cpu);
  const native = gpu ?? node;
  const wanted = request === 'auto' ? (native ? 'tensorflow' : wasm ? 'wasm' : 'cpu') : request;
  if (wasm && (wanted === 'wasm_native' || (request === 'auto' && wanted === 'wasm'))) {
    // The addon is plain Node-API, so asking it which BLAS it has does not load tfjs.
    const kernels = loadNativeKernels();
    const skipped = request === 'auto' ? '; tensorflow skipped: @tensorflow/tfjs-node is not installed' : '';
    if ('library' in kernels) {
      return { name: 'wasm', detail: `wasm (${wasm.name} ${wasm.version}${skipped}) + native kernels (${kernels.library}, ${threads} thread${threads === 1 ? '' : 's'})` };
    }
    if (wanted === 'wasm_native') return { name: 'wasm', detail: `wasm_native unavailable: ${kernels.reason}` };
    return { name: 'wasm', detail: `wasm (${wasm.name} ${wasm.version}${skipped}; stock kernels: ${kernels.reason})` };
  }
  switch (wanted) {
    case 'wasm_native':
      return { name: 'wasm', detail: `wasm_native unavailable: ${BACKEND_PACKAGES.wasm} is not installed` };
    case 'tensorflow':
      return native
        ? { name: 'tensorflow', detail: `tensorflow (${native.name} ${native.version}, if libtensorflow loads)` }
        : { name: 'tensorflow', detail: `tensorflow unavailable: ${BACKEND_PACKAGES.tensorflow} is not installed` };
    case 'wasm': {
      const skipped = request === 'auto' ? '; tensorflow skipped: @tensorflow/tfjs-node is not installed' : '';
      return wasm
        ? { name: 'wasm', detail: `wasm (${wasm.name} ${wasm.version}${skipped})` }
        : { name: 'wasm', detail: `wasm unavailable: ${BACKEND_PACKAGES.wasm} is not installed` };
    }
    case 'cpu':
      return cpu
        ? { name: 'cpu', detail: `cpu (pure JavaScript, ${cpu.name} ${cpu.version})` }
        : { name: 'cpu', detail: `cpu unavailable: ${BACKEND_PACKAGES.cpu} is not installed` };
  }
}
