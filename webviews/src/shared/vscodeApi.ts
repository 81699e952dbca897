// The handle VS Code gives a webview page: `acquireVsCodeApi()` may be called once per page, so
// every module gets it from here. Outside VS Code (the benchmark page, a browser opened on the
// HTML by hand) a stand-in keeps state in memory and drops posted messages.

export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  // Provided by VS Code inside webviews only.
  function acquireVsCodeApi(): VsCodeApi;
}

let api: VsCodeApi | undefined;

export function vscodeApi(): VsCodeApi {
  if (api) return api;
  if (typeof acquireVsCodeApi === 'function') {
    api = acquireVsCodeApi();
  } else {
    let state: unknown;
    api = { postMessage: () => undefined, getState: () => state, setState: (s) => (state = s) };
  }
  return api;
}
