// The weight matrices a method's `blocks` / `matrices` / `also` keys pick (how `mask` and `dsee`
// choose their targets). Only weights are ever selected: biases, LayerNorms and embeddings are
// never masked (methods.md). The classification head usually does not exist yet in a pretraining
// checkpoint; it is reported as created at train time, with the shape the trainer will give it.

import { suggest } from '../dsl/suggest';
import type { ModelFamily } from './modelConfig';
import { BLOCK_MATRICES, EXTRA_MATRICES, type BlockMatrix, type ExtraMatrix, type ParameterInfo } from './parameterNames';

export interface SelectionRequest {
  /** Block indices, or every block of the model. */
  blocks: readonly number[] | 'all';
  /** Names from BLOCK_MATRICES (query, key, value, attention_output, intermediate, output). */
  matrices: readonly string[];
  /** Names from EXTRA_MATRICES (pooler, head). */
  also: readonly string[];
}

/** What the selection needs to know about the model beyond its parameter list. */
export interface SelectionModel {
  family?: ModelFamily;
  hiddenSize?: number;
  /** Labels of the task; sizes a head created at train time (default 2). */
  numLabels?: number;
}

/** A matrix the trainer creates because the checkpoint lacks it (or has one of the wrong size). */
export interface CreatedMatrix {
  /** Canonical name the trainer gives it, e.g. 'classifier.weight'. */
  canonical: string;
  matrix: 'head';
  /** [out, in], like stored weights. */
  shape: number[];
  count: number;
  /** One sentence for hovers, e.g. "created at train time: the checkpoint has no classifier". */
  note: string;
}

export interface SelectionProblem {
  key: 'blocks' | 'matrices' | 'also';
  value: string | number;
  message: string;
  /** A replacement for `value`, for a quick fix. */
  suggestion?: string;
}

export interface Selection {
  /** Weight matrices present in the checkpoint, in model order. */
  matrices: ParameterInfo[];
  created: CreatedMatrix[];
  problems: SelectionProblem[];
  /** Elements in `matrices` and `created`. */
  totalParameters: number;
}

export function selectionFor(request: SelectionRequest, params: readonly ParameterInfo[], model: SelectionModel = {}): Selection {
  const problems: SelectionProblem[] = [];
  const weights = params.filter((p) => p.role === 'weight' && p.matrix !== undefined);
  const blocksInModel = [...new Set(params.flatMap((p) => (p.block === undefined ? [] : [p.block])))].sort((a, b) => a - b);

  const blocks = new Set<number>();
  if (request.blocks === 'all') {
    blocksInModel.forEach((b) => blocks.add(b));
  } else {
    for (const block of request.blocks) {
      if (!blocksInModel.includes(block)) {
        const range = blocksInModel.length > 0 ? `blocks ${blocksInModel[0]}–${blocksInModel[blocksInModel.length - 1]}` : 'no encoder blocks';
        problems.push({ key: 'blocks', value: block, message: `Block ${block} does not exist: the model has ${blocksInModel.length} (${range}).` });
      } else {
        blocks.add(block);
      }
    }
  }

  const matrixNames = new Set<BlockMatrix>();
  for (const name of request.matrices) {
    if ((BLOCK_MATRICES as readonly string[]).includes(name)) {
      matrixNames.add(name as BlockMatrix);
    } else {
      problems.push(unknownName('matrices', name, BLOCK_MATRICES, EXTRA_MATRICES.includes(name as ExtraMatrix) ? `${name} is not inside a block; list it under also.` : undefined));
    }
  }

  const selected = weights.filter((p) => p.block !== undefined && blocks.has(p.block) && matrixNames.has(p.matrix as BlockMatrix));
  const created: CreatedMatrix[] = [];
  for (const name of request.also) {
    if (name === 'pooler') {
      const pooler = weights.filter((p) => p.matrix === 'pooler');
      if (pooler.length === 0) {
        problems.push({ key: 'also', value: name, message: 'The checkpoint has no pooler (pooler.dense.weight); remove pooler from also.' });
      }
      selected.push(...pooler);
    } else if (name === 'head') {
      const head = headSelection(weights, params, model);
      selected.push(...head.existing);
      created.push(...head.created);
    } else {
      problems.push(unknownName('also', name, EXTRA_MATRICES, (BLOCK_MATRICES as readonly string[]).includes(name) ? `${name} is a block matrix; list it under matrices.` : undefined));
    }
  }

  const matrices = params.filter((p) => selected.includes(p));
  const totalParameters = matrices.reduce((sum, p) => sum + p.count, 0) + created.reduce((sum, c) => sum + c.count, 0);
  return { matrices, created, problems, totalParameters };
}

function headSelection(
  weights: readonly ParameterInfo[],
  params: readonly ParameterInfo[],
  model: SelectionModel,
): { existing: ParameterInfo[]; created: CreatedMatrix[] } {
  const existing = weights.filter((p) => p.matrix === 'head');
  const hidden = model.hiddenSize ?? inferHiddenSize(params);
  const family = model.family ?? (params.some((p) => p.name.startsWith('roberta.') || p.canonical.startsWith('lm_head.')) ? 'roberta' : 'bert');
  const numLabels = model.numLabels ?? 2;
  const labelNote = model.numLabels === undefined ? ' (2 labels assumed; the task sets the number)' : '';
  const output = existing.find((p) => p.canonical === 'classifier.weight' || p.canonical === 'classifier.out_proj.weight');

  if (output && (model.numLabels === undefined || output.shape[0] === model.numLabels)) return { existing, created: [] };

  const reason = output
    ? `replaced at train time: the checkpoint's ${output.canonical} has ${output.shape[0]} labels, the task ${numLabels}`
    : 'created at train time: the checkpoint has no classification head';
  const make = (canonical: string, shape: number[], note: string): CreatedMatrix => ({
    canonical,
    matrix: 'head',
    shape,
    count: shape[0] * shape[1],
    note,
  });
  if (family === 'roberta') {
    // RoBERTa's head is dense (hidden→hidden) then out_proj (hidden→labels); only out_proj depends on the labels.
    const dense = existing.find((p) => p.canonical === 'classifier.dense.weight');
    return {
      existing: dense ? [dense] : [],
      created: [
        ...(dense ? [] : [make('classifier.dense.weight', [hidden, hidden], `${reason}.`)]),
        make('classifier.out_proj.weight', [numLabels, hidden], `${reason}${labelNote}.`),
      ],
    };
  }
  return { existing: [], created: [make('classifier.weight', [numLabels, hidden], `${reason}${labelNote}.`)] };
}

function inferHiddenSize(params: readonly ParameterInfo[]): number {
  const embeddings = params.find((p) => p.canonical === 'embeddings.word_embeddings.weight');
  if (embeddings && embeddings.shape.length === 2) return embeddings.shape[1];
  const query = params.find((p) => p.matrix === 'query' && p.role === 'weight');
  return query?.shape[1] ?? 0;
}

function unknownName(key: 'matrices' | 'also', name: string, known: readonly string[], hint?: string): SelectionProblem {
  const suggestion = hint ? undefined : suggest(name, [...known]);
  const message = hint ?? `Unknown ${key === 'matrices' ? 'matrix' : 'target'} "${name}"; ${suggestion ? `did you mean ${suggestion}? ` : ''}expected one of ${known.join(', ')}.`;
  return { key, value: name, message, ...(suggestion ? { suggestion } : {}) };
}
