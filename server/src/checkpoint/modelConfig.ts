// config.json (and tokenizer_config.json) of a Hugging Face BERT or RoBERTa folder, validated and
// normalised into one shape. Only these two small files are read: the language server calls this
// on every analysis of an experiment file.

import * as path from 'node:path';
import * as fs from 'node:fs';
import { CheckpointError, summariseProblems } from './checkpointError';
import { describeJsonValue, isPlainObject, readJsonFile, requireFolder } from './modelFiles';

export type ModelFamily = 'bert' | 'roberta';

export interface ModelConfig {
  /** Absolute path of the config.json this was read from. */
  file: string;
  family: ModelFamily;
  /** `model_type` as written (`bert`, `roberta`, `xlm-roberta`, `camembert`), or inferred from `architectures`. */
  modelType: string;
  /** e.g. ['BertForMaskedLM']; empty when config.json has none. */
  architectures: string[];
  hiddenSize: number;
  numHiddenLayers: number;
  numAttentionHeads: number;
  /** hiddenSize / numAttentionHeads. */
  headSize: number;
  intermediateSize: number;
  vocabSize: number;
  maxPositionEmbeddings: number;
  /** Position ids start here: 0 for BERT; padTokenId + 1 for RoBERTa (its first rows are reserved). */
  positionOffset: number;
  /** Longest input the position table allows: maxPositionEmbeddings - positionOffset. */
  maxSequenceLength: number;
  typeVocabSize: number;
  layerNormEps: number;
  /** Activation name as written (`gelu` = erf GELU in Hugging Face). */
  hiddenAct: string;
  padTokenId: number;
  positionEmbeddingType: string;
  hiddenDropoutProb: number;
  attentionDropoutProb: number;
  initializerRange: number;
  /** From `id2label` (or `num_labels`) when config.json has them, i.e. a classification checkpoint. */
  numLabels?: number;
  labels?: string[];
  /** From tokenizer_config.json when present. */
  doLowerCase?: boolean;
  /** From tokenizer_config.json; null means "follow do_lower_case", as in Hugging Face. */
  stripAccents?: boolean | null;
  /** config.json fields that were absent and took the Hugging Face default for the family. */
  defaulted: string[];
}

const BERT_DEFAULTS = {
  vocab_size: 30522,
  hidden_size: 768,
  num_hidden_layers: 12,
  num_attention_heads: 12,
  intermediate_size: 3072,
  hidden_act: 'gelu',
  hidden_dropout_prob: 0.1,
  attention_probs_dropout_prob: 0.1,
  max_position_embeddings: 512,
  type_vocab_size: 2,
  initializer_range: 0.02,
  layer_norm_eps: 1e-12,
  pad_token_id: 0,
  position_embedding_type: 'absolute',
};

// Hugging Face's RobertaConfig differs from BertConfig only in these defaults.
const ROBERTA_DEFAULTS = { ...BERT_DEFAULTS, vocab_size: 50265, pad_token_id: 1 };
const XLM_ROBERTA_DEFAULTS = { ...BERT_DEFAULTS, pad_token_id: 1 };

const FAMILY_OF_MODEL_TYPE: Record<string, ModelFamily> = {
  bert: 'bert',
  roberta: 'roberta',
  // Same architecture and parameter names (`roberta.` prefix) as RoBERTa.
  'xlm-roberta': 'roberta',
  camembert: 'roberta',
};

/** Reads `dir/config.json` and, when present, `dir/tokenizer_config.json`. Throws CheckpointError. */
export function readModelConfig(dir: string): ModelConfig {
  requireFolder(path.resolve(dir));
  const file = path.resolve(dir, 'config.json');
  if (!fs.existsSync(file) && !isSymbolicLink(file)) {
    throw new CheckpointError(
      file,
      `${file} does not exist: a Hugging Face model folder needs config.json next to its weights (model.safetensors).`,
    );
  }
  const raw = readJsonFile(file, 'config.json');
  if (!isPlainObject(raw)) {
    throw new CheckpointError(file, `${file} must hold a JSON object of model settings, but holds ${describeJsonValue(raw)}.`);
  }
  const config = normaliseModelConfig(raw, file);
  return { ...config, ...readTokenizerSettings(path.resolve(dir, 'tokenizer_config.json')) };
}

/** The validation and normalisation of readModelConfig, on an already parsed config.json. */
export function normaliseModelConfig(raw: Record<string, unknown>, file: string): ModelConfig {
  const problems: string[] = [];
  const fields = new FieldReader(raw, problems);

  const architectures = fields.stringList('architectures') ?? [];
  const modelType = fields.optionalString('model_type') ?? inferModelType(architectures);
  if (modelType === undefined) {
    throw new CheckpointError(
      file,
      `${file} has neither "model_type" nor "architectures", so the model family is unknown; add "model_type": "bert" (or "roberta").`,
      { field: 'model_type' },
    );
  }
  const family = FAMILY_OF_MODEL_TYPE[modelType];
  if (family === undefined) {
    throw new CheckpointError(
      file,
      `${file}: model_type "${modelType}" is not supported; Masklab reads BERT and RoBERTa checkpoints (model_type ${Object.keys(FAMILY_OF_MODEL_TYPE).map((t) => `"${t}"`).join(', ')}).`,
      { field: 'model_type' },
    );
  }
  const defaults = family === 'bert' ? BERT_DEFAULTS : modelType === 'roberta' ? ROBERTA_DEFAULTS : XLM_ROBERTA_DEFAULTS;
  fields.defaults = defaults;

  const hiddenSize = fields.positiveInteger('hidden_size');
  const numAttentionHeads = fields.positiveInteger('num_attention_heads');
  const padTokenId = fields.nonNegativeInteger('pad_token_id');
  const maxPositionEmbeddings = fields.positiveInteger('max_position_embeddings');
  const positionOffset = family === 'roberta' ? padTokenId + 1 : 0;
  if (hiddenSize % numAttentionHeads !== 0 && problems.length === 0) {
    problems.push(`hidden_size ${hiddenSize} must be a multiple of num_attention_heads ${numAttentionHeads}.`);
  }
  if (family === 'roberta' && maxPositionEmbeddings <= positionOffset) {
    problems.push(
      `max_position_embeddings ${maxPositionEmbeddings} leaves no positions: RoBERTa reserves the first ${positionOffset} (pad_token_id + 1).`,
    );
  }
  const labels = readLabels(raw, problems);

  const config: ModelConfig = {
    file,
    family,
    modelType,
    architectures,
    hiddenSize,
    numHiddenLayers: fields.positiveInteger('num_hidden_layers'),
    numAttentionHeads,
    headSize: Math.floor(hiddenSize / numAttentionHeads),
    intermediateSize: fields.positiveInteger('intermediate_size'),
    vocabSize: fields.positiveInteger('vocab_size'),
    maxPositionEmbeddings,
    positionOffset,
    maxSequenceLength: maxPositionEmbeddings - positionOffset,
    typeVocabSize: fields.positiveInteger('type_vocab_size'),
    layerNormEps: fields.positiveNumber('layer_norm_eps'),
    hiddenAct: fields.string('hidden_act'),
    padTokenId,
    positionEmbeddingType: fields.string('position_embedding_type'),
    hiddenDropoutProb: fields.probability('hidden_dropout_prob'),
    attentionDropoutProb: fields.probability('attention_probs_dropout_prob'),
    initializerRange: fields.positiveNumber('initializer_range'),
    ...labels,
    defaulted: fields.defaulted,
  };
  if (padTokenId >= config.vocabSize && problems.length === 0) {
    problems.push(`pad_token_id ${padTokenId} must be below vocab_size ${config.vocabSize}.`);
  }
  if (problems.length > 0) {
    throw new CheckpointError(file, summariseProblems(`${file} has invalid settings:`, problems), {
      field: fields.firstBadField,
      details: problems,
    });
  }
  return config;
}

function isSymbolicLink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

function inferModelType(architectures: string[]): string | undefined {
  for (const architecture of architectures) {
    if (/^XLMRoberta/.test(architecture)) return 'xlm-roberta';
    if (/^Camembert/.test(architecture)) return 'camembert';
    if (/^Roberta/.test(architecture)) return 'roberta';
    if (/^Bert/.test(architecture)) return 'bert';
  }
  return undefined;
}

function readLabels(raw: Record<string, unknown>, problems: string[]): Pick<ModelConfig, 'numLabels' | 'labels'> {
  const id2label = raw.id2label;
  if (id2label !== undefined) {
    if (!isPlainObject(id2label)) {
      problems.push(`"id2label" must be an object like {"0": "negative", "1": "positive"}, found ${describeJsonValue(id2label)}.`);
      return {};
    }
    const labels: string[] = [];
    for (const [key, value] of Object.entries(id2label)) {
      const id = Number(key);
      if (!Number.isInteger(id) || id < 0 || typeof value !== 'string') {
        problems.push(`"id2label" entry ${JSON.stringify(key)}: ${JSON.stringify(value)} must map a label id (0, 1, …) to a name.`);
        return {};
      }
      labels[id] = value;
    }
    if (labels.length !== Object.keys(id2label).length) {
      problems.push(`"id2label" must number its labels 0…${Object.keys(id2label).length - 1} without gaps.`);
      return {};
    }
    return { numLabels: labels.length, labels };
  }
  if (raw.num_labels !== undefined) {
    if (!Number.isInteger(raw.num_labels) || (raw.num_labels as number) < 1) {
      problems.push(`"num_labels" must be a positive integer, found ${describeJsonValue(raw.num_labels)}.`);
      return {};
    }
    return { numLabels: raw.num_labels as number };
  }
  return {};
}

function readTokenizerSettings(file: string): Pick<ModelConfig, 'doLowerCase' | 'stripAccents'> {
  if (!fs.existsSync(file) && !isSymbolicLink(file)) return {};
  const raw = readJsonFile(file, 'tokenizer_config.json');
  if (!isPlainObject(raw)) {
    throw new CheckpointError(file, `${file} must hold a JSON object of tokenizer settings, but holds ${describeJsonValue(raw)}.`);
  }
  const settings: Pick<ModelConfig, 'doLowerCase' | 'stripAccents'> = {};
  if (raw.do_lower_case !== undefined) {
    if (typeof raw.do_lower_case !== 'boolean') {
      throw new CheckpointError(file, `${file}: "do_lower_case" must be true or false, found ${describeJsonValue(raw.do_lower_case)}.`, {
        field: 'do_lower_case',
      });
    }
    settings.doLowerCase = raw.do_lower_case;
  }
  if (raw.strip_accents !== undefined) {
    if (typeof raw.strip_accents !== 'boolean' && raw.strip_accents !== null) {
      throw new CheckpointError(file, `${file}: "strip_accents" must be true, false or null, found ${describeJsonValue(raw.strip_accents)}.`, {
        field: 'strip_accents',
      });
    }
    settings.stripAccents = raw.strip_accents;
  }
  return settings;
}

/** Reads typed fields, falling back to family defaults and collecting every problem at once. */
class FieldReader {
  defaults: Record<string, unknown> = {};
  readonly defaulted: string[] = [];
  firstBadField: string | undefined;

  constructor(
    private readonly raw: Record<string, unknown>,
    private readonly problems: string[],
  ) {}

  positiveInteger(field: string): number {
    return this.number(field, (v) => Number.isInteger(v) && v > 0, 'a positive integer');
  }

  nonNegativeInteger(field: string): number {
    return this.number(field, (v) => Number.isInteger(v) && v >= 0, 'an integer ≥ 0');
  }

  positiveNumber(field: string): number {
    return this.number(field, (v) => v > 0, 'a number > 0');
  }

  probability(field: string): number {
    return this.number(field, (v) => v >= 0 && v < 1, 'a number in [0, 1)');
  }

  string(field: string): string {
    const value = this.value(field);
    if (typeof value === 'string' && value.length > 0) return value;
    this.bad(field, value, 'a non-empty string');
    return String(this.defaults[field] ?? '');
  }

  optionalString(field: string): string | undefined {
    const value = this.raw[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string' && value.length > 0) return value;
    this.bad(field, value, 'a non-empty string');
    return undefined;
  }

  stringList(field: string): string[] | undefined {
    const value = this.raw[field];
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
    this.bad(field, value, 'a list of strings, e.g. ["BertForMaskedLM"]');
    return undefined;
  }

  private number(field: string, ok: (v: number) => boolean, expected: string): number {
    const value = this.value(field);
    if (typeof value === 'number' && Number.isFinite(value) && ok(value)) return value;
    const hint = typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? ` (write ${value} without quotes)` : '';
    this.bad(field, value, expected, hint);
    // A neutral stand-in so later checks run; the error above is thrown before anyone sees it.
    return typeof this.defaults[field] === 'number' ? (this.defaults[field] as number) : 1;
  }

  private value(field: string): unknown {
    const value = this.raw[field];
    if (value === undefined) {
      this.defaulted.push(field);
      return this.defaults[field];
    }
    return value;
  }

  private bad(field: string, value: unknown, expected: string, hint = ''): void {
    this.firstBadField ??= field;
    this.problems.push(`"${field}" must be ${expected}, found ${describeJsonValue(value)}${hint}.`);
  }
}
