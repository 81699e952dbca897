// Where the encoder's weights come from. The checkpoint module is the real source
// (checkpointWeights.ts); tests pass small in-memory sources.

import type { EncoderConfig } from './encoderConfig';

export interface WeightArray {
  shape: number[];
  values: Float32Array;
}

export interface WeightSource {
  /** What the weights describe; also where error messages point (a folder or file path). */
  readonly location: string;
  readonly config: EncoderConfig;
  /** Whether a canonical name (family prefix stripped) is present. */
  has(name: string): boolean;
  /** Reads one tensor as float32; throws naming the file and tensor when it is absent or unreadable. */
  read(name: string): WeightArray;
}

/** An in-memory source, for tests and for weights a trainer built itself. */
export function weightSourceFromMap(location: string, config: EncoderConfig, weights: ReadonlyMap<string, WeightArray>): WeightSource {
  return {
    location,
    config,
    has: (name) => weights.has(name),
    read: (name) => {
      const found = weights.get(name);
      if (!found) throw new Error(`${location}: no tensor named '${name}'`);
      return found;
    },
  };
}
