// How a run's progress and metrics read as text: a progress bar for terminals, plain lines for
// CI and scheduler logs (which must not fill with carriage returns), metric lines at each
// evaluation. Pure functions, shared by the CLI and anything else that prints runs.

import type { MetricsMessage, ProgressMessage } from '../../../schemas/src/trainerMessages';

/** `46` → `0:46`, `3723` → `1:02:03`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

export function percentOf(p: Pick<ProgressMessage, 'step' | 'stepsTotal'>): number {
  return p.stepsTotal > 0 ? Math.min(100, (100 * p.step) / p.stepsTotal) : 0;
}

function rate(p: ProgressMessage): string {
  return p.stepsPerSecond >= 10 ? `${p.stepsPerSecond.toFixed(0)} steps/s` : p.stepsPerSecond >= 1 ? `${p.stepsPerSecond.toFixed(1)} steps/s` : `${(1 / Math.max(p.stepsPerSecond, 1e-9)).toFixed(1)} s/step`;
}

/** `[██████░░░░░░░░░░░░░░]  31%  84/270 steps  3.2 steps/s  ETA 0:58` for a terminal status line. */
export function progressBar(p: ProgressMessage, width = 24): string {
  const percent = percentOf(p);
  const filled = Math.round((percent / 100) * width);
  const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
  const eta = p.etaSeconds === null ? 'ETA …' : `ETA ${formatDuration(p.etaSeconds)}`;
  return `[${bar}] ${percent.toFixed(0).padStart(3)}%  ${p.step}/${p.stepsTotal} steps  epoch ${p.epoch.toFixed(2)}  ${rate(p)}  ${eta}`;
}

/** `step 84/270 (31%, epoch 0.93)  3.2 steps/s  elapsed 0:26  ETA 0:58` for logs. */
export function progressLine(p: ProgressMessage): string {
  const eta = p.etaSeconds === null ? '' : `  ETA ${formatDuration(p.etaSeconds)}`;
  return `step ${p.step}/${p.stepsTotal} (${percentOf(p).toFixed(0)}%, epoch ${p.epoch.toFixed(2)})  ${rate(p)}  elapsed ${formatDuration(p.elapsedSeconds)}${eta}`;
}

/** `step 120  epoch 1.33  dev  accuracy 0.8123  f1 0.7900  loss 0.4310` (fractions with 4 decimals). */
export function metricsLine(m: Pick<MetricsMessage, 'step' | 'epoch' | 'split' | 'values'>, extra: Record<string, number> = {}): string {
  const ordered = Object.entries(m.values).sort(([a], [b]) => Number(a === 'loss') - Number(b === 'loss'));
  const values = [...ordered, ...Object.entries(extra)].map(([k, v]) => `${k} ${formatNumber(v)}`).join('  ');
  return `step ${m.step}  epoch ${m.epoch.toFixed(2)}  ${m.split}  ${values}`;
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return v.toExponential(2);
  return v.toFixed(4);
}

/** `17737792` → `17.7 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = bytes / 1000;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

/** `1234567` → `1,234,567`. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * When a log without a terminal gets a progress line: the first, then every `everyPercent` of
 * the run or every `everySeconds`, whichever comes first (never twice within `minSeconds`).
 */
export class PlainProgressPolicy {
  private lastPercent = -Infinity;
  private lastTime = -Infinity;

  constructor(
    private readonly everyPercent = 10,
    private readonly everySeconds = 15,
    private readonly minSeconds = 2,
  ) {}

  shouldPrint(p: ProgressMessage, nowSeconds: number): boolean {
    const percent = percentOf(p);
    const since = nowSeconds - this.lastTime;
    const due = percent - this.lastPercent >= this.everyPercent || since >= this.everySeconds || p.step === p.stepsTotal;
    if (!due || since < this.minSeconds) return false;
    this.lastPercent = percent;
    this.lastTime = nowSeconds;
    return true;
  }
}
