// The per-task artifact of a run, `artifact.masklab-task`: written when training ends, read by
// `masklab export` and `masklab eval`. The header carries the resolved config, so the file and the
// shared base checkpoint are all it takes to rebuild the task's model.

import * as fs from 'node:fs';
import type { ExperimentConfig } from '../../../schemas/src/experimentConfig';
import { decodeTaskArtifact, encodeTaskArtifact, readArtifactHeader, type ArtifactHeader } from '../training/artifact/taskArtifact';
import { writeFileAtomic } from './atomicFile';
import type { RunFolder } from './runFolder';
import { MASKLAB_VERSION } from './version';
import { describeWriteError, RunStoreError } from './writeError';

export interface ArtifactSizes {
  /** Bytes with masks bit-packed (1 bit per parameter). */
  packed: number;
  /** Bytes as written, masks entropy-coded. */
  entropy_coded: number;
}

export function artifactInfo(runId: string, config: ExperimentConfig, modelParameters: number): Record<string, unknown> {
  return {
    masklab: MASKLAB_VERSION,
    run_id: runId,
    name: config.name,
    experiment: config.experiment,
    method: config.method.kind,
    model: { ref: config.model.ref, parameters: modelParameters },
    config,
  };
}

/** Encodes and writes the artifact atomically; returns its sizes packed and entropy-coded. */
export function writeRunArtifact(folder: RunFolder, info: Record<string, unknown>, parts: unknown): ArtifactSizes {
  const coded = encodeTaskArtifact(parts, info);
  const packed = encodeTaskArtifact(parts, info, { entropyCoding: false });
  const file = folder.file('artifact');
  try {
    writeFileAtomic(file, coded);
  } catch (error) {
    throw describeWriteError(error, file);
  }
  return { packed: packed.length, entropy_coded: coded.length };
}

export function readRunArtifactFile(file: string): { header: ArtifactHeader & { dataStart: number }; bytes: Uint8Array } {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new RunStoreError(
      code === 'ENOENT'
        ? `${file} does not exist: the run has not finished (resume it with masklab train --resume RUN), or it predates artifacts`
        : `cannot read ${file}: ${(error as Error).message}`,
    );
  }
  return { header: readArtifactHeader(bytes, file), bytes };
}

/** The artifact's parts and the config it was trained with. */
export function loadRunArtifact(file: string): { parts: unknown; config: ExperimentConfig; info: Record<string, unknown> } {
  const { bytes } = readRunArtifactFile(file);
  const decoded = decodeTaskArtifact(bytes, file);
  const config = decoded.info.config as ExperimentConfig | undefined;
  if (!config) throw new RunStoreError(`${file} carries no resolved config; export it again with this version of Masklab`);
  return { parts: decoded.parts, config, info: decoded.info };
}
