// One line per progress report and per held-out evaluation, for logs of long pretraining runs
// (nohup output): fixed field order, so lines can be grepped and compared across runs.

import type { HeldOutEvaluation, PretrainProgress } from './pretrainLoop';

/** 90 → "1m30s", 3725 → "1h02m05s". */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return `${h}h${two(m)}m${two(s)}s`;
  if (m > 0) return `${m}m${two(s)}s`;
  return `${s}s`;
}

/** `pretrain  42.0 %  step 2100/5000  epoch 3.12  loss 2.9134  lr 6.1e-4  4.21 steps/s  elapsed 8m19s  ETA 11m29s` */
export function progressLine(p: PretrainProgress): string {
  const percent = ((100 * p.step) / p.steps).toFixed(1).padStart(5);
  return [
    `pretrain ${percent} %`,
    `step ${p.step}/${p.steps}`,
    `epoch ${p.epoch.toFixed(2)}`,
    `loss ${p.loss.toFixed(4)}`,
    `lr ${p.lr.toExponential(1)}`,
    `${p.stepsPerSecond.toFixed(2)} steps/s`,
    `elapsed ${formatDuration(p.elapsedSeconds)}`,
    `ETA ${formatDuration(p.etaSeconds)}`,
  ].join('  ');
}

/** `held-out  step 2000  MLM loss 2.8710  accuracy 41.3 %  (4,120 predictions)` */
export function evaluationLine(e: HeldOutEvaluation): string {
  return `held-out  step ${e.step}  MLM loss ${e.loss.toFixed(4)}  accuracy ${(100 * e.accuracy).toFixed(1)} %  (${e.predictions.toLocaleString('en-US')} predictions)`;
}
