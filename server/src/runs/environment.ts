// `environment.json`: what trained a run (versions, backend and device, host, git commit), so a
// result can be traced to the code and machine that produced it.

import * as os from 'node:os';
import type { ExperimentConfig } from '../../../schemas/src/experimentConfig';
import type { RunEnvironment } from '../../../schemas/src/runRecord';
import type { BackendReport } from '../../../schemas/src/trainerMessages';
import { gitCommitOf } from './gitCommit';
import { MASKLAB_VERSION } from './version';

export function collectEnvironment(config: ExperimentConfig, engine: { tfjs: string | null; backend: BackendReport | null }): RunEnvironment {
  const cpus = os.cpus();
  return {
    schemaVersion: 1,
    masklab: MASKLAB_VERSION,
    node: process.version,
    tfjs: engine.tfjs,
    backend: engine.backend,
    threads: config.device.threads,
    host: os.hostname(),
    platform: `${os.platform()} ${os.release()}`,
    arch: os.arch(),
    cpus: { model: cpus[0]?.model?.trim() ?? 'unknown', count: cpus.length },
    git: gitCommitOf(config.source.file),
    recorded_at: new Date().toISOString(),
  };
}
