// Test helpers for the analyser: a ModelKnowledge stub shaped like BERT-Tiny (2 blocks, hidden 128,
// 2 heads, FFN 512) built from real parameter names, a file-system stub, and diagnostics rendered
// as `line:col severity message` (1-based) for snapshot-style expectations.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { normaliseModelConfig } from '../../../server/src/checkpoint/modelConfig';
import type { ModelDescription, ModelKnowledge, ModelProblem } from '../../../server/src/checkpoint/modelKnowledge';
import { classifyParameters } from '../../../server/src/checkpoint/parameterNames';
import { analyse } from '../../../server/src/analysis/analyse';
import type { Analysis } from '../../../server/src/analysis/analysis';
import type { Diagnostic } from '../../../server/src/analysis/diagnostics';
import { parse } from '../../../server/src/dsl/parser';
import { LineIndex } from '../../../server/src/dsl/lineIndex';

export const FILE = '/proj/experiments/exp.masklab';
export const DIR = path.dirname(FILE);

export interface TinyShape {
  layers?: number;
  hidden?: number;
  heads?: number;
  ffn?: number;
  vocab?: number;
  positions?: number;
  pooler?: boolean;
}

export function bertDescription(dir: string, shape: TinyShape = {}): ModelDescription {
  const layers = shape.layers ?? 2;
  const hidden = shape.hidden ?? 128;
  const heads = shape.heads ?? 2;
  const ffn = shape.ffn ?? 512;
  const vocab = shape.vocab ?? 30522;
  const positions = shape.positions ?? 512;
  const t = (name: string, shapeOf: number[]) => ({ name: `bert.${name}`, shape: shapeOf, dtype: 'F32' as const });
  const tensors = [
    t('embeddings.word_embeddings.weight', [vocab, hidden]),
    t('embeddings.position_embeddings.weight', [positions, hidden]),
    t('embeddings.token_type_embeddings.weight', [2, hidden]),
    t('embeddings.LayerNorm.weight', [hidden]),
    t('embeddings.LayerNorm.bias', [hidden]),
  ];
  for (let i = 0; i < layers; i++) {
    const l = `encoder.layer.${i}.`;
    for (const m of ['query', 'key', 'value']) tensors.push(t(`${l}attention.self.${m}.weight`, [hidden, hidden]), t(`${l}attention.self.${m}.bias`, [hidden]));
    tensors.push(
      t(`${l}attention.output.dense.weight`, [hidden, hidden]),
      t(`${l}attention.output.dense.bias`, [hidden]),
      t(`${l}attention.output.LayerNorm.weight`, [hidden]),
      t(`${l}attention.output.LayerNorm.bias`, [hidden]),
      t(`${l}intermediate.dense.weight`, [ffn, hidden]),
      t(`${l}intermediate.dense.bias`, [ffn]),
      t(`${l}output.dense.weight`, [hidden, ffn]),
      t(`${l}output.dense.bias`, [hidden]),
      t(`${l}output.LayerNorm.weight`, [hidden]),
      t(`${l}output.LayerNorm.bias`, [hidden]),
    );
  }
  if (shape.pooler !== false) tensors.push(t('pooler.dense.weight', [hidden, hidden]), t('pooler.dense.bias', [hidden]));
  tensors.push({ name: 'cls.predictions.bias', shape: [vocab], dtype: 'F32' });
  const parameters = classifyParameters(tensors, 'bert.');
  const config = normaliseModelConfig(
    {
      model_type: 'bert',
      architectures: ['BertForMaskedLM'],
      hidden_size: hidden,
      num_hidden_layers: layers,
      num_attention_heads: heads,
      intermediate_size: ffn,
      vocab_size: vocab,
      max_position_embeddings: positions,
    },
    path.join(dir, 'config.json'),
  );
  return {
    dir,
    config,
    family: 'bert',
    prefix: 'bert.',
    parameters,
    totalParameters: parameters.reduce((s, p) => s + p.count, 0),
    weightFiles: [path.join(dir, 'model.safetensors')],
  };
}

/** Answers for known folders; anything else is a problem naming the folder. */
export class StubModels implements ModelKnowledge {
  calls = 0;
  constructor(private readonly answers: Record<string, ModelDescription | ModelProblem>) {}
  describe(modelDir: string): ModelDescription | ModelProblem {
    this.calls++;
    return this.answers[path.resolve(modelDir)] ?? { problem: `${modelDir} does not exist` };
  }
}

export const TINY_DIR = path.join(DIR, 'models/tiny');
export const BROKEN_DIR = path.join(DIR, 'models/broken');

export function tinyModels(): StubModels {
  return new StubModels({
    [TINY_DIR]: bertDescription(TINY_DIR),
    [BROKEN_DIR]: { problem: `${BROKEN_DIR}/model.safetensors is truncated: the header says 4,400,000 bytes but the file has 1,024` },
  });
}

/** Folders and files that exist, relative to the experiment file's folder. */
export const DEFAULT_FILES: Record<string, 'file' | 'directory'> = {
  'models/tiny': 'directory',
  'data/SST-2': 'directory',
  'data/SST-2/train.tsv': 'file',
  'data/SST-2/dev.tsv': 'file',
  'data/STS-B': 'directory',
  'data/STS-B/train.tsv': 'file',
  'data/STS-B/dev.tsv': 'file',
  'data/MNLI': 'directory',
  'data/MNLI/train.tsv': 'file',
  'data/MNLI/dev_matched.tsv': 'file',
  'reviews': 'directory',
  'reviews/train.csv': 'file',
  'reviews/dev.csv': 'file',
};

export interface AnalyseOptions {
  files?: Record<string, 'file' | 'directory'>;
  models?: ModelKnowledge;
}

export function analyseText(text: string, options: AnalyseOptions = {}): Analysis {
  const files = options.files ?? DEFAULT_FILES;
  const absolute = new Map(Object.entries(files).map(([p, kind]) => [path.resolve(DIR, p), kind]));
  return analyse(parse(text), {
    filePath: FILE,
    text,
    models: options.models ?? tinyModels(),
    pathKind: (p) => absolute.get(p),
  });
}

export function renderDiagnostic(text: string, d: Diagnostic): string {
  const at = new LineIndex(text).positionAt(d.span.start);
  return `${at.line + 1}:${at.character + 1} ${d.severity} ${d.message}`;
}

/** Every diagnostic as `line:col severity message`. */
export function diagnosticsOf(text: string, options: AnalyseOptions = {}): string[] {
  const analysis = analyseText(text, options);
  return analysis.diagnostics.map((d) => renderDiagnostic(text, d));
}

/** A valid experiment to build small documents on. */
export const BASE = `experiment base {
  model "models/tiny"
  task glue.sst2 { data "data/SST-2" }
  method mask
}
`;

export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}
