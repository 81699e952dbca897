// Where a Hugging Face folder keeps its weights: one `model.safetensors`, or shards listed by
// `model.safetensors.index.json` ({"weight_map": {tensor name: shard file}}). Other formats are
// recognised only to say clearly that they are not supported.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { CheckpointError } from './checkpointError';
import { describeJsonValue, isPlainObject, readJsonFile } from './modelFiles';

export const SINGLE_WEIGHTS_FILE = 'model.safetensors';
export const SHARD_INDEX_FILE = 'model.safetensors.index.json';

export type WeightLayout =
  | { kind: 'single'; file: string }
  | { kind: 'sharded'; index: string; /** tensor name -> absolute shard path */ weightMap: Map<string, string>; shards: string[] };

const CONVERT_COMMAND =
  `python -c "import torch; from safetensors.torch import save_file; sd = torch.load('pytorch_model.bin', map_location='cpu'); save_file({k: v.clone().contiguous() for k, v in sd.items()}, 'model.safetensors', metadata={'format': 'pt'})"`;

/** Finds the weights of `dir` (an existing folder). Throws CheckpointError when there are none usable. */
export function locateWeights(dir: string): WeightLayout {
  const single = path.join(dir, SINGLE_WEIGHTS_FILE);
  if (exists(single)) return { kind: 'single', file: single };
  const index = path.join(dir, SHARD_INDEX_FILE);
  if (exists(index)) return { kind: 'sharded', index, ...readShardIndex(index) };

  if (exists(path.join(dir, 'pytorch_model.bin')) || exists(path.join(dir, 'pytorch_model.bin.index.json'))) {
    throw new CheckpointError(
      path.join(dir, 'pytorch_model.bin'),
      `${dir} holds a PyTorch .bin checkpoint, which is not supported (loading it would run pickled code); convert it to safetensors in that folder with: ${CONVERT_COMMAND} — or save the model with save_pretrained(..., safe_serialization=True).`,
    );
  }
  for (const other of ['tf_model.h5', 'flax_model.msgpack']) {
    if (exists(path.join(dir, other))) {
      throw new CheckpointError(
        path.join(dir, other),
        `${dir} holds only ${other}; Masklab reads safetensors weights: load the model in transformers and save it with save_pretrained(..., safe_serialization=True).`,
      );
    }
  }
  throw new CheckpointError(
    single,
    `${dir} has no weights: expected ${SINGLE_WEIGHTS_FILE} (or ${SHARD_INDEX_FILE} with its shards) next to config.json.`,
  );
}

/** Reads a shard index; shard paths are resolved against its folder and must stay inside it. */
export function readShardIndex(index: string): { weightMap: Map<string, string>; shards: string[] } {
  const raw = readJsonFile(index, SHARD_INDEX_FILE);
  const weightMap = isPlainObject(raw) ? raw.weight_map : undefined;
  if (!isPlainObject(weightMap)) {
    throw new CheckpointError(
      index,
      `${index} must hold an object with "weight_map": {"tensor name": "model-00001-of-00002.safetensors", …}, but ${isPlainObject(raw) ? `"weight_map" is ${describeJsonValue(weightMap)}` : `holds ${describeJsonValue(raw)}`}.`,
      { field: 'weight_map' },
    );
  }
  const dir = path.dirname(index);
  const resolved = new Map<string, string>();
  for (const [tensor, shard] of Object.entries(weightMap)) {
    if (typeof shard !== 'string' || shard === '' || path.isAbsolute(shard) || shard.split(/[\\/]/).includes('..')) {
      throw new CheckpointError(
        index,
        `${index}: "weight_map" sends tensor "${tensor}" to ${describeJsonValue(shard)}; expected a shard file name inside the model folder.`,
        { field: 'weight_map', tensor },
      );
    }
    resolved.set(tensor, path.join(dir, shard));
  }
  if (resolved.size === 0) {
    throw new CheckpointError(index, `${index}: "weight_map" lists no tensors.`, { field: 'weight_map' });
  }
  return { weightMap: resolved, shards: [...new Set(resolved.values())] };
}

/** true for anything at that path, including a broken or looping link (reading it reports why). */
function exists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
