// Run ids: sortable by start time, unique through a random suffix, and telling sweep cells apart,
// e.g. `20251123-101502-k3x9` or `20251123-101502-k3x9-cell4`.

import * as crypto from 'node:crypto';
import type { ExperimentConfig } from '../../../schemas/src/experimentConfig';

const SUFFIX_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789'; // no 0/o, 1/l: ids get read aloud and typed

/** A new run id: UTC start time to the second, a 4-character random suffix, `-cellN` for sweep cells. */
export function newRunId(options: { now?: Date; cell?: number; randomBytes?: (n: number) => Uint8Array } = {}): string {
  const now = options.now ?? new Date();
  const bytes = (options.randomBytes ?? crypto.randomBytes)(4);
  const suffix = Array.from(bytes, (b) => SUFFIX_ALPHABET[b % SUFFIX_ALPHABET.length]).join('');
  const two = (n: number) => String(n).padStart(2, '0');
  const stamp =
    `${now.getUTCFullYear()}${two(now.getUTCMonth() + 1)}${two(now.getUTCDate())}-` +
    `${two(now.getUTCHours())}${two(now.getUTCMinutes())}${two(now.getUTCSeconds())}`;
  return `${stamp}-${suffix}${options.cell === undefined ? '' : `-cell${options.cell}`}`;
}

/** The run store's folder for a config's runs: the sweep's name for a sweep cell, else the experiment's. */
export function runGroupOf(config: Pick<ExperimentConfig, 'experiment' | 'sweep'>): string {
  return safeFolderName(config.sweep?.name ?? config.experiment);
}

/** Experiment names are identifiers, but a folder name must never escape the run store. */
export function safeFolderName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return cleaned === '' ? '_' : cleaned;
}

/** True for strings shaped like a run id (used to tell `masklab eval RUN` ids from paths). */
export function looksLikeRunId(text: string): boolean {
  return /^\d{8}-\d{6}-[a-z0-9]{4}(-cell\d+)?$/.test(text);
}
