// `masklab export RUN`: the run's per-task artifact (`<run>/artifact.masklab-task`) — what one task
// stores besides the shared base checkpoint — checked, optionally copied elsewhere, and sized
// against a full fp32 copy of the model.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../runs/atomicFile';
import { findRun } from '../runs/findRun';
import { formatBytes, formatCount } from '../runs/progressText';
import { runsDirectory } from '../runs/projectRoot';
import { readRunArtifactFile } from '../runs/runArtifact';
import type { RunFolder } from '../runs/runFolder';
import { describeWriteError, RunStoreError } from '../runs/writeError';
import { ArtifactFormatError, decodeTaskArtifact, encodeTaskArtifact, type ArtifactSection } from '../training/artifact/taskArtifact';
import { parseArgs } from './cliArgs';
import { ExitCode, UsageError, type CliCommand, type CliIO } from './command';
import { compareMetrics, evaluateKept, keptState } from './runEvaluation';

export const exportCommand: CliCommand = {
  name: 'export',
  summary: "write a run's per-task artifact and compare its size with the fp32 model",
  usage: [
    'usage: masklab export RUN [--runs DIR] [--out FILE] [--check] [--json]',
    '',
    "Writes the run's per-task artifact to <run>/artifact.masklab-task: masks bit-packed and entropy-coded,",
    'DSEE deltas as values + indices, the head as a seed or values (format: server/src/training/artifact/README.md).',
    'With the base checkpoint it rebuilds the run\'s kept model. Prints its size against the fp32 model.',
    'RUN is a run folder or a run id (see masklab runs).',
    '  --runs DIR   the run store to look RUN up in (default: .masklab/runs of the current project)',
    '  --out FILE   also write the artifact to FILE',
    "  --check      rebuild the model from base checkpoint + artifact and check that it reproduces the run's dev metrics exactly",
    '  --json       print the sizes and sections as JSON',
    'Exit status: 0 exported, 2 no such run or bad options, 1 no artifact (run unfinished), unreadable, or --check failed.',
  ].join('\n'),
  async run(args, io) {
    const { flags, positionals } = parseArgs(args, ['runs', 'out'], ['check', 'json']);
    if (positionals.length !== 1) throw new UsageError('give one RUN (a run folder or a run id)');
    const runsDir = runsDirectory({ experimentFile: path.join(io.cwd, 'here.masklab'), configured: flags.get('runs'), base: io.cwd });
    let folder: RunFolder;
    try {
      folder = findRun(positionals[0], { cwd: io.cwd, runsDir });
    } catch (error) {
      if (!(error instanceof RunStoreError)) throw error;
      io.err(`masklab export: ${error.message}`);
      return ExitCode.invalid;
    }
    try {
      return await exportRun(folder, flags, io);
    } catch (error) {
      if (!(error instanceof RunStoreError) && !(error instanceof ArtifactFormatError)) throw error;
      io.err(`masklab export: ${error.message}`);
      return ExitCode.failure;
    }
  },
};

async function exportRun(folder: RunFolder, flags: Map<string, string>, io: CliIO): Promise<number> {
  const file = folder.file('artifact');
  const { bytes, header } = readRunArtifactFile(file);
  // Decoding checks every section's CRC: a damaged artifact is caught here, not when it is used.
  const decoded = decodeTaskArtifact(bytes, file);
  // The file is rewritten from its decoded parts: identical bytes when it was written by this
  // version, the current encoding when an older one wrote it.
  const encoded = encodeTaskArtifact(decoded.parts, decoded.info);
  const packed = encodeTaskArtifact(decoded.parts, decoded.info, { entropyCoding: false }).length;
  if (!Buffer.from(encoded).equals(Buffer.from(bytes))) writeOrFail(file, encoded);
  const out = flags.get('out');
  if (out) writeOrFail(path.resolve(io.cwd, out), encoded);
  const summary = folder.readSummary();
  const modelParameters = summary?.model_parameters ?? Number((decoded.info.model as { parameters?: number } | undefined)?.parameters ?? 0);
  const fp32 = modelParameters * 4;
  const groups = sectionGroups(decoded.sections);

  let check: { identical: boolean; lines: string[] } | undefined;
  if (flags.has('check')) {
    const kept = await keptState(folder);
    const values = await evaluateKept(kept, undefined, (w) => io.err(`warning: ${w}`));
    const comparison = compareMetrics(values, kept.recorded);
    check = { identical: comparison.same, lines: comparison.lines };
  }

  if (flags.has('json')) {
    io.out(JSON.stringify({ artifact: file, ...(out ? { out: path.resolve(io.cwd, out) } : {}), bytes: { entropy_coded: encoded.length, packed, fp32_model: fp32 }, sections: groups, check }, null, 2));
  } else {
    io.out(`wrote ${file}${out ? ` and ${path.resolve(io.cwd, out)}` : ''}`);
    const share = fp32 > 0 ? `; fp32 model ${formatBytes(fp32)} (${formatCount(fp32)} bytes): ${((100 * encoded.length) / fp32).toFixed(3)} % of it, ${(fp32 / encoded.length).toFixed(0)}× smaller` : '';
    io.out(`  ${formatCount(encoded.length)} bytes entropy-coded (${formatCount(packed)} bytes with masks bit-packed)${share}`);
    if (summary) {
      const primary = summary.best?.[summary.primary_metric];
      const state = summary.outcome === 'completed' ? 'completed' : `cancelled at step ${summary.steps} of ${summary.steps_total}: the artifact holds its state so far`;
      io.out(`  run ${folder.group}/${folder.runId}: ${summary.method}, ${state}; keeps the ${summary.keep} state${typeof primary === 'number' ? ` (best ${summary.primary_metric} ${primary.toFixed(4)} at step ${summary.best?.step})` : ''}`);
    }
    io.out(`  ${'header'.padEnd(12)} ${formatCount(header.dataStart).padStart(26)} bytes  resolved config and layout (JSON)`);
    for (const g of groups) {
      const bits = g.parameters > 0 && g.encoding.startsWith('mask') ? `, ${((g.bytes * 8) / g.parameters).toFixed(3)} bit/parameter` : '';
      io.out(`  ${g.part.padEnd(12)} ${String(g.sections).padStart(4)} section${g.sections === 1 ? ' ' : 's'}  ${formatCount(g.bytes).padStart(12)} bytes  ${g.encoding} over ${formatCount(g.parameters)} values${bits}`);
    }
    const config = decoded.info.config as { model?: { ref: string; dir: string } } | undefined;
    if (config?.model) io.out(`  applies on top of the base checkpoint ${config.model.ref} (${config.model.dir})`);
    if (check) {
      io.out('check: base checkpoint + artifact, evaluated again:');
      for (const line of check.lines) io.out(line);
      io.out(check.identical ? "  reproduces the run's metrics exactly" : "  does NOT reproduce the run's metrics");
    }
  }
  return check && !check.identical ? ExitCode.failure : ExitCode.ok;
}

function writeOrFail(file: string, bytes: Uint8Array): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, bytes);
  } catch (error) {
    throw describeWriteError(error, file);
  }
}

/** Sections grouped by the part they belong to (masks, tensors, deltas, …). */
function sectionGroups(sections: ArtifactSection[]): { part: string; sections: number; bytes: number; parameters: number; encoding: string }[] {
  const groups = new Map<string, { part: string; sections: number; bytes: number; parameters: number; encodings: Set<string> }>();
  for (const s of sections) {
    const part = s.name.split('/')[0] || s.name;
    const g = groups.get(part) ?? { part, sections: 0, bytes: 0, parameters: 0, encodings: new Set<string>() };
    g.sections++;
    g.bytes += s.length;
    g.parameters += s.count;
    g.encodings.add(s.encoding);
    groups.set(part, g);
  }
  return [...groups.values()].map((g) => ({ part: g.part, sections: g.sections, bytes: g.bytes, parameters: g.parameters, encoding: [...g.encodings].join('+') }));
}
