// `masklab model DIR`: what a checkpoint holds — architecture, every parameter with its shape and
// count, totals — and which backend a run would use. Reads headers only; never loads tfjs.

import * as path from 'node:path';
import { CheckpointError, FLOATING_DTYPES, openCheckpoint, type Checkpoint, type ParameterInfo } from '../checkpoint';
import { isBackendRequest, planBackend } from '../training/backend/packages';
import { parseArgs } from './cliArgs';
import { ExitCode, UsageError, type CliCommand, type CliIO } from './command';

const usage = `usage: masklab model DIR [--backend auto|tensorflow|wasm|wasm_native|cpu]

Prints the architecture of the BERT/RoBERTa checkpoint in DIR (a Hugging Face folder with
config.json and model.safetensors), every parameter with its shape and element count, totals per
part of the model, and the tfjs backend a run would use (--backend, default auto; wasm_native is wasm
with Masklab's native kernels, reported with their BLAS and its thread count).`;

export const modelCommand: CliCommand = {
  name: 'model',
  summary: 'Show the architecture and parameters of a checkpoint',
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const { flags, positionals } = parseArgs(args, ['backend'], []);
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'give the model folder: masklab model DIR' : `expected one model folder, got ${positionals.length}`);
    const request = flags.get('backend') ?? 'auto';
    if (!isBackendRequest(request)) throw new UsageError(`--backend must be auto, tensorflow, wasm, wasm_native or cpu, got '${request}'`);
    let checkpoint: Checkpoint;
    try {
      checkpoint = openCheckpoint(path.resolve(io.cwd, positionals[0]));
    } catch (error) {
      if (error instanceof CheckpointError) {
        io.err(`masklab model: ${error.message}`);
        return ExitCode.invalid;
      }
      throw error;
    }
    io.out(describeCheckpoint(checkpoint, planBackend(request).detail));
    return ExitCode.ok;
  },
};

export default modelCommand;

const COMPONENT_TITLES: Record<ParameterInfo['component'], string> = {
  embeddings: 'embeddings',
  encoder: 'encoder blocks',
  pooler: 'pooler',
  classifier: 'classifier head',
  pretraining_head: 'pretraining head',
  other: 'other',
};

/** The whole report as text (exported for tests and for the editor's hover, should it want it). */
export function describeCheckpoint(checkpoint: Checkpoint, backendDetail: string): string {
  const c = checkpoint.config;
  const count = (n: number) => n.toLocaleString('en-US');
  const architecture = c.architectures.length > 0 ? c.architectures.join(', ') : 'no architectures listed';
  const lines = [
    `model       ${checkpoint.dir}`,
    `family      ${c.family} (${c.modelType === c.family ? '' : `model_type ${c.modelType}; `}${architecture}; parameter prefix ${checkpoint.prefix === '' ? 'none' : `'${checkpoint.prefix}'`})`,
    `layers      ${c.numHiddenLayers}`,
    `hidden      ${c.hiddenSize}`,
    `heads       ${c.numAttentionHeads} (head size ${c.headSize})`,
    `FFN         ${c.intermediateSize} (${c.hiddenAct})`,
    `vocab       ${count(c.vocabSize)}`,
    `positions   ${c.maxPositionEmbeddings} (longest input ${c.maxSequenceLength} tokens)`,
    `token types ${c.typeVocabSize}`,
    ...(c.numLabels !== undefined ? [`labels      ${c.numLabels}${c.labels ? ` (${c.labels.join(', ')})` : ''}`] : []),
    `backend     ${backendDetail}`,
    '',
  ];
  const rows = checkpoint.parameters.map((p) => [p.name, `[${p.shape.join(', ')}]`, count(p.count), p.dtype]);
  const header = ['parameter', 'shape', 'count', 'dtype'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const format = (r: string[]) => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2].padStart(widths[2])}  ${r[3]}`.trimEnd();
  lines.push(format(header), ...rows.map(format), '');

  const byComponent = new Map<string, { tensors: number; elements: number }>();
  for (const p of checkpoint.parameters) {
    const entry = byComponent.get(p.component) ?? { tensors: 0, elements: 0 };
    entry.tensors++;
    // Integer buffers (position_ids) are not parameters, as in the total below.
    entry.elements += FLOATING_DTYPES.has(p.dtype) ? p.count : 0;
    byComponent.set(p.component, entry);
  }
  for (const [component, entry] of byComponent) {
    const title = COMPONENT_TITLES[component as ParameterInfo['component']];
    lines.push(`${title.padEnd(17)} ${count(entry.elements).padStart(12)} in ${entry.tensors} tensor${entry.tensors === 1 ? '' : 's'}`);
  }
  lines.push(`${'total'.padEnd(17)} ${count(checkpoint.totalParameters).padStart(12)} parameters in ${checkpoint.parameters.length} tensors`);
  return lines.join('\n');
}
