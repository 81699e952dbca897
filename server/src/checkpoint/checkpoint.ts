// A Hugging Face BERT / RoBERTa folder opened for reading: config.json plus the safetensors
// headers, checked against each other. Opening reads headers only; tensor data is read later,
// one tensor at a time, with readTensorFloat32(checkpoint.get(name)).

import * as path from 'node:path';
import { CheckpointError, summariseProblems } from './checkpointError';
import { checkAgainstConfig } from './configAgreement';
import { readModelConfig, type ModelConfig, type ModelFamily } from './modelConfig';
import { requireFolder } from './modelFiles';
import { FAMILY_PREFIX, classifyParameters, detectPrefix, type ParameterInfo } from './parameterNames';
import { FLOATING_DTYPES, readSafetensorsHeader, type TensorInfo } from './safetensors';
import { locateWeights } from './weightFiles';

export interface Checkpoint {
  /** Absolute path of the model folder. */
  dir: string;
  config: ModelConfig;
  family: ModelFamily;
  /** Backbone prefix of the parameter names in the file: 'bert.', 'roberta.' or ''. */
  prefix: string;
  /** Every tensor, in model order (the order of `parameters`). */
  tensors: TensorInfo[];
  /** Every tensor classified, in model order. */
  parameters: ParameterInfo[];
  /** Number of floating-point elements (integer buffers such as position_ids excluded). */
  totalParameters: number;
  /** Absolute paths of the .safetensors files (one, or the shards). */
  weightFiles: string[];
  /** `__metadata__` of the (first) weights file. */
  metadata?: Record<string, string>;
  /** A tensor by its name in the file or its canonical name (prefix stripped). */
  get(name: string): TensorInfo | undefined;
  /** A parameter by its name in the file or its canonical name. */
  parameter(name: string): ParameterInfo | undefined;
}

/** Opens and checks a model folder. Throws CheckpointError with a message naming the file. */
export function openCheckpoint(dir: string): Checkpoint {
  const absolute = path.resolve(dir);
  requireFolder(absolute);
  const config = readModelConfig(absolute);
  const layout = locateWeights(absolute);

  let tensors: TensorInfo[];
  let metadata: Record<string, string> | undefined;
  if (layout.kind === 'single') {
    const header = readSafetensorsHeader(layout.file);
    tensors = [...header.tensors.values()];
    metadata = header.metadata;
  } else {
    const headers = new Map(layout.shards.map((shard) => [shard, readSafetensorsHeader(shard)]));
    metadata = headers.get(layout.shards[0])?.metadata;
    tensors = [];
    for (const [name, shard] of layout.weightMap) {
      const info = headers.get(shard)?.tensors.get(name);
      if (!info) {
        throw new CheckpointError(
          layout.index,
          `${layout.index} says tensor "${name}" is in ${path.basename(shard)}, but that shard has no such tensor; the index and the shards disagree (re-download or re-save the model).`,
          { tensor: name, field: 'weight_map' },
        );
      }
      tensors.push(info);
    }
  }
  const weightFiles = layout.kind === 'single' ? [layout.file] : layout.shards;
  if (tensors.length === 0) {
    throw new CheckpointError(weightFiles[0], `${weightFiles[0]} holds no tensors.`);
  }

  const prefix = detectPrefix(tensors.map((t) => t.name));
  const expectedPrefix = FAMILY_PREFIX[config.family];
  if (prefix !== '' && prefix !== expectedPrefix) {
    throw new CheckpointError(
      config.file,
      `${config.file} says model_type "${config.modelType}", but the tensors in ${path.basename(weightFiles[0])} are named ${prefix}…, i.e. a ${prefix.slice(0, -1)} checkpoint; fix model_type or use the matching config.json.`,
      { field: 'model_type' },
    );
  }
  const parameters = classifyParameters(tensors, prefix);
  checkCanonicalNamesAreUnique(parameters, weightFiles[0]);
  const problems = checkAgainstConfig(config, parameters);
  if (problems.length > 0) {
    throw new CheckpointError(
      weightFiles[0],
      summariseProblems(`The weights in ${absolute} disagree with its config.json:`, problems),
      { details: problems, tensor: problems.length > 0 ? firstNamedTensor(problems[0], parameters) : undefined },
    );
  }

  const tensorByName = new Map<string, TensorInfo>(tensors.map((t) => [t.name, t]));
  const parameterByName = new Map<string, ParameterInfo>();
  for (const parameter of parameters) {
    parameterByName.set(parameter.canonical, parameter);
    parameterByName.set(parameter.name, parameter);
    tensorByName.set(parameter.canonical, tensorByName.get(parameter.name) as TensorInfo);
  }
  const orderedTensors = parameters.map((p) => tensorByName.get(p.name) as TensorInfo);

  return {
    dir: absolute,
    config,
    family: config.family,
    prefix,
    tensors: orderedTensors,
    parameters,
    totalParameters: countParameters(parameters),
    weightFiles,
    ...(metadata ? { metadata } : {}),
    get: (name) => tensorByName.get(name),
    parameter: (name) => parameterByName.get(name),
  };
}

/** Floating-point elements only: integer buffers (position_ids) are not parameters. */
export function countParameters(parameters: readonly ParameterInfo[]): number {
  return parameters.reduce((sum, p) => sum + (FLOATING_DTYPES.has(p.dtype) ? p.count : 0), 0);
}

function checkCanonicalNamesAreUnique(parameters: readonly ParameterInfo[], file: string): void {
  const seen = new Map<string, string>();
  for (const parameter of parameters) {
    const earlier = seen.get(parameter.canonical);
    if (earlier !== undefined) {
      throw new CheckpointError(
        file,
        `${file} holds both "${earlier}" and "${parameter.name}", which name the same parameter ${parameter.canonical}; remove one of them.`,
        { tensor: parameter.name },
      );
    }
    seen.set(parameter.canonical, parameter.name);
  }
}

function firstNamedTensor(sentence: string, parameters: readonly ParameterInfo[]): string | undefined {
  const first = sentence.split(' ')[0];
  return parameters.some((p) => p.name === first) ? first : undefined;
}
