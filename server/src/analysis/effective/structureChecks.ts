// Checks of what an experiment means after inheritance that follow from the key table alone: a
// block needs a kind, a knob must belong to its method (or mode), an enum value must be allowed
// for the method, required entries must be there.

import { error } from '../diagnostics';
import { listOf } from '../didYouMean';
import type { EntryBlock } from '../entryTree';
import { allowedChoices, belongsTo } from '../keyTable';
import type { BlockSpec } from '../keys/types';
import { blockSpan, valueNode, type EffectiveScope } from './scope';

/** "a dsee knob", "a finetune or sparse_finetune knob", "a key of task csv, tsv or jsonl". */
function ownerWords(block: BlockSpec, only: readonly string[], what: 'key' | 'block'): string {
  const names = only.length === 1 ? only[0] : `${only.slice(0, -1).join(', ')} or ${only[only.length - 1]}`;
  if (block.name === 'method') return `a ${names} ${what === 'block' ? 'block' : 'knob'}`;
  return `a ${what} of ${block.name} ${names}`;
}

/** Recursively: kinds present, keys and nested blocks belong to the kind, enum values allowed for it. */
export function checkBlockStructure(block: EntryBlock, scope: EffectiveScope): void {
  const spec = block.spec;
  const family = block.kind?.family;
  if (spec.kinds && !block.kind && !block.kindInvalid && block.node && scope.chainComplete) {
    scope.accept(
      error(block.node.key.span, 'missing-kind', `'${spec.name}' needs a ${spec.kindWord}: ${listOf(spec.kinds.map((k) => k.name))}; nothing this experiment extends gives one`),
    );
  }
  const kindText = block.kind ? `${spec.name} ${block.kind.name}` : undefined;
  for (const property of block.properties.values()) {
    const key = property.spec;
    if (kindText && !belongsTo(key, family)) {
      scope.accept(
        error(property.node.key.span, 'wrong-kind', `'${key.name}' is ${ownerWords(spec, key.only ?? [], 'key')}; it has no effect in ${kindText}`),
      );
      continue;
    }
    if (family && key.type.kind === 'enum' && key.type.allowedByKind && Array.isArray(property.value)) {
      const allowed = allowedChoices(key, family);
      for (const item of property.value) {
        if (typeof item === 'string' && !allowed.includes(item)) {
          const node = valueNode(property, item);
          scope.accept(
            error(node?.span ?? property.node.key.span, 'not-for-this-kind', `'${item}' cannot be used in '${key.name}' with ${kindText}; there it takes ${listOf(allowed)}`),
          );
        }
      }
    }
    if (key.modes && family === 'sparse_finetune') {
      const mode = scope.values.get('method.mode');
      if (typeof mode === 'string' && !key.modes.includes(mode)) {
        scope.accept(
          error(property.node.key.span, 'wrong-mode', `'${key.name}' has no effect in mode ${mode}: it applies to mode ${key.modes.join(', ')}`),
        );
      }
    }
  }
  for (const child of block.blocks.values()) {
    if (kindText && !belongsTo(child.spec, family)) {
      const at = child.node?.key.span ?? blockSpan(child);
      if (at) scope.accept(error(at, 'wrong-kind', `'${child.spec.name}' is ${ownerWords(spec, child.spec.only ?? [], 'block')}; it has no effect in ${kindText}`));
      continue;
    }
    checkBlockStructure(child, scope);
  }
}

/** The experiment has a model, a task and a method (written or inherited). */
export function checkRequired(root: EntryBlock, scope: EffectiveScope): void {
  if (!scope.chainComplete) return;
  const name = scope.experiment;
  if (!root.properties.has('model')) {
    scope.accept(error(scope.anchor, 'missing-model', `experiment '${name}' needs a model: add 'model "path/to/checkpoint"' (a Hugging Face folder relative to this file)`));
  }
  if (!root.blocks.has('task')) {
    scope.accept(error(scope.anchor, 'missing-task', `experiment '${name}' needs a task: add e.g. 'task glue.sst2 { data "glue/SST-2" }'`));
  }
  if (!root.blocks.has('method')) {
    scope.accept(error(scope.anchor, 'missing-method', `experiment '${name}' needs a method: add e.g. 'method mask' (finetune, mask, sparse_finetune or dsee)`));
  }
}
