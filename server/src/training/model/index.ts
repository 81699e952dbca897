// Public face of the tfjs encoder: load a checkpoint, pad batches, run forwards, and reach every
// linear layer a training method wraps.
export { loadEncoder, type LoadEncoderOptions } from './loadEncoder';
export { buildEncoder, encoderParameterNames, WeightShapeError } from './buildEncoder';
export { checkpointWeightSource, encoderConfigFrom, UnsupportedModelError } from './checkpointWeights';
export { Encoder, firstToken, type EncoderOutput, type ForwardOptions } from './encoder';
export { EncoderBlock, type FeedForwardWeights } from './encoderBlock';
export { Embeddings, type EmbeddingTables } from './embeddings';
export { SelfAttention, attentionMaskBias, MASKED_SCORE } from './selfAttention';
export { LayerNorm } from './layerNorm';
export { Linear, type LinearRole, type LinearSpec, type WeightTransform } from './linear';
export { ClassifierHead, createClassifierHead, loadClassifierHead, type HeadForwardOptions } from './classifierHead';
export { padBatch, disposeBatch, type EncoderBatch, type EncodedSequence } from './batch';
export { gelu, geluTanh, dropout } from './activations';
export {
  firstPositionId,
  maxSequenceLength,
  headSize,
  checkEncoderConfig,
  SUPPORTED_ACTIVATIONS,
  type EncoderConfig,
  type EncoderFamily,
  type HiddenActivation,
} from './encoderConfig';
export { weightSourceFromMap, type WeightSource, type WeightArray } from './weightSource';
export { BLOCK_LINEAR_SUFFIXES, blockLinearStem, EMBEDDING_NAMES, POOLER_STEM, CLASSIFIER_NAMES } from './parameterNames';
