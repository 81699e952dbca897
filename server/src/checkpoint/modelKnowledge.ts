// What the analyser knows about the model an experiment file names. The analyser depends on the
// ModelKnowledge interface only, so its tests can stub it; FileSystemModelKnowledge is the real
// one: it reads config.json and the safetensors headers (never tensor data), caches the answer per
// folder, and notices edits on disk because the cache key is the stat of every file it read.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { openCheckpoint, type Checkpoint } from './checkpoint';
import { CheckpointError } from './checkpointError';
import type { ModelConfig, ModelFamily } from './modelConfig';
import type { ParameterInfo } from './parameterNames';
import { SHARD_INDEX_FILE, SINGLE_WEIGHTS_FILE, readShardIndex } from './weightFiles';

export interface ModelDescription {
  /** Absolute path of the model folder. */
  dir: string;
  config: ModelConfig;
  family: ModelFamily;
  /** 'bert.', 'roberta.' or ''. */
  prefix: string;
  parameters: ParameterInfo[];
  totalParameters: number;
  weightFiles: string[];
}

export interface ModelProblem {
  /** One clear sentence naming the file and what is wrong. */
  problem: string;
  file?: string;
}

export interface ModelKnowledge {
  describe(modelDir: string): ModelDescription | ModelProblem;
}

export function isModelProblem(answer: ModelDescription | ModelProblem): answer is ModelProblem {
  return 'problem' in answer;
}

/** Files whose change alters what describe() says, existing or not yet (so creating one is noticed). */
export function watchedFiles(modelDir: string): string[] {
  const dir = path.resolve(modelDir);
  const files = [
    'config.json',
    'tokenizer_config.json',
    SINGLE_WEIGHTS_FILE,
    SHARD_INDEX_FILE,
    // Watched so that converting a .bin checkpoint (which describe() refuses) is noticed.
    'pytorch_model.bin',
  ].map((name) => path.join(dir, name));
  try {
    if (!fs.existsSync(path.join(dir, SINGLE_WEIGHTS_FILE))) {
      files.push(...readShardIndex(path.join(dir, SHARD_INDEX_FILE)).shards);
    }
  } catch {
    // No index, or a broken one: describe() reports that; there are no shards to watch yet.
  }
  return files;
}

export interface FileSystemModelKnowledgeOptions {
  /** Folders remembered at once; the least recently asked about is forgotten first. */
  maxEntries?: number;
  /** Replaces openCheckpoint, for tests that count how often the disk is read. */
  open?: (dir: string) => Checkpoint;
}

interface CacheEntry {
  key: string;
  answer: ModelDescription | ModelProblem;
}

export class FileSystemModelKnowledge implements ModelKnowledge {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly maxEntries: number;
  private readonly open: (dir: string) => Checkpoint;

  constructor(options: FileSystemModelKnowledgeOptions = {}) {
    this.maxEntries = options.maxEntries ?? 32;
    this.open = options.open ?? openCheckpoint;
  }

  /** Never throws: every failure, expected or not, becomes a ModelProblem. */
  describe(modelDir: string): ModelDescription | ModelProblem {
    const dir = path.resolve(modelDir);
    let key: string;
    try {
      key = fingerprint(dir);
    } catch (error) {
      return unexpected(dir, error);
    }
    const cached = this.cache.get(dir);
    if (cached && cached.key === key) {
      this.cache.delete(dir);
      this.cache.set(dir, cached);
      return cached.answer;
    }
    const answer = this.read(dir);
    this.cache.delete(dir);
    this.cache.set(dir, { key, answer });
    while (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
    return answer;
  }

  watchedFiles(modelDir: string): string[] {
    return watchedFiles(modelDir);
  }

  /** Drops the cached answer for one folder, or for all. */
  forget(modelDir?: string): void {
    if (modelDir === undefined) this.cache.clear();
    else this.cache.delete(path.resolve(modelDir));
  }

  private read(dir: string): ModelDescription | ModelProblem {
    try {
      const checkpoint = this.open(dir);
      return {
        dir: checkpoint.dir,
        config: checkpoint.config,
        family: checkpoint.family,
        prefix: checkpoint.prefix,
        parameters: checkpoint.parameters,
        totalParameters: checkpoint.totalParameters,
        weightFiles: checkpoint.weightFiles,
      };
    } catch (error) {
      if (error instanceof CheckpointError) return { problem: error.message, file: error.file };
      return unexpected(dir, error);
    }
  }
}

/** The stat of the folder and of every watched file; any change on disk changes the key. */
function fingerprint(dir: string): string {
  return [dir, ...watchedFiles(dir)].map((file) => `${file}=${statKey(file)}`).join('\n');
}

function statKey(file: string): string {
  try {
    const stat = fs.statSync(file, { bigint: true });
    return `${stat.isDirectory() ? 'd' : 'f'}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}:${stat.ino}`;
  } catch (error) {
    return `error:${(error as NodeJS.ErrnoException).code ?? 'unknown'}`;
  }
}

function unexpected(dir: string, error: unknown): ModelProblem {
  const message = error instanceof Error ? error.message : String(error);
  return { problem: `Reading the model in ${dir} failed unexpectedly: ${message}.`, file: dir };
}
