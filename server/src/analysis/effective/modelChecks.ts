// Checks against the checkpoint the experiment names: it must be readable; blocks must exist;
// every selection (blocks × matrices, each `also` part, each `select`) must match real parameters,
// and what it matched is recorded for hover, inlay hints and code lenses.

import type { Span, Value } from '../../dsl/ast';
import type { ModelDescription } from '../../checkpoint/modelKnowledge';
import type { ParameterInfo } from '../../checkpoint/parameterNames';
import { compileSelector, matchSelector, selectionFor, type CreatedMatrix } from '../../checkpoint/selector';
import { suggest } from '../../dsl/suggest';
import { error } from '../diagnostics';
import type { EntryBlock, EntryProperty } from '../entryTree';
import { glueTasks, isGlueTaskName } from '../glueTasks';
import type { BlocksValue } from '../keys/types';
import { formatBlocks, formatSelector, isBlockList, isSelector } from '../valueFormat';
import { blockSpan, valueNode, valueSpan, within, type EffectiveScope } from './scope';

/** Reads the checkpoint of the `model` entry into `scope.model`, reporting why it cannot be read. */
export function checkModel(root: EntryBlock, scope: EffectiveScope): void {
  const model = root.properties.get('model');
  if (!model || typeof model.value !== 'string') return;
  const state = scope.files.model(model.value);
  scope.model = state;
  if ('problem' in state) scope.accept(error(valueSpan(model), 'model-unreadable', state.problem));
}

function description(scope: EffectiveScope): ModelDescription | undefined {
  return scope.model && 'description' in scope.model ? scope.model.description : undefined;
}

/** Classes of the task, which size a classification head the trainer creates. */
function numLabels(scope: EffectiveScope): number | undefined {
  const task = scope.root.blocks.get('task')?.kind;
  if (!task) return undefined;
  if (task.family === 'glue') {
    const name = task.name.slice('glue.'.length);
    if (!isGlueTaskName(name)) return undefined;
    return glueTasks[name].labels?.length ?? 1;
  }
  const labels = scope.values.get('task.labels');
  return Array.isArray(labels) && labels.length > 0 ? labels.length : undefined;
}

export function checkModelLimits(scope: EffectiveScope): void {
  const model = description(scope);
  if (!model) return;
  const maxLength = scope.values.written('task.max_length');
  if (maxLength && typeof maxLength.value === 'number' && maxLength.value > model.config.maxSequenceLength) {
    scope.accept(
      error(valueSpan(maxLength), 'model-limit', `max_length ${maxLength.value} exceeds the ${model.config.maxSequenceLength} positions the model has (max_position_embeddings in ${model.config.file})`),
    );
  }
  const method = scope.root.blocks.get('method');
  const prune = method?.blocks.get('prune');
  if (method?.kind?.name === 'dsee' && prune?.kind?.name === 'heads') {
    const heads = scope.values.number('method.prune.heads');
    const total = model.config.numAttentionHeads;
    if (heads !== undefined && heads >= total) {
      const written = prune.properties.get('heads');
      const at = written ? valueSpan(written) : blockSpan(prune);
      if (at) {
        scope.accept(
          error(at, 'model-limit', `removing ${heads} head${heads === 1 ? '' : 's'} per block leaves none: the model has ${total} attention head${total === 1 ? '' : 's'} per block, so 'heads' must be below ${total}${written ? '' : ' (the default is 1; this model cannot prune heads)'}`),
        );
      }
    }
  }
}

interface SelectedSet {
  matches: ParameterInfo[];
  created: CreatedMatrix[];
}

/** Methods other than plain fine-tuning only touch weight matrices (methods.md). */
function matricesOnly(scope: EffectiveScope): boolean {
  const kind = scope.root.blocks.get('method')?.kind?.name;
  return !(kind === 'finetune' || (kind === 'sparse_finetune' && scope.values.get('method.mode') === 'layers'));
}

export function checkSelections(scope: EffectiveScope): void {
  const model = description(scope);
  const method = scope.root.blocks.get('method');
  if (!model || !method?.kind) return;
  const params = model.parameters;
  const v = scope.values;
  const blocks = v.get('method.blocks') as BlocksValue | undefined;
  const matrices = v.get('method.matrices');
  const also = v.get('method.also');
  const select = v.get('method.select');
  const layers = model.config.numHiddenLayers;
  const selectionModel = { family: model.family, hiddenSize: model.config.hiddenSize, numLabels: numLabels(scope) };
  const union = new Map<string, ParameterInfo>();
  const created: CreatedMatrix[] = [];
  let complete = true;

  // blocks × matrices
  const blocksEntry = method.properties.get('blocks');
  let blockList: number[] | 'all' | undefined;
  if (blocks === 'all') blockList = 'all';
  else if (isBlockList(blocks)) {
    const outside = blocks.blocks.filter((b) => b >= layers);
    if (outside.length > 0 && blocksEntry) {
      scope.accept(
        error(
          blockValueSpan(blocksEntry, outside[0]),
          'block-out-of-range',
          `${outside.length === 1 ? 'block' : 'blocks'} ${formatBlocks({ blocks: outside })} ${outside.length === 1 ? 'does' : 'do'} not exist: the model has ${layers} block${layers === 1 ? '' : 's'} (${layers === 1 ? '0' : `0..${layers - 1}`})`,
        ),
      );
    }
    blockList = blocks.blocks.filter((b) => b < layers);
  }
  if (blockList !== undefined && Array.isArray(matrices)) {
    const request = { blocks: blockList, matrices: matrices as string[], also: [] };
    const blocksKey = blockList === 'all' ? 'all' : blockList.join(',');
    const selection = scope.files.cached(`selection:${model.dir}|${blocksKey}|${(matrices as string[]).join(',')}|${selectionModel.numLabels}`, () =>
      selectionFor(request, params, selectionModel),
    );
    selection.matrices.forEach((p) => union.set(p.name, p));
    const at = blocksEntry ?? method.properties.get('matrices');
    if (selection.matrices.length === 0 && (blockList === 'all' || blockList.length > 0)) {
      const where = at ? valueSpan(at) : blockSpan(method);
      if (where) scope.accept(error(where, 'selection-empty', `blocks ${blocks === 'all' ? 'all' : formatBlocks(blocks as { blocks: number[] })} × matrices ${(matrices as string[]).join(', ')} match no weight in ${model.dir}`));
    }
    for (const entry of [blocksEntry, method.properties.get('matrices')]) {
      if (entry) record(scope, entry.node.span, 'blocks × matrices', { matches: selection.matrices, created: [] });
    }
  } else complete = false;

  // also: one selection per part
  const alsoEntry = method.properties.get('also');
  if (Array.isArray(also)) {
    for (const part of also as string[]) {
      const only = matricesOnly(scope);
      const set = scope.files.cached(`also:${model.dir}|${part}|${only}|${selectionModel.numLabels}`, () => alsoSelection(part, params, selectionModel, only));
      set.matches.forEach((p) => union.set(p.name, p));
      created.push(...set.created);
      const node = alsoEntry ? valueNode(alsoEntry, part) : undefined;
      if (set.matches.length === 0 && set.created.length === 0) {
        const at = node?.span ?? (alsoEntry ? valueSpan(alsoEntry) : blockSpan(method));
        if (at) scope.accept(error(at, 'selection-empty', `the model has no ${part} to select (${model.dir}); remove '${part}' from 'also'`));
      }
      if (node) record(scope, node.span, `also ${part}`, set);
    }
  } else complete = false;

  // select: each raw selector
  const selectEntry = method.properties.get('select');
  if (Array.isArray(select)) {
    select.forEach((selector, i) => {
      if (!isSelector(selector)) return;
      const node = selectEntry?.node.values[i];
      const set = selectorMatches(selector, node, selectEntry, params, scope, model);
      set.matches.forEach((p) => union.set(p.name, p));
      if (node) record(scope, node.span, `select ${formatSelector(selector)}`, set);
    });
  } else complete = false;

  if (complete) {
    const at = method.kind && within(scope.ownSpan, method.kind.node.span) ? method.kind.node.span : method.node && within(scope.ownSpan, method.node.key.span) ? method.node.key.span : undefined;
    const matches = params.filter((p) => union.has(p.name));
    if (at) record(scope, at, `method ${method.kind.name}: every target`, { matches, created });
  }
  checkRank(scope, params, blockList, matrices);
}

function alsoSelection(part: string, params: readonly ParameterInfo[], model: { family: ModelDescription['family']; hiddenSize: number; numLabels?: number }, matricesOnlyMethod: boolean): SelectedSet {
  if (part === 'embeddings') {
    return { matches: params.filter((p) => p.component === 'embeddings' && (p.role === 'embedding' || p.role === 'layernorm')), created: [] };
  }
  const selection = selectionFor({ blocks: [], matrices: [], also: [part] }, params, model);
  // Plain fine-tuning trains the pooler's bias too; the matrices are what the other methods touch.
  const matches = matricesOnlyMethod ? selection.matrices : params.filter((p) => selection.matrices.some((m) => m.matrix === p.matrix && p.component === m.component));
  return { matches, created: selection.created };
}

function selectorMatches(
  selector: { glob: string } | { regex: string },
  node: Value | undefined,
  entry: EntryProperty | undefined,
  params: readonly ParameterInfo[],
  scope: EffectiveScope,
  model: ModelDescription,
): SelectedSet {
  const at: Span | undefined = node?.span ?? (entry ? valueSpan(entry) : undefined);
  const text = 'glob' in selector ? selector.glob : selector.regex;
  const kind = 'glob' in selector ? 'glob' : 'regex';
  const compiled = scope.files.cached(`selector:${kind}:${text}`, () => compileSelector(text, kind));
  if (!compiled.ok) {
    if (at) scope.accept(error(at, 'invalid-selector', `${formatSelector(selector)}: ${compiled.message}`));
    return { matches: [], created: [] };
  }
  const all = scope.files.cached(`match:${model.dir}:${kind}:${text}`, () => matchSelector(compiled, params));
  const matches = matricesOnly(scope) ? all.filter((p) => p.role === 'weight' && p.matrix !== undefined) : all;
  if (at && all.length === 0) {
    const close = /[*{]/.test(text) || 'regex' in selector ? undefined : suggest(text, params.map((p) => p.canonical));
    scope.accept(
      error(at, 'selection-empty', `${formatSelector(selector)} matches no parameter of the model in ${model.dir}${close ? `; did you mean '${close}'?` : ''}`, {
        fix: close && node ? { span: node.span, newText: JSON.stringify(close), title: `Change to "${close}"` } : undefined,
      }),
    );
  } else if (at && matches.length === 0) {
    const methodKind = scope.root.blocks.get('method')?.kind?.name ?? 'this method';
    scope.accept(
      error(at, 'selection-empty', `${formatSelector(selector)} matches ${all.length} tensor${all.length === 1 ? '' : 's'}, but none is a weight matrix, and method ${methodKind} changes only weight matrices (biases, LayerNorm parameters and embeddings never are)`),
    );
  }
  return { matches, created: [] };
}

function record(scope: EffectiveScope, span: Span, label: string, set: SelectedSet): void {
  if (!scope.selections || !within(scope.ownSpan, span)) return;
  const parameters = set.matches.reduce((sum, p) => sum + p.count, 0) + set.created.reduce((sum, c) => sum + c.count, 0);
  scope.selections.push({
    experiment: scope.experiment,
    span,
    label,
    matches: set.matches,
    created: set.created,
    tensors: set.matches.length + set.created.length,
    parameters,
  });
}

/** The span of the value in `blocks` that wrote block `b` (a number or a range containing it). */
function blockValueSpan(entry: EntryProperty, b: number): Span {
  const node = entry.node.values.find((v) => (v.kind === 'number' && v.value === b) || (v.kind === 'range' && v.from <= b && b <= v.to));
  return node?.span ?? valueSpan(entry);
}

/** DSEE's rank and sparse support must fit the matrices they update. */
function checkRank(scope: EffectiveScope, params: readonly ParameterInfo[], blocks: number[] | 'all' | undefined, matrices: unknown): void {
  const method = scope.root.blocks.get('method');
  if (method?.kind?.name !== 'dsee' || blocks === undefined || !Array.isArray(matrices)) return;
  const request = { blocks, matrices: matrices as string[], also: [] };
  const dir = scope.model && 'dir' in scope.model ? scope.model.dir : '';
  const targets = scope.files.cached(`rank:${dir}|${blocks === 'all' ? 'all' : blocks.join(',')}|${(matrices as string[]).join(',')}`, () => selectionFor(request, params)).matrices;
  if (targets.length === 0) return;
  const smallestSide = Math.min(...targets.map((p) => Math.min(...p.shape)));
  const smallestCount = Math.min(...targets.map((p) => p.count));
  const rank = method.properties.get('rank');
  if (rank && typeof rank.value === 'number' && rank.value > smallestSide) {
    scope.accept(error(valueSpan(rank), 'model-limit', `rank ${rank.value} exceeds the smaller side (${smallestSide}) of the selected matrices: a rank above ${smallestSide} adds nothing`));
  }
  const entries = method.properties.get('sparse_entries');
  if (entries && typeof entries.value === 'number' && entries.value > smallestCount) {
    scope.accept(error(valueSpan(entries), 'model-limit', `sparse_entries ${entries.value} exceeds the ${smallestCount} entries of the smallest selected matrix`));
  }
}
