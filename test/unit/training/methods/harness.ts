// A method installed on a tiny in-memory BERT with a fixed batch, for gradient and equivalence
// tests that need no files: losses, gradients and logits on demand.

import * as tf from '@tensorflow/tfjs-core';
import type { MethodConfig, MethodKind } from '../../../../schemas/src/experimentConfig';
import { buildEncoder } from '../../../../server/src/training/model/buildEncoder';
import { createClassifierHead } from '../../../../server/src/training/model/classifierHead';
import type { EncoderConfig } from '../../../../server/src/training/model/encoderConfig';
import { createMethod } from '../../../../server/src/training/methods/createMethod';
import type { TaskModel } from '../../../../server/src/training/methods/taskModel';
import type { TrainingMethod } from '../../../../server/src/training/methods/trainingMethod';
import type { EncodedExample } from '../../../../server/src/training/loop/taskData';
import { TaskForward, taskLoss } from '../../../../server/src/training/loop/taskForward';
import { tinyConfig, tinySource } from '../tinyEncoder';
import { defaultMethod, tinyRunConfig } from '../loop/tinyRun';

export const EXAMPLES: EncodedExample[] = [
  { ids: [2, 5, 6, 7, 8, 5, 9, 3], tokenTypeIds: [0, 0, 0, 0, 0, 0, 0, 0], label: 1 },
  { ids: [2, 11, 12, 3, 16, 17, 3], tokenTypeIds: [0, 0, 0, 0, 1, 1, 1], label: 0 },
  { ids: [2, 18, 19, 14, 3], tokenTypeIds: [0, 0, 0, 0, 0], label: 1 },
  { ids: [2, 10, 6, 13, 15, 7, 3], tokenTypeIds: [0, 0, 0, 0, 0, 0, 0], label: 0 },
];

export interface Harness {
  model: TaskModel;
  method: TrainingMethod;
  forward: TaskForward;
  warnings: string[];
  /** Task loss on EXAMPLES without dropout. */
  loss(): number;
  /** Gradients of that loss for every variable the method trains, by variable name. */
  gradients(): Record<string, Float32Array>;
  logits(examples?: EncodedExample[]): number[][];
  dispose(): void;
}

export function buildModel(encoder: Partial<EncoderConfig> = {}, weightSeed = 3, numLabels = 2): TaskModel {
  const config = tinyConfig('bert', { hiddenDropout: 0, attentionDropout: 0, ...encoder });
  return {
    encoder: buildEncoder(tinySource(config, { seed: weightSeed })),
    head: createClassifierHead(config, numLabels, 99),
    headOrigin: { kind: 'seed', seed: 99 },
    numLabels,
  };
}

export function methodHarness(kind: MethodKind, overrides: Partial<MethodConfig> = {}, encoder: Partial<EncoderConfig> = {}, seed = 7): Harness {
  const model = buildModel(encoder);
  const config = tinyRunConfig({ modelDir: '/unused', dataDir: '/unused' }, { ...defaultMethod(kind), ...overrides } as MethodConfig, { seed });
  const warnings: string[] = [];
  const method = createMethod({ config, model, seed, stepsPerEpoch: 10, totalSteps: 20, warn: (w) => warnings.push(w) });
  const forward = new TaskForward(model, 0);
  const labels = EXAMPLES.map((e) => e.label);
  const lossTensor = () => taskLoss(forward.logits(EXAMPLES, { training: false }), labels, false);
  return {
    model,
    method,
    forward,
    warnings,
    loss: () => tf.tidy(() => lossTensor().dataSync()[0]),
    gradients: () => {
      const variables = method.paramGroups().flatMap((g) => g.variables);
      const { value, grads } = tf.variableGrads(() => tf.tidy(lossTensor), variables);
      const out: Record<string, Float32Array> = {};
      for (const [name, grad] of Object.entries(grads)) out[name] = new Float32Array(grad.dataSync());
      value.dispose();
      tf.dispose(grads);
      return out;
    },
    logits: (examples = EXAMPLES) => tf.tidy(() => forward.logits(examples, { training: false }).arraySync()),
    dispose: () => {
      method.dispose();
      model.encoder.dispose();
      model.head.dispose();
    },
  };
}

/** A direction with entries ±1 (seeded), so every entry's gradient counts. */
export function signDirection(size: number, seed: number): Float32Array {
  let state = seed >>> 0;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state & 0x10000 ? 1 : -1;
  }
  return out;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/** Central difference of the loss along `direction` added to `variable`. */
export function variableDerivative(harness: Harness, variable: tf.Variable, direction: Float32Array, h: number): number {
  const original = tf.clone(variable);
  const at = (step: number) => {
    tf.tidy(() => variable.assign(tf.add(original, tf.mul(tf.tensor(direction, variable.shape), step))));
    return harness.loss();
  };
  const derivative = (at(h) - at(-h)) / (2 * h);
  variable.assign(original);
  original.dispose();
  return derivative;
}

export function assertClose(analytic: number, numeric: number, what: string): void {
  const tolerance = 0.02 * Math.abs(analytic) + 3e-5;
  if (Math.abs(analytic - numeric) > tolerance) {
    throw new Error(`${what}: analytic ${analytic} vs finite difference ${numeric} (tolerance ${tolerance})`);
  }
}
