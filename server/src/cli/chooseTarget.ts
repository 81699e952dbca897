import type { Analysis } from '../analysis/analysis';
import { UsageError } from './command';

export interface Target {
  name: string;
  index?: number;
}

/**
 * Which experiment (or sweep cell) a command acts on: `--experiment NAME`, else the file's only
 * experiment (or only sweep when an index is given). Several candidates and no name is a mistake
 * the user fixes by naming one, so the message lists them.
 */
export function chooseTarget(analysis: Analysis, experiment: string | undefined, indexText: string | undefined): Target {
  const index = indexText === undefined ? undefined : parseIndex(indexText);
  if (experiment !== undefined) return { name: experiment, index };
  const experiments = [...analysis.experiments.keys()];
  const sweeps = [...analysis.sweeps.keys()];
  if (index !== undefined && sweeps.length === 1) return { name: sweeps[0], index };
  if (index === undefined && experiments.length === 1) return { name: experiments[0] };
  const names = [...experiments.map((n) => `${n} (experiment)`), ...sweeps.map((n) => `${n} (sweep)`)];
  if (names.length === 0) throw new UsageError('the file declares no experiment');
  throw new UsageError(`the file declares ${names.length} experiments and sweeps; choose one with --experiment NAME: ${names.join(', ')}`);
}

export function parseIndex(text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`--index takes a whole number from 0 (got '${text}')`);
  return Number(text);
}
