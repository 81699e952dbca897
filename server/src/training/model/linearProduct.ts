// x · W for a linear layer, with a gradient the wasm backend computes fast.
//
// tfjs derives the gradients of x · W as dY · Wᵀ and Xᵀ · dY, passing the transposes as flags of
// BatchMatMul. The wasm backend hands a product to XNNPACK only when no operand is transposed;
// otherwise it runs a scalar loop ~10× slower (engine.md; measured here: a [450, 64]ᵀ·[450, 128]
// weight gradient takes 8.3 ms with the flag, 0.64 ms as transpose + plain product). So on wasm
// the gradient transposes explicitly and multiplies without flags. Other backends transpose
// natively in their kernels and keep tfjs's own gradient; so does wasm with Masklab's native
// kernels, whose sgemm takes the flags (an explicit transpose would only add a copy).

import * as tf from '@tensorflow/tfjs-core';
import { usingNativeKernels } from '../backend/nativeKernels';

const explicitTransposes = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const x = inputs[0] as tf.Tensor2D;
  const w = inputs[1] as tf.Tensor2D;
  const save = inputs[2] as tf.GradSaveFunc;
  save([x, w]);
  return {
    value: tf.matMul(x, w),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [input, weight] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(weight)), tf.matMul(tf.transpose(input), dy as tf.Tensor2D)];
    },
  };
});

/** x [rows, in] · w [in, out]. */
export function linearProduct(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  if (tf.getBackend() !== 'wasm' || usingNativeKernels()) return tf.matMul(x, w);
  return explicitTransposes(x, w) as tf.Tensor2D;
}
