// What `masklab train` prints while a run trains and when it ends: a progress bar on a terminal
// (plain lines every few seconds or every 10 % in logs), a metrics line at each evaluation, and a
// summary with the run folder's path.

import type { TrainerMessage } from '../../../schemas/src/trainerMessages';
import { formatBytes, formatCount, formatDuration, formatNumber, metricsLine, PlainProgressPolicy, progressBar, progressLine } from '../runs/progressText';
import type { RunEnd, RunHandle } from '../runs/runManager';
import type { CliIO } from './command';

export class TrainReporter {
  private readonly policy = new PlainProgressPolicy();
  private statusText = '';
  private lastTrainLoss: number | undefined;

  constructor(
    private readonly io: CliIO,
    private readonly clock: () => number = () => Date.now() / 1000,
  ) {}

  /** Prints `handle`'s messages until it ends; returns the unsubscribe function. */
  attach(handle: RunHandle): () => void {
    const offMessage = handle.on('message', (m) => this.onMessage(m));
    const offProblem = handle.on('protocol-error', (e) => this.line(`warning: ignored a malformed message from the trainer (${e.problem})`, 'err'));
    return () => {
      offMessage();
      offProblem();
      this.clearStatus();
    };
  }

  onMessage(m: TrainerMessage): void {
    switch (m.type) {
      case 'started': {
        const resumed = m.resumedFromStep !== undefined ? `, resuming after step ${m.resumedFromStep}` : '';
        this.line(
          `training on ${m.backend.detail}: ${formatCount(m.trainable)} trainable of ${formatCount(m.parameters)} parameters; ` +
            `${m.stepsTotal} steps (${Number(m.epochs.toFixed(2))} epochs); ${formatCount(m.examples.train)} train / ${formatCount(m.examples.dev)} dev examples${resumed}`,
        );
        break;
      }
      case 'progress':
        if (this.io.status) this.setStatus(progressBar(m));
        else if (this.policy.shouldPrint(m, this.clock())) this.line(progressLine(m));
        break;
      case 'metrics':
        if (m.split === 'train') {
          if (typeof m.values.loss === 'number') this.lastTrainLoss = m.values.loss;
        } else {
          this.line(metricsLine(m, this.lastTrainLoss === undefined ? {} : { 'train loss': this.lastTrainLoss }));
        }
        break;
      case 'warning':
        this.line(`warning: ${m.message}`, 'err');
        break;
      default:
        break; // checkpoint, mask-snapshot, finished, failed: the summary tells
    }
  }

  /** A line that must not mix with the status line: the bar is cleared, the line printed, the bar redrawn. */
  private line(text: string, stream: 'out' | 'err' = 'out'): void {
    const status = this.statusText;
    this.clearStatus();
    if (stream === 'out') this.io.out(text);
    else this.io.err(text);
    if (status) this.setStatus(status);
  }

  private setStatus(text: string): void {
    this.statusText = text;
    this.io.status?.(text);
  }

  private clearStatus(): void {
    if (this.statusText) this.io.status?.('');
    this.statusText = '';
  }
}

/** The lines printed when a run ends. */
export function endReport(handle: RunHandle, end: RunEnd): string[] {
  const s = end.summary;
  const lines: string[] = [];
  const duration = s ? ` in ${formatDuration(s.duration_seconds)}` : '';
  if (end.state === 'completed') lines.push(`completed${duration}: ${end.step} steps`);
  else if (end.state === 'cancelled') lines.push(`stopped at step ${end.step}${duration}${end.resumable ? ' (resumable)' : ''}`);
  else lines.push(`failed: ${end.message ?? 'the trainer ended without saying why'}`);
  if (s) {
    const point = (p: NonNullable<typeof s.best>) =>
      Object.entries(p)
        .filter(([k]) => k !== 'step' && k !== 'epoch')
        .sort(([a], [b]) => Number(a === 'loss') - Number(b === 'loss'))
        .map(([k, v]) => `${k} ${formatNumber(v as number)}`)
        .join('  ') + `  (step ${p.step})`;
    if (s.best) lines.push(`  best   ${point(s.best)}`);
    if (s.final) lines.push(`  final  ${point(s.final)}`);
    const matrices = Object.values(s.sparsity);
    if (matrices.length > 0) {
      const mean = matrices.reduce((a, b) => a + b, 0) / matrices.length;
      lines.push(`  sparsity ${(mean * 100).toFixed(2)} % masked (mean over ${matrices.length} matri${matrices.length === 1 ? 'x' : 'ces'})`);
    }
    lines.push(`  trainable ${formatCount(s.trainable_parameters)} of ${formatCount(s.model_parameters)} parameters`);
    const b = s.bytes_per_task;
    const ratio = b.fp32_model > 0 ? ` (${((100 * b.entropy_coded) / b.fp32_model).toFixed(2)} %)` : '';
    lines.push(`  per task ${formatBytes(b.entropy_coded)} entropy-coded, ${formatBytes(b.packed)} bit-packed; fp32 model ${formatBytes(b.fp32_model)}${ratio}`);
    lines.push(`  backend ${s.backend.detail}`);
  }
  if (end.state === 'cancelled' && end.message) lines.push(`  ${end.message}`);
  lines.push(`run folder: ${handle.dir}`);
  return lines;
}
