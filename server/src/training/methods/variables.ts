// tfjs registers every variable under a name that must be unique in the process; several runs
// (tests, `masklab eval` after `train`) may live in one process, so names get a run-unique prefix.

import * as tf from '@tensorflow/tfjs-core';

let created = 0;

/** A trainable variable holding `initial` (taken over: do not dispose it separately). */
export function trainableVariable(initial: tf.Tensor, label: string): tf.Variable {
  created += 1;
  const variable = tf.variable(initial, true, `masklab${created}/${label}`);
  initial.dispose();
  return variable;
}

/** The values of a tensor as a fresh Float32Array (the cpu backend would otherwise hand out its own buffer). */
export function readFloats(tensor: tf.Tensor): Float32Array {
  return new Float32Array(tensor.dataSync() as Float32Array);
}

/** Sets a variable's values from a typed array (shape unchanged). */
export function assignValues(variable: tf.Variable, data: Float32Array): void {
  tf.tidy(() => variable.assign(tf.tensor(data, variable.shape, 'float32')));
}
