// The `masklab.*` settings the extension contributes, read through a getter so this stays
// testable without VS Code. The language server receives the ones it acts on as
// `initializationOptions` at start and again through workspace/didChangeConfiguration
// (`synchronize.configurationSection: 'masklab'`) whenever they change.

export const TRAINER_BACKENDS = ['auto', 'tensorflow', 'wasm', 'wasm_native', 'cpu'] as const;
export type TrainerBackend = (typeof TRAINER_BACKENDS)[number];

export const TRACE_LEVELS = ['off', 'messages', 'verbose'] as const;

export const DEFAULT_CHART_SMOOTHING = 0.6;
export const MAX_CHART_SMOOTHING = 0.99;

/** What the language server is started with (`InitializeParams.initializationOptions`). */
export interface MasklabInitializationOptions {
  /** Run-store folder as the user wrote it; empty means the server's default (`<workspace>/.masklab/runs`). */
  runsDirectory: string;
  trainerBackend: TrainerBackend;
  /** VS Code Workspace Trust: the server refuses to train in an untrusted workspace. */
  workspaceTrusted: boolean;
}

/** Reads one setting below `masklab.`; returns undefined when unset. */
export type SettingGetter = (key: string) => unknown;

export function readTrainerBackend(get: SettingGetter): TrainerBackend {
  const value = get('trainer.backend');
  return (TRAINER_BACKENDS as readonly unknown[]).includes(value) ? (value as TrainerBackend) : 'auto';
}

export function readRunsDirectory(get: SettingGetter): string {
  const value = get('runs.directory');
  return typeof value === 'string' ? value.trim() : '';
}

/** Smoothing weight for metric charts, clamped to the range the setting declares. */
export function readChartSmoothing(get: SettingGetter): number {
  const value = get('charts.smoothing');
  if (typeof value !== 'number' || Number.isNaN(value)) return DEFAULT_CHART_SMOOTHING;
  return Math.min(MAX_CHART_SMOOTHING, Math.max(0, value));
}

export function initializationOptionsFrom(get: SettingGetter, workspaceTrusted = true): MasklabInitializationOptions {
  return { runsDirectory: readRunsDirectory(get), trainerBackend: readTrainerBackend(get), workspaceTrusted };
}
