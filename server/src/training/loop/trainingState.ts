// What a checkpoint holds, so a run continues exactly where it stopped: the method's trainable
// tensors, the optimiser's moments and update count, the step, the kept (best) artifact and the
// metrics so far. Randomness needs no saved state: every draw is derived from (seed, purpose,
// step), see methods/seeds.ts, and the data order from (seed, epoch).
//
// The store persists `tensors` as float32 arrays; the kept artifact is folded into them (masks
// packed 16 bits per float, exactly representable; indices as two 16-bit halves).

import type { MethodState } from '../methods/trainingMethod';
import type { SavedTensor } from '../optim/adamW';
import { TASK_ARTIFACT_VERSION, type ArtifactHead, type TaskArtifactParts } from '../methods/taskArtifact';

export const TRAINING_STATE_VERSION = 1;

export interface TrainingState {
  /** Optimiser steps done. */
  step: number;
  /** Epochs done, fractional (step / steps per epoch). */
  epoch: number;
  tensors: Record<string, { shape: number[]; data: Float32Array }>;
  meta: Record<string, unknown>;
}

/** Splits a state's tensors by key prefix (`method/`, `optim/`, `kept/`). */
export function tensorsUnder(tensors: Record<string, SavedTensor>, prefix: string): Record<string, SavedTensor> {
  const out: Record<string, SavedTensor> = {};
  for (const [key, value] of Object.entries(tensors)) if (key.startsWith(prefix)) out[key.slice(prefix.length)] = value;
  return out;
}

export function prefixed(tensors: Record<string, SavedTensor>, prefix: string): Record<string, SavedTensor> {
  const out: Record<string, SavedTensor> = {};
  for (const [key, value] of Object.entries(tensors)) out[prefix + key] = value;
  return out;
}

export function methodStateFrom(state: TrainingState): MethodState {
  const meta = state.meta.method;
  return { tensors: tensorsUnder(state.tensors, 'method/'), meta: meta && typeof meta === 'object' ? (meta as Record<string, unknown>) : {} };
}

interface ArtifactLayout {
  version: number;
  method: TaskArtifactParts['method'];
  numLabels: number;
  head: ArtifactHead;
  masks: Array<{ name: string; shape: [number, number]; role: 'mask' | 'prune' }>;
  tensors: Array<{ name: string; shape: number[] }>;
  deltas: Array<{ name: string; shape: [number, number]; rank: number; scale: number; count: number }>;
  prunedHeads: TaskArtifactParts['prunedHeads'];
}

/** An artifact as float32 tensors (under `prefix`) plus a JSON layout for the meta. */
export function artifactToTensors(parts: TaskArtifactParts, prefix: string): { tensors: Record<string, SavedTensor>; layout: ArtifactLayout } {
  const tensors: Record<string, SavedTensor> = {};
  parts.masks.forEach((mask, i) => {
    const data = packBits(mask.bits);
    tensors[`${prefix}mask/${i}`] = { shape: [data.length], data };
  });
  parts.tensors.forEach((tensor, i) => (tensors[`${prefix}tensor/${i}`] = { shape: [...tensor.shape], data: tensor.values }));
  parts.deltas.forEach((delta, i) => {
    tensors[`${prefix}delta/${i}/a`] = { shape: [delta.rank, delta.shape[1]], data: delta.a };
    tensors[`${prefix}delta/${i}/b`] = { shape: [delta.shape[0], delta.rank], data: delta.b };
    tensors[`${prefix}delta/${i}/values`] = { shape: [delta.values.length], data: delta.values };
    const halves = new Float32Array(delta.indices.length * 2);
    delta.indices.forEach((index, j) => {
      halves[2 * j] = index >>> 16;
      halves[2 * j + 1] = index & 0xffff;
    });
    tensors[`${prefix}delta/${i}/indices`] = { shape: [halves.length], data: halves };
  });
  const layout: ArtifactLayout = {
    version: parts.version,
    method: parts.method,
    numLabels: parts.numLabels,
    head: parts.head,
    masks: parts.masks.map((m) => ({ name: m.name, shape: m.shape, role: m.role })),
    tensors: parts.tensors.map((t) => ({ name: t.name, shape: t.shape })),
    deltas: parts.deltas.map((d) => ({ name: d.name, shape: d.shape, rank: d.rank, scale: d.scale, count: d.indices.length })),
    prunedHeads: parts.prunedHeads,
  };
  return { tensors, layout };
}

export function artifactFromTensors(tensors: Record<string, SavedTensor>, layoutValue: unknown, prefix: string): TaskArtifactParts {
  const layout = layoutValue as ArtifactLayout;
  if (!layout || layout.version !== TASK_ARTIFACT_VERSION) throw new Error('the checkpoint holds no kept artifact of a known version');
  const take = (key: string): Float32Array => {
    const found = tensors[prefix + key];
    if (!found) throw new Error(`the checkpoint's kept artifact lacks '${key}'`);
    return found.data;
  };
  return {
    version: TASK_ARTIFACT_VERSION,
    method: layout.method,
    numLabels: layout.numLabels,
    head: layout.head,
    masks: layout.masks.map((m, i) => ({ ...m, bits: unpackBits(take(`mask/${i}`), m.shape[0] * m.shape[1]) })),
    tensors: layout.tensors.map((t, i) => ({ ...t, values: take(`tensor/${i}`) })),
    deltas: layout.deltas.map((d, i) => {
      const halves = take(`delta/${i}/indices`);
      const indices = new Uint32Array(d.count);
      for (let j = 0; j < d.count; j++) indices[j] = halves[2 * j] * 65536 + halves[2 * j + 1];
      return { name: d.name, shape: d.shape, rank: d.rank, scale: d.scale, a: take(`delta/${i}/a`), b: take(`delta/${i}/b`), indices, values: take(`delta/${i}/values`) };
    }),
    prunedHeads: layout.prunedHeads,
  };
}

/** 0/1 bytes → floats holding 16 bits each (integers below 2¹⁶ are exact in float32). */
export function packBits(bits: Uint8Array): Float32Array {
  const out = new Float32Array(Math.ceil(bits.length / 16));
  for (let i = 0; i < bits.length; i++) if (bits[i]) out[i >>> 4] += 1 << (i & 15);
  return out;
}

export function unpackBits(packed: Float32Array, count: number): Uint8Array {
  const bits = new Uint8Array(count);
  for (let i = 0; i < count; i++) bits[i] = (packed[i >>> 4] >>> (i & 15)) & 1;
  return bits;
}
