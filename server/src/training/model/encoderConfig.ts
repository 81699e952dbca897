// The shape of a BERT-family encoder, as the tfjs model needs it. Built from the checkpoint
// module's reading of config.json (see weightSource.ts); tests build it by hand.

export type EncoderFamily = 'bert' | 'roberta';

/**
 * FFN activations: `gelu` is the exact erf form (BERT, RoBERTa); `gelu_new` / `gelu_pytorch_tanh`
 * the tanh approximation; `relu` as is.
 */
export const SUPPORTED_ACTIVATIONS = ['gelu', 'gelu_new', 'gelu_pytorch_tanh', 'relu'] as const;
export type HiddenActivation = (typeof SUPPORTED_ACTIVATIONS)[number];

export interface EncoderConfig {
  family: EncoderFamily;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  vocabSize: number;
  maxPositions: number;
  /** 2 for BERT, 1 for RoBERTa (which has no segment embeddings to speak of). */
  typeVocabSize: number;
  layerNormEps: number;
  /** Defaults to 'gelu' (erf) when absent. */
  hiddenAct?: HiddenActivation;
  padTokenId: number;
  hiddenDropout: number;
  attentionDropout: number;
  /** Standard deviation for freshly initialised heads (config.json `initializer_range`). */
  initializerRange: number;
}

/**
 * First position id of a sequence. RoBERTa numbers positions from padding_idx + 1 and gives
 * pads the id padding_idx, so the table has padding_idx + 1 unused leading rows.
 */
export function firstPositionId(config: EncoderConfig): number {
  return config.family === 'roberta' ? config.padTokenId + 1 : 0;
}

/** Longest sequence (special tokens included) the position table can embed. */
export function maxSequenceLength(config: EncoderConfig): number {
  return config.maxPositions - firstPositionId(config);
}

export function headSize(config: EncoderConfig): number {
  return config.hiddenSize / config.numHeads;
}

/** Shape checks that would otherwise surface as an obscure tfjs reshape error mid-forward. */
export function checkEncoderConfig(config: EncoderConfig): string[] {
  const problems: string[] = [];
  const positive: (keyof EncoderConfig)[] = ['hiddenSize', 'numLayers', 'numHeads', 'intermediateSize', 'vocabSize', 'maxPositions', 'typeVocabSize'];
  for (const key of positive) {
    const value = config[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) problems.push(`${key} must be a positive integer, got ${String(value)}`);
  }
  if (Number.isInteger(config.hiddenSize) && Number.isInteger(config.numHeads) && config.numHeads > 0 && config.hiddenSize % config.numHeads !== 0) {
    problems.push(`hidden size ${config.hiddenSize} is not divisible by the ${config.numHeads} attention heads`);
  }
  if (maxSequenceLength(config) <= 0) problems.push(`max positions ${config.maxPositions} leaves no room after the RoBERTa padding offset ${firstPositionId(config)}`);
  return problems;
}
