// Names of the kernels of Masklab's own fused ops (registered for the wasm backend while the
// native kernels are installed; nativeOps.ts runs them through tf.engine().runKernel).

export const MASKLAB_GELU = 'MasklabGelu';
export const MASKLAB_GELU_GRAD = 'MasklabGeluGrad';
export const MASKLAB_LAYER_NORM = 'MasklabLayerNorm';
export const MASKLAB_LAYER_NORM_GRAD = 'MasklabLayerNormGrad';
export const MASKLAB_SOFTMAX_GRAD = 'MasklabSoftmaxGrad';
export const MASKLAB_BIAS_ADD = 'MasklabBiasAdd';
export const MASKLAB_COLUMN_SUM = 'MasklabColumnSum';
export const MASKLAB_SUM_SQUARES = 'MasklabSumSquares';
export const MASKLAB_ADAM_W = 'MasklabAdamW';
export const MASKLAB_THRESHOLD = 'MasklabThreshold';
export const MASKLAB_DROPOUT = 'MasklabDropout';
