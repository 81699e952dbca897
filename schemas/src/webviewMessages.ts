// The extension ⇄ webview protocol of the two run panels (metrics charts, mask heatmaps).
// The webview starts with `ready`; the host answers with `metrics/init` or `masks/init` holding
// the history read from the run folders, then streams live data (`metrics/append`,
// `masks/snapshot`, `run/state`, `run/deleted`). The webview asks for things with numbered
// requests (`request`), answered by `response` with the same id: mask snapshots it has not seen,
// and saving an export (the webview makes the CSV/JSON/PNG, the host asks where to save it).
// Both ends run every message they receive through `webviewMessageSchema.ts`; a malformed one is
// logged and dropped, never shown.

import type { ConfigValue } from './experimentConfig';
import type { MaskSnapshotFile, MetricsRecord } from './runRecord';

export const WEBVIEW_PROTOCOL_VERSION = 1;

export type PanelKind = 'metrics' | 'masks';

/** How a run is shown: status.json's state, `interrupted` for a dead `running` one, `missing` for a deleted folder. */
export type PanelRunState = 'running' | 'completed' | 'cancelled' | 'failed' | 'interrupted' | 'missing' | 'unknown';

/** What a panel knows about one run besides its data. The run folder (absolute) is its key. */
export interface PanelRun {
  runDir: string;
  runId: string;
  /** The run's name: the experiment's, or `<sweep>-<index>` for a sweep cell. */
  name: string;
  experiment: string;
  state: PanelRunState;
  /** Why it failed or stopped, where that is known. */
  message: string | null;
  /** Set for sweep cells: cells whose values differ only in a seed are drawn as one band. */
  sweep: { name: string; index: number; cells: number; values: Record<string, ConfigValue> } | null;
  /** The dev metric checkpoints are ranked by (`accuracy`, …), when the config names one. */
  primaryMetric: string | null;
}

/**
 * One split's metrics as columns (far smaller to send and check than one object per step):
 * `values[name][i]` belongs to `step[i]`, null where that record lacks the metric.
 */
export interface MetricsColumns {
  step: number[];
  epoch: number[];
  time: number[];
  values: Record<string, (number | null)[]>;
}

export interface MetricsRunHistory extends PanelRun {
  train: MetricsColumns;
  dev: MetricsColumns;
}

export type XAxisKind = 'step' | 'epoch' | 'time';

/** Chart defaults from the `masklab.charts.*` settings; a restored panel keeps its own choices. */
export interface ChartDefaults {
  /** Debiased exponential smoothing weight in [0, 0.99]. */
  smoothing: number;
  xAxis: XAxisKind;
  /** Logarithmic y axis on the loss and learning-rate charts. */
  logScaleY: boolean;
}

/** One run in the masks panel: the steps it has snapshots of (ascending). */
export interface MasksRunIndex extends PanelRun {
  steps: number[];
  /** The method's score threshold (masks kept above it), drawn on the score histogram; null when none. */
  threshold: number | null;
}

// ─── host → webview ──────────────────────────────────────────────────────────────────────────

export interface MetricsInitMessage {
  type: 'metrics/init';
  protocol: typeof WEBVIEW_PROTOCOL_VERSION;
  runs: MetricsRunHistory[];
  defaults: ChartDefaults;
}

/** New records of one run, in the order they were logged. */
export interface MetricsAppendMessage {
  type: 'metrics/append';
  runDir: string;
  records: MetricsRecord[];
}

export interface MasksInitMessage {
  type: 'masks/init';
  protocol: typeof WEBVIEW_PROTOCOL_VERSION;
  runs: MasksRunIndex[];
}

/** A snapshot taken while the panel is open (the run is training). */
export interface MasksSnapshotMessage {
  type: 'masks/snapshot';
  runDir: string;
  snapshot: MaskSnapshotFile;
}

export interface RunStateMessage {
  type: 'run/state';
  runDir: string;
  state: PanelRunState;
  message: string | null;
}

/** The run folder is gone: the panel keeps what it shows and says so. */
export interface RunDeletedMessage {
  type: 'run/deleted';
  runDir: string;
}

export type ResponseMessage =
  | { type: 'response'; requestId: number; ok: true; result: RequestResult }
  | { type: 'response'; requestId: number; ok: false; error: string };

export type HostMessage =
  | MetricsInitMessage
  | MetricsAppendMessage
  | MasksInitMessage
  | MasksSnapshotMessage
  | RunStateMessage
  | RunDeletedMessage
  | ResponseMessage;

// ─── webview → host ──────────────────────────────────────────────────────────────────────────

/** The page has loaded and listens: the host sends the `metrics/init` or `masks/init` message (again after every reload). */
export interface ReadyMessage {
  type: 'ready';
  panel: PanelKind;
  protocol: typeof WEBVIEW_PROTOCOL_VERSION;
}

/** Save a file the webview made; `content` is text (csv, json) or a `data:image/png;base64,` URL (png). */
export interface SaveFileRequest {
  kind: 'save';
  format: 'csv' | 'json' | 'png';
  suggestedName: string;
  content: string;
}

/** The mask snapshot of a run at a step (one listed in its `steps`). */
export interface SnapshotRequest {
  kind: 'snapshot';
  runDir: string;
  step: number;
}

export type PanelRequest = SaveFileRequest | SnapshotRequest;

export type RequestResult =
  /** `saved`: the file written, null when the user cancelled the dialog. */
  | { kind: 'save'; saved: string | null }
  | { kind: 'snapshot'; snapshot: MaskSnapshotFile };

export interface RequestMessage {
  type: 'request';
  requestId: number;
  request: PanelRequest;
}

/** Something the webview wants in the extension's log (a rejected message, a render error). */
export interface LogMessage {
  type: 'log';
  level: 'info' | 'warning' | 'error';
  message: string;
}

export type WebviewMessage = ReadyMessage | RequestMessage | LogMessage;

// ─── persisted webview state (getState/setState; what the serializer gets back after a reload) ─

export interface MetricsViewState {
  panel: 'metrics';
  runDirs: string[];
  smoothing: number;
  xAxis: XAxisKind;
  /** Per chart group id: log scale on each axis. */
  logScale: Record<string, { x: boolean; y: boolean }>;
  /** Runs the user unticked (hidden from charts, left out of exports). */
  hiddenRuns: string[];
}

export type MasksViewMode = 'kept' | 'diff-steps' | 'diff-runs';

export interface MasksViewState {
  panel: 'masks';
  runDirs: string[];
  /** The run shown (index into runDirs) and the step; null follows the newest snapshot. */
  run: number;
  step: number | null;
  mode: MasksViewMode;
  /** Diff baseline: a step of the same run, or another run (index) at its step nearest `step`. */
  baseStep: number | null;
  baseRun: number;
  /** Colour domain: the full [0, 1] or fitted to the values shown. */
  fit: boolean;
  /** The cell drilled into, by parameter name. */
  selected: string | null;
}

export type PanelViewState = MetricsViewState | MasksViewState;
