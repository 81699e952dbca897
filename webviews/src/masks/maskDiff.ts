// The change between two mask snapshots (two steps of a run, or two runs): per matrix the change
// in kept fraction and, where both images have the same size, the change per image cell. Matrices
// are matched by parameter name. Pure.

import type { MaskMatrixSnapshot } from '../../../schemas/src/trainerMessages';
import { decodeBase64 } from './base64';

export interface MatrixDiff extends Pick<MaskMatrixSnapshot, 'name' | 'block' | 'matrix' | 'shape'> {
  kept: number;
  baseKept: number;
  /** kept − baseKept: positive where the newer (or other) mask keeps more. */
  delta: number;
  /** Per image cell, in [−1, 1]; absent when the two images differ in size or do not decode. */
  image?: { width: number; height: number; delta: Float32Array };
}

export interface SnapshotDiff {
  matrices: MatrixDiff[];
  /** Names present on one side only (a different selection of matrices). */
  onlyCurrent: string[];
  onlyBase: string[];
}

export function diffSnapshots(current: readonly MaskMatrixSnapshot[], base: readonly MaskMatrixSnapshot[]): SnapshotDiff {
  const baseByName = new Map(base.map((m) => [m.name, m]));
  const currentNames = new Set(current.map((m) => m.name));
  const matrices: MatrixDiff[] = [];
  const onlyCurrent: string[] = [];
  for (const m of current) {
    const b = baseByName.get(m.name);
    if (!b) {
      onlyCurrent.push(m.name);
      continue;
    }
    const diff: MatrixDiff = { name: m.name, block: m.block, matrix: m.matrix, shape: m.shape, kept: m.kept, baseKept: b.kept, delta: m.kept - b.kept };
    const image = imageDelta(m.image, b.image);
    if (image) diff.image = image;
    matrices.push(diff);
  }
  return { matrices, onlyCurrent, onlyBase: base.filter((m) => !currentNames.has(m.name)).map((m) => m.name) };
}

function imageDelta(a: MaskMatrixSnapshot['image'], b: MaskMatrixSnapshot['image']): MatrixDiff['image'] {
  if (a.width !== b.width || a.height !== b.height) return undefined;
  const x = decodeImage(a);
  const y = decodeImage(b);
  if (!x || !y) return undefined;
  const delta = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) delta[i] = (x[i] - y[i]) / 255;
  return { width: a.width, height: a.height, delta };
}

/** The image's bytes when they are exactly width × height, else undefined (a malformed snapshot). */
export function decodeImage(image: MaskMatrixSnapshot['image']): Uint8Array | undefined {
  const bytes = decodeBase64(image.data);
  return bytes && bytes.length === image.width * image.height ? bytes : undefined;
}
