// How a run reads in the editor: the status bar item, the progress notification, the lines of the
// "Masklab Trainer" output, the end-of-run messages and the not-on-a-GPU notice. Pure (no
// `vscode`), so the wording is unit-tested; the client bundle must not pull in server code, so the
// few formatters the CLI also has are written here again.

import type { RunEnded, RunOrigin } from '../../../schemas/src/runNotifications';
import type { BackendReport, MetricsMessage, ProgressMessage, TrainerMessage } from '../../../schemas/src/trainerMessages';

/** `46` → `0:46`, `3723` → `1:02:03`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** Metric values as the CLI prints them: 4 decimals, exponents for the very small or large. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return v.toExponential(2);
  return v.toFixed(4);
}

/** `quickstart`, or `seeds_and_rates #3` for a sweep cell. */
export function originLabel(origin: Pick<RunOrigin, 'experiment' | 'index'>): string {
  return origin.index === undefined ? origin.experiment : `${origin.experiment} #${origin.index}`;
}

export function percentOf(p: Pick<ProgressMessage, 'step' | 'stepsTotal'>): number {
  return p.stepsTotal > 0 ? Math.min(100, (100 * p.step) / p.stepsTotal) : 0;
}

function rate(p: Pick<ProgressMessage, 'stepsPerSecond'>): string {
  const r = p.stepsPerSecond;
  if (r >= 10) return `${r.toFixed(0)} steps/s`;
  if (r >= 1) return `${r.toFixed(1)} steps/s`;
  return r > 0 ? `${(1 / r).toFixed(1)} s/step` : '… steps/s';
}

/** `$(sync~spin) quickstart 42% · 3.1 steps/s · ETA 0:20`; before the first step, `… starting`. */
export function statusBarText(origin: Pick<RunOrigin, 'experiment' | 'index'>, progress: ProgressMessage | undefined, othersRunning = 0): string {
  const more = othersRunning > 0 ? ` (+${othersRunning})` : '';
  if (!progress) return `$(sync~spin) ${originLabel(origin)} starting…${more}`;
  const eta = progress.etaSeconds === null ? '' : ` · ETA ${formatDuration(progress.etaSeconds)}`;
  return `$(sync~spin) ${originLabel(origin)} ${percentOf(progress).toFixed(0)}% · ${rate(progress)}${eta}${more}`;
}

/** `step 80/189 · epoch 1.27 · ETA 0:20` for the progress notification. */
export function progressMessage(progress: ProgressMessage): string {
  const eta = progress.etaSeconds === null ? '' : ` · ETA ${formatDuration(progress.etaSeconds)}`;
  return `step ${progress.step}/${progress.stepsTotal} · epoch ${progress.epoch.toFixed(2)} · ${rate(progress)}${eta}`;
}

/** `wasm (SIMD, 1 thread) · CPU`. */
export function backendLabel(backend: BackendReport): string {
  return backend.detail.toLowerCase().includes(backend.device.toLowerCase()) ? backend.detail : `${backend.detail} · ${backend.device}`;
}

export function isGpu(backend: BackendReport): boolean {
  return /gpu/i.test(backend.device);
}

/** The GPU package, at the version Masklab's tfjs is (mixed tfjs versions do not load together). */
export const GPU_PACKAGE = '@tensorflow/tfjs-node-gpu@4.22.0';

export interface BackendNotice {
  message: string;
  /** The shell command that installs GPU support where the trainer finds it. */
  installCommand: string;
}

/**
 * Said once when a run trains without a GPU: which backend it got, and how to get the GPU one
 * (tfjs-node-gpu needs Linux x86-64 with an NVIDIA GPU, CUDA 11.2 and cuDNN 8.1; it is found by
 * the trainer when installed in the extension's folder).
 */
export function backendNotice(backend: BackendReport, extensionPath: string): BackendNotice | undefined {
  if (isGpu(backend)) return undefined;
  const installCommand = `cd "${extensionPath}" && npm install --no-save ${GPU_PACKAGE}`;
  const message =
    `Masklab is training on ${backendLabel(backend)}, not a GPU. For an NVIDIA GPU (Linux x86-64, CUDA 11.2, cuDNN 8.1), ` +
    `install ${GPU_PACKAGE} in the extension's folder; "masklab.trainer.backend" on "auto" or "tensorflow" then uses it.`;
  return { message, installCommand };
}

/** The line an ended run leaves in a notification: what happened, and how to continue. */
export function endedMessage(origin: Pick<RunOrigin, 'experiment' | 'index'>, ended: RunEnded): string {
  const name = originLabel(origin);
  switch (ended.state) {
    case 'completed':
      return `Masklab: ${name} completed (${ended.step} steps).`;
    case 'cancelled':
      return `Masklab: ${name} stopped at step ${ended.step}${ended.resumable ? '; resume it from the Runs view' : ''}.`;
    case 'failed': {
      const why = ended.message?.split('\n')[0] ?? 'the trainer gave no reason';
      return `Masklab: ${name} failed at step ${ended.step}: ${why}`;
    }
  }
}

/**
 * The "Masklab Trainer" output of one run: what a person scanning a log wants (backend, dev
 * metrics with the latest train loss, warnings, checkpoints, the end), with progress lines
 * thinned to one per `everyPercent` of the run.
 */
export class TrainerLogWriter {
  private lastTrain: MetricsMessage | undefined;
  private lastPercent = -Infinity;

  constructor(
    private readonly label: string,
    private readonly everyPercent = 10,
  ) {}

  lines(event: TrainerMessage | RunEnded): string[] {
    const prefix = `[${this.label}]`;
    switch (event.type) {
      case 'started': {
        const resumed = event.resumedFromStep !== undefined ? ` (resumed from step ${event.resumedFromStep})` : '';
        return [
          `${prefix} run ${event.runId} started${resumed}`,
          `${prefix} backend ${backendLabel(event.backend)}`,
          `${prefix} ${event.trainable.toLocaleString('en-US')} of ${event.parameters.toLocaleString('en-US')} parameters trainable · ` +
            `${event.stepsTotal} steps, ${event.epochs} epochs · ${event.examples.train} train / ${event.examples.dev} dev examples`,
        ];
      }
      case 'progress': {
        const percent = percentOf(event);
        if (percent - this.lastPercent < this.everyPercent && event.step !== event.stepsTotal) return [];
        this.lastPercent = percent;
        return [`${prefix} ${progressMessage(event)} · elapsed ${formatDuration(event.elapsedSeconds)}`];
      }
      case 'metrics': {
        if (event.split === 'train') {
          this.lastTrain = event;
          return [];
        }
        const values = Object.entries(event.values)
          .sort(([a], [b]) => Number(a === 'loss') - Number(b === 'loss'))
          .map(([k, v]) => `${k} ${formatValue(v)}`);
        const trainLoss = this.lastTrain?.values.loss;
        if (trainLoss !== undefined) values.push(`train loss ${formatValue(trainLoss)}`);
        return [`${prefix} step ${event.step}  epoch ${event.epoch.toFixed(2)}  dev  ${values.join('  ')}`];
      }
      case 'mask-snapshot':
        return [];
      case 'warning':
        return [`${prefix} warning: ${event.message}`];
      case 'checkpoint':
        return [`${prefix} checkpoint at step ${event.step}`];
      case 'finished':
        return [`${prefix} ${event.outcome} at step ${event.step}`];
      case 'failed': {
        const where = event.file ? ` (${event.file}${event.line !== undefined ? `:${event.line}` : ''})` : event.step !== undefined ? ` (step ${event.step})` : '';
        return [`${prefix} failed${where}: ${event.message}`];
      }
      case 'ended': {
        const lines = [`${prefix} ended: ${event.state} at step ${event.step}${event.resumable && event.state !== 'completed' ? ' (resumable)' : ''}`];
        if (event.state === 'failed' && event.message) lines.push(...event.message.split('\n').map((l) => `${prefix}   ${l}`));
        lines.push(`${prefix} log: ${event.logFile}`);
        return lines;
      }
    }
  }
}
