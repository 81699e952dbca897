// The `pretrain` step: makes examples/models/tiny, the small pretrained BERT the quickstart
// uses, from nothing but this repository:
//   1. generates an unlabelled review corpus (reviewCorpus.ts) that never contains a sentence
//      of the classification data (examples/data/sentiment, which must exist: run main.ts first);
//   2. learns a WordPiece vocabulary from it (wordPieceTrainer.ts) and writes vocab.txt,
//      tokenizer_config.json and config.json (BertForMaskedLM);
//   3. encodes the corpus with the engine's own tokenizer, initialises the weights as
//      randomBert.ts does, and pretrains them by masked-language modelling with the engine's loop
//      (server/src/training/pretraining);
//   4. writes model.safetensors (fp32, Hugging Face names) and a README with the command, the
//      corpus, the steps, the time and the final held-out MLM loss.
// Deterministic for a given seed and backend (wasm and cpu round differently).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeSafetensors } from '../../server/src/checkpoint/safetensors';
import { selectBackend, type BackendRequest } from '../../server/src/training/backend';
import { weightSourceFromMap, type EncoderConfig, type WeightArray } from '../../server/src/training/model';
import {
  BERT_MASKING,
  MaskedLmModel,
  evaluationLine,
  formatDuration,
  pretrainMaskedLm,
  progressLine,
  type HeldOutEvaluation,
} from '../../server/src/training/pretraining';
import { loadTokenizer } from '../../server/src/training/tokenizer';
import { tokenizerConfig } from './modelFiles';
import { bertConfigJson, randomBertForMaskedLM, type BertShape } from './randomBert';
import { reviewCorpus } from './reviewCorpus';
import { SeededRandom } from './seededRandom';
import { trainWordPiece, wordFrequencies } from './wordPieceTrainer';
import { SPECIAL_TOKENS } from './vocabulary';

/** The pretrained example model's shape apart from the vocabulary size, which the corpus decides. */
export const TINY_SHAPE: Omit<BertShape, 'vocabSize'> = {
  hiddenSize: 64,
  numHiddenLayers: 2,
  numAttentionHeads: 2,
  intermediateSize: 256,
  // Reviews and task sentences fit in 32 tokens with [CLS] and [SEP]; no longer position is trained.
  maxPositionEmbeddings: 32,
  typeVocabSize: 2,
  initializerRange: 0.02,
  padTokenId: 0,
};

export interface PretrainSettings {
  seed: number;
  /** Reviews generated for training; those longer than the positions allow are dropped. */
  reviews: number;
  /** Further reviews held out for the MLM loss (any that also occur in training are dropped). */
  heldOutReviews: number;
  vocabularySize: number;
  steps: number;
  batchSize: number;
  peakLr: number;
  warmupSteps: number;
  weightDecay: number;
  evaluateEvery: number;
  backend: BackendRequest;
}

export const DEFAULT_PRETRAIN_SETTINGS: Omit<PretrainSettings, 'seed'> = {
  reviews: 40000,
  heldOutReviews: 1000,
  vocabularySize: 2000,
  steps: 6000,
  batchSize: 64,
  peakLr: 2e-3,
  warmupSteps: 300,
  weightDecay: 0.01,
  evaluateEvery: 1000,
  backend: 'wasm',
};

export interface PretrainReport {
  modelDir: string;
  backend: string;
  trainSequences: number;
  heldOutSequences: number;
  sentences: number;
  tokens: number;
  vocabularySize: number;
  parameters: number;
  seconds: number;
  evaluations: HeldOutEvaluation[];
  final: HeldOutEvaluation;
}

function writeText(file: string, text: string): void {
  fs.writeFileSync(file, text, 'utf8');
}

function readSentences(file: string): string[] {
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: the corpus must avoid the classification data, so generate it first (node --import tsx examples/generate/main.ts)`);
  }
  return fs.readFileSync(file, 'utf8').replace(/\n$/, '').split('\n').slice(1).map((line) => line.split('\t')[0]);
}

/** Hugging Face names (`bert.` prefix stripped, as the engine's weight sources use them). */
function canonicalWeights(shape: BertShape, random: SeededRandom): Map<string, WeightArray> {
  return new Map(randomBertForMaskedLM(shape, random).map((t) => [t.name.replace(/^bert\./, ''), { shape: t.shape, values: t.data }]));
}

function encoderConfig(shape: BertShape): EncoderConfig {
  const config = bertConfigJson(shape);
  return {
    family: 'bert',
    hiddenSize: shape.hiddenSize,
    numLayers: shape.numHiddenLayers,
    numHeads: shape.numAttentionHeads,
    intermediateSize: shape.intermediateSize,
    vocabSize: shape.vocabSize,
    maxPositions: shape.maxPositionEmbeddings,
    typeVocabSize: shape.typeVocabSize,
    layerNormEps: config.layer_norm_eps as number,
    hiddenAct: 'gelu',
    padTokenId: shape.padTokenId,
    hiddenDropout: config.hidden_dropout_prob as number,
    attentionDropout: config.attention_probs_dropout_prob as number,
    initializerRange: shape.initializerRange,
  };
}

export async function pretrainExampleModel(root: string, settings: PretrainSettings, log: (line: string) => void): Promise<PretrainReport> {
  const started = performance.now();
  const random = new SeededRandom(settings.seed);
  const dataDir = path.join(root, 'data', 'sentiment');
  const modelDir = path.join(root, 'models', 'tiny');
  const excluded = new Set([...readSentences(path.join(dataDir, 'train.tsv')), ...readSentences(path.join(dataDir, 'dev.tsv'))]);

  const reviews = reviewCorpus(random.fork('pretraining corpus'), settings.reviews + settings.heldOutReviews, excluded);
  const trainTexts = reviews.slice(0, settings.reviews).map((r) => r.text);
  const seen = new Set(trainTexts);
  const heldOutTexts = reviews.slice(settings.reviews).map((r) => r.text).filter((text) => !seen.has(text));
  log(`corpus: ${trainTexts.length} training reviews, ${heldOutTexts.length} held out (none contains a sentence of ${path.relative(root, dataDir)})`);

  const vocabulary = trainWordPiece(wordFrequencies(trainTexts), { vocabularySize: settings.vocabularySize, minFrequency: 2 });
  const shape: BertShape = { ...TINY_SHAPE, vocabSize: vocabulary.length };
  fs.mkdirSync(modelDir, { recursive: true });
  writeText(path.join(modelDir, 'vocab.txt'), `${vocabulary.join('\n')}\n`);
  writeText(path.join(modelDir, 'config.json'), `${JSON.stringify(bertConfigJson(shape), null, 2)}\n`);
  writeText(path.join(modelDir, 'tokenizer_config.json'), `${JSON.stringify(tokenizerConfig(shape), null, 2)}\n`);
  log(`vocabulary: ${vocabulary.length} WordPiece entries (${vocabulary.filter((p) => p.startsWith('##')).length} "##" pieces)`);

  // The engine's tokenizer, reading the files just written: the model learns exactly the ids training will feed it.
  const tokenizer = loadTokenizer(modelDir);
  const encode = (texts: string[]) => texts.map((text) => tokenizer.encode(text).ids).filter((ids) => ids.length <= shape.maxPositionEmbeddings);
  const train = encode(trainTexts);
  const heldOut = encode(heldOutTexts);
  const tokens = train.reduce((sum, ids) => sum + ids.length - 2, 0);
  const sentences = trainTexts.reduce((sum, text) => sum + (text.match(/ [.!](?= |$)/g)?.length ?? 0), 0);
  log(`encoded: ${train.length} training sequences (${sentences} sentences, ${tokens} word pieces), ${heldOut.length} held out`);

  const backend = await selectBackend(settings.backend);
  const model = MaskedLmModel.fromWeights(weightSourceFromMap('initial weights', encoderConfig(shape), canonicalWeights(shape, random.fork('model weights'))), backend);
  log(`model: ${model.parameterCount} trained parameters on ${backend.detail}; ${settings.steps} steps of ${settings.batchSize} sequences`);
  const maskId = SPECIAL_TOKENS.indexOf('[MASK]');
  let result;
  try {
    result = await pretrainMaskedLm(model, { train, heldOut }, {
      steps: settings.steps,
      batchSize: settings.batchSize,
      peakLr: settings.peakLr,
      warmupSteps: settings.warmupSteps,
      weightDecay: settings.weightDecay,
      maxGradNorm: 1,
      seed: settings.seed,
      masking: { ...BERT_MASKING, maskId, vocabSize: vocabulary.length, specialIds: new Set(SPECIAL_TOKENS.map((_, id) => id)) },
      padId: shape.padTokenId,
      evaluateEvery: settings.evaluateEvery,
      progressEverySeconds: 30,
      onProgress: (p) => log(progressLine(p)),
      onEvaluation: (e) => log(evaluationLine(e)),
    });
    writeSafetensors(path.join(modelDir, 'model.safetensors'), model.checkpointTensors(), {
      format: 'pt',
      generator: 'masklab examples/generate/main.ts pretrain',
      seed: String(settings.seed),
    });
  } finally {
    model.dispose();
  }
  const report: PretrainReport = {
    modelDir,
    backend: backend.detail,
    trainSequences: train.length,
    heldOutSequences: heldOut.length,
    sentences,
    tokens,
    vocabularySize: vocabulary.length,
    parameters: model.parameterCount,
    seconds: (performance.now() - started) / 1000,
    evaluations: result.evaluations,
    final: result.final,
  };
  writeText(path.join(modelDir, 'README.md'), modelReadme(settings, shape, report));
  return report;
}

function modelReadme(settings: PretrainSettings, shape: BertShape, report: PretrainReport): string {
  const first = report.evaluations[0];
  return `# tiny

A small BERT **pretrained by this repository** (masked-language modelling with Masklab's own
engine) on a synthetic corpus of film reviews, so that \`examples/quickstart.masklab\` needs nothing
outside the repository. Its weights know the sentiment structure of the reviews (negation,
contrast, intensifiers), which is what the quickstart's mask learns to use.

- Hugging Face layout, \`BertForMaskedLM\` (\`bert.\` prefix; pooler kept at its random
  initialisation, as BERT's masked-LM-only pretraining leaves it; \`cls.predictions.*\` head with
  the decoder tied to the word embeddings, so not stored). \`model.safetensors\` is float32, PyTorch
  \`Linear\` layout (\`[out, in]\`).
- hidden ${shape.hiddenSize}, ${shape.numHiddenLayers} blocks, ${shape.numAttentionHeads} heads, FFN ${shape.intermediateSize}, GELU, ${shape.maxPositionEmbeddings} positions, ${shape.typeVocabSize} token types;
  ${report.parameters.toLocaleString('en-US')} trained parameters.
- Vocabulary: ${report.vocabularySize} lower-cased WordPiece entries learned from the corpus
  (examples/generate/wordPieceTrainer.ts; every ASCII letter, digit and punctuation mark is
  present, so nothing encodes to [UNK]).
- Corpus: ${report.trainSequences.toLocaleString('en-US')} generated reviews (${report.sentences.toLocaleString('en-US')} sentences, ${report.tokens.toLocaleString('en-US')} word pieces; grammar
  in examples/generate/reviewCorpus.ts), none containing a sentence of \`examples/data/sentiment\`
  (train or dev); ${report.heldOutSequences.toLocaleString('en-US')} further reviews held out.
- Pretraining: masked-LM only, 15 % of tokens (80 % [MASK], 10 % random, 10 % kept), ${settings.steps.toLocaleString('en-US')} steps of
  ${settings.batchSize} length-bucketed sequences, AdamW (peak lr ${settings.peakLr}, ${settings.warmupSteps} warm-up steps then linear decay,
  weight decay ${settings.weightDecay} on matrices, gradient clipping 1.0), no dropout, seed ${settings.seed}, on ${report.backend}:
  ${formatDuration(report.seconds)} in all (corpus and vocabulary included).
- Held-out masked-LM loss (fixed masking): ${first && first !== report.final ? `${first.loss.toFixed(3)} after ${first.step} steps, ` : ''}**${report.final.loss.toFixed(3)}** at the end
  (masked-token accuracy ${(100 * report.final.accuracy).toFixed(1)} %).
- Made by \`node --import tsx examples/generate/main.ts pretrain\` (after \`node --import tsx
  examples/generate/main.ts\`, which writes the classification data the corpus avoids). Rerunning
  it with the same engine version on the same backend reproduces these files; do not edit them by hand.
`;
}
