// Public face of masked-language-modelling pretraining: a trainable BERT with its masked-LM head,
// BERT's token corruption, the loop, and its log lines. examples/generate uses it to make the
// repository's small pretrained model.
export { MaskedLmModel, type PretrainedParameter } from './maskedLmModel';
export { MaskedLmHead, MASKED_LM_HEAD_NAMES, gatherPositions, maskedLmLoss, tiedDecoderProduct } from './maskedLmHead';
export { maskSequence, checkMaskingSpec, BERT_MASKING, type MaskingSpec, type MaskedSequence, type Corruption } from './maskTokens';
export { lengthBucketedBatches, BATCHES_PER_POOL } from './lengthBuckets';
export {
  pretrainMaskedLm,
  evaluateHeldOut,
  fixedCorruption,
  type PretrainCorpus,
  type PretrainOptions,
  type PretrainProgress,
  type PretrainResult,
  type HeldOutEvaluation,
} from './pretrainLoop';
export { progressLine, evaluationLine, formatDuration } from './pretrainProgress';
