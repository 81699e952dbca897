// Entry point of the trainer process: forked by the run manager (server/src/runs/runManager.ts),
// bundled to dist/trainer.js. It speaks the protocol of schemas/src/trainerMessages.ts on its IPC
// channel and writes the run folder (runs/trainerHost.ts); the training itself is the training
// core's runTraining, loaded once the start command has arrived.

import { serveTrainer } from '../runs/trainerHost';
import type { TrainFunction } from '../runs/trainingContract';

async function loadTrainer(): Promise<TrainFunction> {
  const { runTraining } = await import('./loop/runTraining.js');
  return runTraining;
}

function engineVersion(): string | null {
  try {
    return (require('@tensorflow/tfjs-core') as { version_core: string }).version_core;
  } catch {
    return null;
  }
}

serveTrainer({ loadTrainer, engineVersion });
