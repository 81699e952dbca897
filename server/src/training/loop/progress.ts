// Progress messages at most twice a second, with the rate and an ETA measured over this segment
// of the run (since it started or resumed), evaluations included, so the ETA is what a user waits.

import type { ProgressMessage } from '../../../../schemas/src/trainerMessages';

export const PROGRESS_INTERVAL_MS = 500;

export class ProgressReporter {
  private readonly segmentStart: number;
  private lastEmit = -Infinity;

  constructor(
    private readonly runId: string,
    private readonly stepsTotal: number,
    private readonly stepsPerEpoch: number,
    private readonly startStep: number,
    /** Seconds of earlier segments (a resumed run continues its clock). */
    private readonly elapsedBefore: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.segmentStart = now();
  }

  /** Seconds since the run first started, summed over segments. */
  elapsedSeconds(): number {
    return this.elapsedBefore + (this.now() - this.segmentStart) / 1000;
  }

  /** A message when one is due (or `force`), else null. */
  update(step: number, examplesDone: number, force = false): ProgressMessage | null {
    const now = this.now();
    if (!force && now - this.lastEmit < PROGRESS_INTERVAL_MS) return null;
    this.lastEmit = now;
    const seconds = (now - this.segmentStart) / 1000;
    const steps = step - this.startStep;
    const stepsPerSecond = seconds > 0 ? steps / seconds : 0;
    return {
      type: 'progress',
      runId: this.runId,
      step,
      stepsTotal: this.stepsTotal,
      epoch: step / this.stepsPerEpoch,
      stepsPerSecond,
      examplesPerSecond: seconds > 0 ? examplesDone / seconds : 0,
      elapsedSeconds: this.elapsedBefore + seconds,
      etaSeconds: steps > 0 && stepsPerSecond > 0 ? (this.stepsTotal - step) / stepsPerSecond : null,
    };
  }
}
