// BERT's masked-language-modelling corruption (Devlin et al., 2019): each ordinary token is
// chosen with probability 15 %; a chosen token becomes [MASK] 80 % of the time, a random token
// 10 %, and stays itself 10 %, and the model must predict the original at every chosen position.
// Special tokens ([CLS], [SEP], [PAD]) are never chosen. A sequence in which the draw chose
// nothing gets one position anyway, so every sequence of a batch teaches something (short
// sentences would otherwise often contribute nothing).
//
// Pure and tfjs-free: the same ids and random stream give the same corruption everywhere, which
// makes runs deterministic by seed and lets the held-out set use one fixed corruption.

import type { Random } from '../random';

export interface MaskingSpec {
  /** Id of [MASK]. */
  maskId: number;
  /** Entries of the vocabulary (random replacements are drawn from it, specials excluded). */
  vocabSize: number;
  /** Ids that are never chosen nor drawn as replacements ([PAD], [UNK], [CLS], [SEP], [MASK]). */
  specialIds: ReadonlySet<number>;
  /** Chance that an ordinary token is chosen (BERT: 0.15). */
  probability: number;
  /** Of the chosen: share replaced by [MASK] (0.8) and by a random token (0.1); the rest is kept. */
  maskShare: number;
  randomShare: number;
}

export const BERT_MASKING: Pick<MaskingSpec, 'probability' | 'maskShare' | 'randomShare'> = {
  probability: 0.15,
  maskShare: 0.8,
  randomShare: 0.1,
};

/** What a chosen position was turned into (for statistics and tests). */
export type Corruption = 'mask' | 'random' | 'kept';

export interface MaskedSequence {
  /** The corrupted input ids (same length as the original). */
  inputIds: number[];
  /** Positions the loss is taken at, ascending. */
  positions: number[];
  /** The original id at each of `positions`. */
  labels: number[];
  /** How each position was corrupted, parallel to `positions`. */
  corruptions: Corruption[];
}

export function checkMaskingSpec(spec: MaskingSpec): void {
  const { probability, maskShare, randomShare, vocabSize, specialIds, maskId } = spec;
  if (!(probability > 0 && probability <= 1)) throw new RangeError(`masking probability must be in (0, 1], got ${probability}`);
  if (!(maskShare >= 0 && randomShare >= 0 && maskShare + randomShare <= 1)) {
    throw new RangeError(`mask share ${maskShare} and random share ${randomShare} must be non-negative and sum to at most 1`);
  }
  if (!specialIds.has(maskId)) throw new RangeError(`the [MASK] id ${maskId} must be among the special ids`);
  if (vocabSize - specialIds.size < 1) throw new RangeError(`a vocabulary of ${vocabSize} entries has no ordinary token to draw random replacements from`);
}

/** A uniformly drawn ordinary (non-special) id. */
function randomOrdinaryId(spec: MaskingSpec, random: Random): number {
  for (;;) {
    const id = Math.floor(random() * spec.vocabSize);
    if (!spec.specialIds.has(id)) return id;
  }
}

/** Corrupts one sequence (special tokens included, unpadded). */
export function maskSequence(ids: readonly number[], spec: MaskingSpec, random: Random): MaskedSequence {
  const candidates: number[] = [];
  for (let i = 0; i < ids.length; i++) if (!spec.specialIds.has(ids[i])) candidates.push(i);
  const chosen = candidates.filter(() => random() < spec.probability);
  if (chosen.length === 0 && candidates.length > 0) chosen.push(candidates[Math.floor(random() * candidates.length)]);
  const inputIds = ids.slice();
  const corruptions: Corruption[] = [];
  for (const position of chosen) {
    const draw = random();
    if (draw < spec.maskShare) {
      inputIds[position] = spec.maskId;
      corruptions.push('mask');
    } else if (draw < spec.maskShare + spec.randomShare) {
      inputIds[position] = randomOrdinaryId(spec, random);
      corruptions.push('random');
    } else {
      corruptions.push('kept');
    }
  }
  return { inputIds, positions: chosen, labels: chosen.map((p) => ids[p]), corruptions };
}
