// Public face of the training loop: run a resolved experiment, evaluate a kept artifact.
export { runTraining, TrainingFailedError, type MetricsAt, type TrainingOptions, type TrainingResult, type TrainingSink, type TrainingState } from './runTraining';
export { evaluateArtifact, type EvaluateArtifactOptions } from './evaluate';
export { TRAINING_STATE_VERSION } from './trainingState';
export {
  TASK_ARTIFACT_VERSION,
  type TaskArtifactParts,
  type ArtifactMask,
  type ArtifactTensor,
  type ArtifactDelta,
  type ArtifactHead,
} from '../methods/taskArtifact';
