// Public face of backend selection. `packages` is tfjs-free (safe for the CLI's `model` command);
// everything else loads tfjs.
export { selectBackend, BackendUnavailableError, type BackendInfo, type SelectBackendOptions } from './selectBackend';
export { planBackend, findInstalledPackage, isBackendRequest, BACKEND_REQUESTS, BACKEND_PACKAGES, type BackendName, type BackendRequest, type BackendPlan } from './packages';
export { registerGradients, requireGradients } from './registerGradients';
export { registerWasmFallbackKernels } from './wasmFallbackKernels';
export { loadNativeKernels, nativeDisabledByEnvironment, describeNativeKernels, type NativeKernels, type NativeUnavailable } from './nativeAddon';
export { installNativeKernels, removeNativeKernels, nativeKernelsInstalled, usingNativeKernels } from './nativeKernels';
