// One call from a model folder to a ready encoder on the chosen backend.

import { openCheckpoint, type Checkpoint } from '../../checkpoint';
import { selectBackend, type BackendRequest } from '../backend/selectBackend';
import { buildEncoder } from './buildEncoder';
import { checkpointWeightSource } from './checkpointWeights';
import type { Encoder } from './encoder';

export interface LoadEncoderOptions {
  backend?: BackendRequest;
  requireGpu?: boolean;
  /** An already opened checkpoint of `dir` (saves re-reading its headers). */
  checkpoint?: Checkpoint;
}

/**
 * Selects the backend first (weights are created on it), then reads only the encoder's tensors.
 * Throws CheckpointError, BackendUnavailableError, UnsupportedModelError or WeightShapeError,
 * each with a message naming the file and a fix.
 */
export async function loadEncoder(dir: string, options: LoadEncoderOptions = {}): Promise<Encoder> {
  const checkpoint = options.checkpoint ?? openCheckpoint(dir);
  const source = checkpointWeightSource(checkpoint);
  const backend = await selectBackend(options.backend ?? 'auto', { requireGpu: options.requireGpu });
  return buildEncoder(source, backend);
}
