// Test helpers: temporary folders, tiny fake BERT / RoBERTa checkpoints in any naming layout,
// raw (possibly corrupt) safetensors files, and the location of the shared real checkpoint.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';
import { writeSafetensors, type TensorToWrite } from '../../../server/src/checkpoint/safetensors';

/** The repository root: the nearest folder above this file holding package.json. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the tests');
    dir = parent;
  }
  return dir;
}

export const SHARED_MODEL = path.resolve(repoRoot(), '../shared/models/bert-tiny-glue-mlm');
export const SHARED_MODEL_SKIP = !fs.existsSync(path.join(SHARED_MODEL, 'model.safetensors')) && 'shared data absent: ../shared/models/bert-tiny-glue-mlm';

const created: string[] = [];
after(() => {
  for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed when the test file finishes. */
export function tempDir(label = 'checkpoint'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `masklab-${label}-`));
  created.push(dir);
  return dir;
}

export interface FakeModelOptions {
  family?: 'bert' | 'roberta';
  /** Backbone prefix in tensor names; default 'bert.' / 'roberta.'; '' for a bare BertModel. */
  prefix?: string;
  hidden?: number;
  layers?: number;
  heads?: number;
  intermediate?: number;
  vocab?: number;
  maxPositions?: number;
  typeVocab?: number;
  /** Which head tensors to include. */
  head?: 'mlm' | 'classifier' | 'none';
  numLabels?: number;
  pooler?: boolean;
  dtype?: 'F32' | 'F16' | 'BF16';
  /** Extra or replacement config.json fields. */
  config?: Record<string, unknown>;
  /** Canonical names to leave out. */
  omit?: string[];
  /** Canonical name -> shape to store instead of the right one. */
  reshape?: Record<string, number[]>;
}

export function fakeConfig(options: FakeModelOptions = {}): Record<string, unknown> {
  const family = options.family ?? 'bert';
  return {
    architectures: [family === 'bert' ? 'BertForMaskedLM' : 'RobertaForMaskedLM'],
    model_type: family,
    hidden_size: options.hidden ?? 8,
    num_hidden_layers: options.layers ?? 2,
    num_attention_heads: options.heads ?? 2,
    intermediate_size: options.intermediate ?? 16,
    vocab_size: options.vocab ?? 20,
    max_position_embeddings: options.maxPositions ?? (family === 'roberta' ? 14 : 12),
    type_vocab_size: options.typeVocab ?? (family === 'roberta' ? 1 : 2),
    hidden_act: 'gelu',
    layer_norm_eps: family === 'roberta' ? 1e-5 : 1e-12,
    pad_token_id: family === 'roberta' ? 1 : 0,
    ...options.config,
  };
}

/** Canonical name -> shape of every tensor a model with these options has. */
export function fakeShapes(options: FakeModelOptions = {}): Array<[string, number[]]> {
  const config = fakeConfig(options);
  const h = config.hidden_size as number;
  const i = config.intermediate_size as number;
  const v = config.vocab_size as number;
  const shapes: Array<[string, number[]]> = [
    ['embeddings.word_embeddings.weight', [v, h]],
    ['embeddings.position_embeddings.weight', [config.max_position_embeddings as number, h]],
    ['embeddings.token_type_embeddings.weight', [config.type_vocab_size as number, h]],
    ['embeddings.LayerNorm.weight', [h]],
    ['embeddings.LayerNorm.bias', [h]],
  ];
  for (let b = 0; b < (config.num_hidden_layers as number); b++) {
    const l = `encoder.layer.${b}`;
    for (const m of ['attention.self.query', 'attention.self.key', 'attention.self.value', 'attention.output.dense']) {
      shapes.push([`${l}.${m}.weight`, [h, h]], [`${l}.${m}.bias`, [h]]);
    }
    shapes.push([`${l}.attention.output.LayerNorm.weight`, [h]], [`${l}.attention.output.LayerNorm.bias`, [h]]);
    shapes.push([`${l}.intermediate.dense.weight`, [i, h]], [`${l}.intermediate.dense.bias`, [i]]);
    shapes.push([`${l}.output.dense.weight`, [h, i]], [`${l}.output.dense.bias`, [h]]);
    shapes.push([`${l}.output.LayerNorm.weight`, [h]], [`${l}.output.LayerNorm.bias`, [h]]);
  }
  if (options.pooler ?? true) shapes.push(['pooler.dense.weight', [h, h]], ['pooler.dense.bias', [h]]);
  const family = options.family ?? 'bert';
  const head = options.head ?? 'mlm';
  const labels = options.numLabels ?? 2;
  if (head === 'mlm' && family === 'bert') {
    shapes.push(
      ['cls.predictions.transform.dense.weight', [h, h]],
      ['cls.predictions.transform.dense.bias', [h]],
      ['cls.predictions.transform.LayerNorm.weight', [h]],
      ['cls.predictions.transform.LayerNorm.bias', [h]],
      ['cls.predictions.bias', [v]],
    );
  } else if (head === 'mlm') {
    shapes.push(['lm_head.dense.weight', [h, h]], ['lm_head.dense.bias', [h]], ['lm_head.layer_norm.weight', [h]], ['lm_head.layer_norm.bias', [h]], ['lm_head.bias', [v]]);
  } else if (head === 'classifier' && family === 'bert') {
    shapes.push(['classifier.weight', [labels, h]], ['classifier.bias', [labels]]);
  } else if (head === 'classifier') {
    shapes.push(['classifier.dense.weight', [h, h]], ['classifier.dense.bias', [h]], ['classifier.out_proj.weight', [labels, h]], ['classifier.out_proj.bias', [labels]]);
  }
  return shapes
    .filter(([name]) => !(options.omit ?? []).includes(name))
    .map(([name, shape]) => [name, options.reshape?.[name] ?? shape]);
}

/** Values that differ per tensor and per element, so a read of the wrong bytes is caught. */
export function fakeValues(tensorIndex: number, count: number): Float32Array {
  const data = new Float32Array(count);
  for (let k = 0; k < count; k++) data[k] = Math.fround((tensorIndex + 1) * 0.25 + k / 64);
  return data;
}

export function fakeTensors(options: FakeModelOptions = {}): TensorToWrite[] {
  const family = options.family ?? 'bert';
  const prefix = options.prefix ?? `${family}.`;
  return fakeShapes(options).map(([canonical, shape], index) => ({
    name: /^(embeddings|encoder|pooler)\./.test(canonical) ? prefix + canonical : canonical,
    dtype: options.dtype ?? 'F32',
    shape,
    data: fakeValues(index, shape.reduce((a, b) => a * b, 1)),
  }));
}

/** Writes config.json and model.safetensors for a fake model into `dir` (created if needed). */
export function writeFakeModel(dir: string, options: FakeModelOptions = {}): TensorToWrite[] {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(fakeConfig(options), null, 2));
  const tensors = fakeTensors(options);
  writeSafetensors(path.join(dir, 'model.safetensors'), tensors, { format: 'pt' });
  return tensors;
}

/** A safetensors file from a raw header (object or exact text) and data bytes, for corrupt fixtures. */
export function writeRawSafetensors(file: string, header: unknown, data: Uint8Array | number, declaredLength?: bigint): void {
  const headerBytes = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(declaredLength ?? BigInt(headerBytes.length));
  const body = typeof data === 'number' ? new Uint8Array(data) : data;
  fs.writeFileSync(file, Buffer.concat([length, headerBytes, body]));
}
