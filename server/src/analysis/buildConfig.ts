// An effective tree (checked, inherited, overridden) written out as the resolved config: every
// key of the table that belongs to the block's kind, with its default when not written. Key names
// are the config's field names, so this stays generic; only the task's files, the model and the
// blocks' `all` need knowledge beyond the table.

import * as path from 'node:path';
import type {
  ConfigValue,
  DeviceConfig,
  EvaluateConfig,
  ExperimentConfig,
  MethodConfig,
  PathRef,
  TaskConfig,
  TrainConfig,
} from '../../../schemas/src/experimentConfig';
import type { ModelDescription } from '../checkpoint/modelKnowledge';
import type { EntryBlock } from './entryTree';
import type { EntryValues } from './entryValues';
import { glueTasks, isGlueTaskName } from './glueTasks';
import { belongsTo } from './keyTable';
import type { BlockSpec, TypedValue } from './keys/types';
import type { FileAccess } from './modelAccess';
import { isBlockList } from './valueFormat';

export interface BuildInput {
  root: EntryBlock;
  values: EntryValues;
  files: FileAccess;
  model: { ref: string; dir: string; description: ModelDescription };
}

type ConfigBody = Omit<ExperimentConfig, 'schemaVersion' | 'name' | 'experiment' | 'sweep' | 'source'>;

export function buildConfigBody(input: BuildInput): ConfigBody {
  return {
    model: { ref: input.model.ref, dir: input.model.dir },
    task: taskConfig(input),
    method: blockConfig(input, ['method']) as unknown as MethodConfig,
    train: blockConfig(input, ['train']) as unknown as TrainConfig,
    evaluate: blockConfig(input, ['evaluate']) as unknown as EvaluateConfig,
    device: blockConfig(input, ['device']) as unknown as DeviceConfig,
  };
}

/** A typed value as JSON: blocks become numbers (all of them for `all`, given the model). */
export function toConfigValue(value: TypedValue, layers?: number): ConfigValue {
  if (value === 'all' && layers !== undefined) return Array.from({ length: layers }, (_, i) => i);
  if (isBlockList(value)) return [...value.blocks];
  if (Array.isArray(value)) return value.map((v) => toConfigValue(v, layers));
  return value as ConfigValue;
}

function specAt(root: EntryBlock, blockPath: readonly string[]): { spec: BlockSpec; block?: EntryBlock } {
  let block: EntryBlock | undefined = root;
  let spec: BlockSpec = root.spec;
  for (const name of blockPath) {
    spec = spec.blocks.find((b) => b.name === name) as BlockSpec;
    block = block?.blocks.get(name);
  }
  return { spec, block };
}

function blockConfig(input: BuildInput, blockPath: string[]): Record<string, ConfigValue | Record<string, unknown> | null> {
  const { spec, block } = specAt(input.root, blockPath);
  const family = block?.kind?.family;
  const layers = input.model.description.config.numHiddenLayers;
  const out: Record<string, ConfigValue | Record<string, unknown> | null> = {};
  if (block?.kind) out.kind = block.kind.name;
  for (const key of spec.keys) {
    if (!belongsTo(key, family)) continue;
    const value = input.values.get([...blockPath, key.name].join('.'));
    if (value !== undefined) out[key.name] = toConfigValue(value, layers);
  }
  for (const child of spec.blocks) {
    if (!belongsTo(child, family)) continue;
    const childBlock = block?.blocks.get(child.name);
    out[child.name] = childBlock?.kind ? blockConfig(input, [...blockPath, child.name]) : null;
  }
  if (block?.kind?.name === 'finetune') finetuneHead(out, input.values);
  return out;
}

/** In finetune `train_head` and `head` in `also` say the same thing; writing one decides both. */
function finetuneHead(out: Record<string, unknown>, values: EntryValues): void {
  const trainHead = values.written('method.train_head');
  const also = values.written('method.also');
  if (trainHead && !also && Array.isArray(out.also)) {
    const rest = (out.also as string[]).filter((p) => p !== 'head');
    out.also = trainHead.value === true ? [...rest, 'head'] : rest;
  } else if (also && !trainHead && Array.isArray(out.also)) {
    out.train_head = (out.also as string[]).includes('head');
  }
}

function pathRef(files: FileAccess, ref: string): PathRef {
  return { ref, path: files.absolute(ref) };
}

/** A file inside a folder the file named, keeping the reference readable (`data/SST-2/train.tsv`). */
function inside(folder: PathRef, file: string): PathRef {
  return { ref: path.posix.join(folder.ref.replace(/\\/g, '/'), file), path: path.join(folder.path, file) };
}

function taskConfig(input: BuildInput): TaskConfig {
  const { values, files } = input;
  const kind = values.kind('task') as string;
  const number = (key: string) => values.get(`task.${key}`) as number | null;
  const common = {
    max_length: number('max_length') as number,
    max_examples: number('max_examples'),
    dev_examples: number('dev_examples'),
  };
  if (kind.startsWith('glue.')) {
    const name = kind.slice('glue.'.length);
    if (!isGlueTaskName(name)) throw new Error(`unknown GLUE task ${name}`);
    const facts = glueTasks[name];
    const data = pathRef(files, values.get('task.data') as string);
    const pick = (candidates: readonly string[]) => candidates.find((f) => files.pathKind(path.join(data.path, f)) !== undefined) ?? candidates[0];
    return {
      kind: 'glue',
      name,
      data,
      regression: facts.labels === null,
      labels: facts.labels ? [...facts.labels] : null,
      ...common,
      train: inside(data, pick(facts.trainFiles)),
      dev: inside(data, pick(facts.devFiles)),
    };
  }
  const format = kind as 'csv' | 'tsv' | 'jsonl';
  const dataRef = values.get('task.data');
  const data = typeof dataRef === 'string' ? pathRef(files, dataRef) : null;
  const file = (split: 'train' | 'dev'): PathRef => {
    const written = values.get(`task.${split}`);
    if (typeof written === 'string') return pathRef(files, written);
    if (data) return inside(data, `${split}.${format}`);
    throw new Error(`task ${format} has neither ${split} nor data`);
  };
  const labels = values.get('task.labels');
  return {
    kind: format,
    data,
    text: values.get('task.text') as string,
    text_pair: (values.get('task.text_pair') as string | null) ?? null,
    label: values.get('task.label') as string,
    labels: Array.isArray(labels) && labels.length > 0 ? (labels as string[]) : null,
    ...common,
    train: file('train'),
    dev: file('dev'),
  };
}
