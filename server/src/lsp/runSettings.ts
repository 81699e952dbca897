// The settings the language server acts on when it starts runs. They arrive twice over: as
// `initializationOptions` when the server starts (`{ runsDirectory, trainerBackend,
// workspaceTrusted }`, client/src/settings.ts) and as the `masklab` section of
// workspace/didChangeConfiguration (`{ runs: { directory }, trainer: { backend }, … }`) whenever
// the user changes them. Trust never arrives in the latter: it only grows, by its own notification.

import type { BackendName } from '../../../schemas/src/experimentConfig';

export interface RunSettings {
  /** Run-store folder as the user wrote it; empty means `<project>/.masklab/runs`. */
  runsDirectory: string;
  /** Backend for experiments whose `device.backend` is `auto`; `auto` leaves them alone. */
  trainerBackend: BackendName;
  /** False only when the editor said the workspace is not trusted: then nothing trains. */
  workspaceTrusted: boolean;
}

export const DEFAULT_RUN_SETTINGS: RunSettings = { runsDirectory: '', trainerBackend: 'auto', workspaceTrusted: true };

const BACKENDS: readonly BackendName[] = ['auto', 'tensorflow', 'wasm', 'wasm_native', 'cpu'];

/** Settings from `initializationOptions`; anything missing or malformed keeps its default. */
export function settingsFromInitialization(options: unknown): RunSettings {
  const value = asObject(options);
  return {
    runsDirectory: readDirectory(value.runsDirectory) ?? DEFAULT_RUN_SETTINGS.runsDirectory,
    trainerBackend: readBackend(value.trainerBackend) ?? DEFAULT_RUN_SETTINGS.trainerBackend,
    // Editors without workspace trust never send it: their workspaces are trusted.
    workspaceTrusted: value.workspaceTrusted !== false,
  };
}

/** `previous` updated from a didChangeConfiguration `settings` object (`{ masklab: {…} }`). */
export function settingsFromChange(previous: RunSettings, settings: unknown): RunSettings {
  const section = asObject(asObject(settings).masklab);
  return {
    runsDirectory: readDirectory(asObject(section.runs).directory) ?? previous.runsDirectory,
    trainerBackend: readBackend(asObject(section.trainer).backend) ?? previous.trainerBackend,
    workspaceTrusted: previous.workspaceTrusted,
  };
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function readDirectory(value: unknown): string | undefined {
  return typeof value === 'string' ? value.trim() : undefined;
}

function readBackend(value: unknown): BackendName | undefined {
  return typeof value === 'string' && (BACKENDS as readonly string[]).includes(value) ? (value as BackendName) : undefined;
}
