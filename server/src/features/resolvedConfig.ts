import type { Analysis } from '../analysis/analysis';
import type { Override } from '../analysis/overrides';
import { resolveExperiment, type ResolveResult } from '../analysis/resolve';
import { resolveSweepCell } from '../analysis/sweepCells';

export interface ResolveTarget {
  /** An experiment, or a sweep (then `index` picks the cell; 0-based, first key varying slowest). */
  name: string;
  index?: number;
  overrides?: readonly Override[];
}

/** Resolves an experiment or one sweep cell by name, with a did-you-mean when the name is unknown. */
export function resolveTarget(analysis: Analysis, target: ResolveTarget): ResolveResult {
  const { name, index, overrides } = target;
  if (analysis.sweeps.has(name)) {
    if (index === undefined) {
      return { errors: [{ code: 'missing-index', message: `'${name}' is a sweep: give the index of one cell (0-based)` }] };
    }
    return resolveSweepCell(analysis, name, index, { overrides });
  }
  if (analysis.experiments.has(name)) {
    if (index !== undefined) {
      return { errors: [{ code: 'unexpected-index', message: `'${name}' is an experiment, not a sweep: it has no cells to index` }] };
    }
  }
  // An experiment, or an unknown name (resolveExperiment answers with the did-you-mean).
  return resolveExperiment(analysis, name, { overrides });
}
