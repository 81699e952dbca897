// `masklab encode --model DIR [--pair] [--backend NAME] TEXT…`: tokenizes texts with the model's
// own tokenizer, runs the encoder, and prints one JSON object per input with the ids and the
// final-layer [CLS] vector (before the pooler). JSON goes to stdout, everything else to stderr.

import * as path from 'node:path';
import { CheckpointError, openCheckpoint, type Checkpoint } from '../checkpoint';
import { isBackendRequest, type BackendRequest } from '../training/backend/packages';
import { BackendUnavailableError } from '../training/backend/selectBackend';
import { encodeTexts } from '../training/encodeTexts';
import { UnsupportedModelError } from '../training/model/checkpointWeights';
import { TokenizerError } from '../training/tokenizer';
import { parseArgs } from './cliArgs';
import { ExitCode, UsageError, type CliCommand, type CliIO } from './command';

const usage = `usage: masklab encode --model DIR [--pair] [--backend auto|tensorflow|wasm|wasm_native|cpu] [--max-length N] TEXT…

Encodes each TEXT with the model in DIR and prints a JSON array, one object per input:
  {"text": …, "ids": [… incl. special tokens], "cls": [final-layer hidden vector of the first token]}
--pair        take the texts two at a time as sentence pairs ("text" is then a two-element array)
--backend     tfjs backend (default auto: tensorflow, else wasm with native kernels when built, else wasm, else cpu)
--max-length  truncate longest-first to N tokens (default: the model's longest input)
Use -- before texts that start with a dash.`;

/** Sequences per forward pass: bounds memory for long argument lists. */
const BATCH_SIZE = 32;

interface EncodeRequest {
  modelDir: string;
  pair: boolean;
  backend: BackendRequest;
  maxLength?: number;
  texts: string[];
}

function parseRequest(args: string[], io: CliIO): EncodeRequest {
  const { flags, positionals } = parseArgs(args, ['model', 'backend', 'max-length'], ['pair']);
  const model = flags.get('model');
  if (!model) throw new UsageError('give the model folder: --model DIR');
  const backend = flags.get('backend') ?? 'auto';
  if (!isBackendRequest(backend)) throw new UsageError(`--backend must be auto, tensorflow, wasm, wasm_native or cpu, got '${backend}'`);
  const maxLengthText = flags.get('max-length');
  const maxLength = maxLengthText === undefined ? undefined : Number(maxLengthText);
  if (maxLength !== undefined && (!Number.isInteger(maxLength) || maxLength < 3)) {
    throw new UsageError(`--max-length must be an integer of at least 3 (room for the special tokens), got '${maxLengthText}'`);
  }
  return { modelDir: path.resolve(io.cwd, model), pair: flags.has('pair'), backend, maxLength, texts: positionals };
}

export const encodeCommand: CliCommand = {
  name: 'encode',
  summary: 'Print token ids and the [CLS] vector of texts (JSON)',
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    // Flag mistakes are UsageErrors (main prints them with a pointer to --help); problems with
    // the inputs themselves are one line each, below.
    const request = parseRequest(args, io);
    if (request.texts.length === 0) return fail(io, 'give at least one TEXT to encode');
    if (request.pair && request.texts.length % 2 !== 0) {
      return fail(io, `--pair takes texts two at a time, but ${request.texts.length} ${request.texts.length === 1 ? 'was' : 'were'} given; add the missing second text or drop --pair`);
    }
    let checkpoint: Checkpoint;
    try {
      checkpoint = openCheckpoint(request.modelDir);
    } catch (error) {
      if (error instanceof CheckpointError) return fail(io, error.message);
      throw error;
    }
    const inputs = request.pair ? pairUp(request.texts) : request.texts.map((text) => ({ text }));
    try {
      const started = Date.now();
      const results = await encodeTexts(checkpoint, inputs, {
        backend: request.backend,
        maxLength: request.maxLength,
        batchSize: BATCH_SIZE,
        onBackend: (detail) => io.err(`masklab encode: backend ${detail}`),
        onWarning: (message) => io.err(`masklab encode: warning: ${message}`),
        onProgress: (done, total) => {
          if (io.isTTY && total > BATCH_SIZE) io.err(`masklab encode: ${done}/${total} inputs`);
        },
      });
      io.out(['[', results.map((r) => JSON.stringify(r)).join(',\n'), ']'].join('\n'));
      io.err(`masklab encode: ${results.length} input${results.length === 1 ? '' : 's'} in ${Date.now() - started} ms`);
      return ExitCode.ok;
    } catch (error) {
      if (error instanceof BackendUnavailableError || error instanceof TokenizerError || error instanceof UnsupportedModelError || error instanceof CheckpointError) {
        return fail(io, error.message);
      }
      throw error;
    }
  },
};

export default encodeCommand;

function fail(io: CliIO, message: string): number {
  io.err(`masklab encode: ${message}`);
  return ExitCode.invalid;
}

function pairUp(texts: string[]): { text: string; pair: string }[] {
  const pairs: { text: string; pair: string }[] = [];
  for (let i = 0; i < texts.length; i += 2) pairs.push({ text: texts[i], pair: texts[i + 1] });
  return pairs;
}
