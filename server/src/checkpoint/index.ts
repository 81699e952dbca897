// The checkpoint module's public surface: config.json and safetensors reading shared by the
// analyser (headers only) and the trainer (tensors by offset). tfjs-free and vscode-free.

export { CheckpointError } from './checkpointError';
export { readModelConfig, normaliseModelConfig, type ModelConfig, type ModelFamily } from './modelConfig';
export {
  readSafetensorsHeader,
  readTensorBytes,
  readTensorFloat32,
  writeSafetensors,
  DTYPE_BYTES,
  FLOATING_DTYPES,
  type SafetensorsDtype,
  type SafetensorsHeader,
  type TensorInfo,
  type TensorToWrite,
} from './safetensors';
export { openCheckpoint, countParameters, type Checkpoint } from './checkpoint';
export {
  BLOCK_MATRICES,
  EXTRA_MATRICES,
  FAMILY_PREFIX,
  canonicalName,
  classifyParameter,
  classifyParameters,
  compareParameters,
  detectPrefix,
  type BlockMatrix,
  type ExtraMatrix,
  type MatrixKind,
  type ParameterComponent,
  type ParameterInfo,
  type ParameterRole,
} from './parameterNames';
export { compileSelector, matchSelector, selectionFor, type CompiledSelector, type InvalidSelector, type SelectorKind } from './selector';
export type { CreatedMatrix, Selection, SelectionModel, SelectionProblem, SelectionRequest } from './methodSelection';
export {
  FileSystemModelKnowledge,
  isModelProblem,
  watchedFiles,
  type ModelDescription,
  type ModelKnowledge,
  type ModelProblem,
} from './modelKnowledge';
export { resolveModelReference, hubCacheFolder, isHubReference, type ModelReferenceResolution } from './hfCache';
export { checkAgainstConfig, expectedShape, requiredTensors } from './configAgreement';
