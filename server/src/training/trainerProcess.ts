// Entry point of the trainer process: forked by the run manager (server/src/runs/runManager.ts),
// bundled to dist/trainer.js. It speaks the protocol of schemas/src/trainerMessages.ts on its IPC
// channel and writes the run folder; the training itself is the training core's runTraining.

import { serveTrainer } from '../runs/trainerHost';
import type { TrainFunction } from '../runs/trainingContract';

async function loadTrainer(): Promise<TrainFunction> {
  throw new Error('the training core (server/src/training/loop/runTraining.ts) is not part of this build yet');
}

function engineVersion(): string | null {
  try {
    return (require('@tensorflow/tfjs-core') as { version_core: string }).version_core;
  } catch {
    return null;
  }
}

serveTrainer({ loadTrainer, engineVersion });
