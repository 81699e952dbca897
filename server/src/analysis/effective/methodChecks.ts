// Combinations of knobs that cannot all mean what they say, and points in the run (warm-up,
// schedule ends, evaluation) that fall outside it.

import type { RunPoint } from '../../../../schemas/src/experimentConfig';
import { error, warning } from '../diagnostics';
import type { EntryBlock, EntryProperty } from '../entryTree';
import { comparePoints, endsAfterRun, formatPoint } from '../runLength';
import { formatValue, isDuration } from '../valueFormat';
import { valueNode, valueSpan, type EffectiveScope } from './scope';

function isPoint(v: unknown): v is RunPoint {
  return typeof v === 'number' || isDuration(v);
}

/** A written key that does nothing because of another key's value. */
function noEffect(property: EntryProperty | undefined, because: string, scope: EffectiveScope): void {
  if (property) scope.accept(warning(property.node.key.span, 'no-effect', `'${property.spec.name}' has no effect ${because}`));
}

export function checkMethodCombinations(method: EntryBlock | undefined, scope: EffectiveScope): void {
  if (!method?.kind) return;
  const v = scope.values;
  const p = (name: string) => method.properties.get(name);
  switch (method.kind.name) {
    case 'finetune': {
      const trainHead = p('train_head');
      const also = p('also');
      if (trainHead && also && typeof trainHead.value === 'boolean' && Array.isArray(also.value)) {
        const listed = also.value.includes('head');
        if (listed !== trainHead.value) {
          scope.accept(
            error(trainHead.node.key.span, 'contradiction', `train_head ${trainHead.value} contradicts 'also', which ${listed ? 'lists' : 'leaves out'} head; write one of them`, {
              related: [{ span: also.node.key.span, message: `'also' ${listed ? 'lists' : 'leaves out'} head here` }],
            }),
          );
        }
      }
      break;
    }
    case 'mask': {
      const variant = v.get('method.variant');
      if (variant !== 'threshold') noEffect(p('threshold'), `with variant ${String(variant)}: only variant threshold compares scores with τ`, scope);
      const threshold = v.number('method.threshold');
      const low = v.number('method.init_low');
      if (variant === 'threshold' && threshold !== undefined && low !== undefined && threshold <= -low) {
        const at = p('threshold') ?? p('init_low');
        if (at) {
          scope.accept(
            error(valueSpan(at), 'impossible-initialisation', `threshold ${threshold} must exceed −init_low (−${low}): scores start in U(−${low}, c), and no c puts exactly initial_sparsity of them at or below τ`),
          );
        }
      }
      const target = v.get('method.target_sparsity');
      if (target === null) {
        noEffect(p('sparsity_schedule_end'), 'without target_sparsity', scope);
        noEffect(p('penalty_lr'), 'without target_sparsity', scope);
      } else if (typeof target === 'number') {
        const initial = v.number('method.initial_sparsity');
        const at = p('target_sparsity');
        if (initial !== undefined && target < initial && at) {
          scope.accept(
            warning(valueSpan(at), 'target-below-initial', `target_sparsity ${formatValue(target, { kind: 'runPoint' })} is below initial_sparsity ${formatValue(initial, { kind: 'runPoint' })}: the schedule would have to unmask weights`),
          );
        }
        checkInsideRun(p('sparsity_schedule_end'), 'the sparsity schedule', scope);
      }
      break;
    }
    case 'sparse_finetune': {
      if (v.get('method.train_head') === false) noEffect(p('head_lr'), 'with train_head false: the head is not trained', scope);
      if (v.get('method.mode') !== 'topk') break; // topk-only knobs were reported by the structure checks
      const schedule = v.get('method.sparsity_schedule');
      if (schedule === 'constant') {
        noEffect(p('schedule_start'), 'with sparsity_schedule constant', scope);
        noEffect(p('schedule_end'), 'with sparsity_schedule constant', scope);
      }
      const start = v.get('method.schedule_start');
      const end = v.get('method.schedule_end');
      const startEntry = p('schedule_start');
      const endEntry = p('schedule_end');
      if ((startEntry || endEntry) && isPoint(start) && isPoint(end)) {
        const order = comparePoints(start, end, scope.run);
        if (order !== undefined && order >= 0) {
          const at = (startEntry ?? endEntry) as EntryProperty;
          scope.accept(
            error(valueSpan(at), 'schedule-order', `schedule_start (${formatPoint(start)}) must precede schedule_end (${formatPoint(end)})`, {
              related: startEntry && endEntry ? [{ span: valueSpan(endEntry), message: 'schedule_end is set here' }] : undefined,
            }),
          );
        }
      }
      checkInsideRun(endEntry, 'the sparsity schedule', scope);
      break;
    }
    case 'dsee': {
      const prune = method.blocks.get('prune');
      if (prune?.kind?.name === 'unstructured' && prune.properties.get('sparsity')?.value === 0) {
        noEffect(prune.properties.get('sparsity'), 'at 0%: nothing is pruned; remove the prune block instead', scope);
      }
      break;
    }
  }
  checkInsideRun(p('warmup'), 'the warm-up', scope);
}

/** A written point of the run (warm-up, schedule end) that ends after the run does. */
function checkInsideRun(property: EntryProperty | undefined, what: string, scope: EffectiveScope): void {
  if (!property || !isPoint(property.value)) return;
  if (endsAfterRun(property.value, scope.run)) {
    scope.accept(
      error(valueSpan(property), 'longer-than-run', `${what} (${formatPoint(property.value)}) is longer than the run (${scope.run.description})`, {
        related: runRelated(scope),
      }),
    );
  }
}

function runRelated(scope: EffectiveScope) {
  const related = [];
  for (const key of ['train.epochs', 'train.max_steps', 'task.max_examples']) {
    const written = scope.values.written(key);
    if (written) related.push({ span: written.node.span, message: `${key} is set here` });
  }
  return related.length > 0 ? related : undefined;
}

/** Evaluation and checkpoints spaced wider than the run happen only at its end. */
export function checkEvaluation(evaluate: EntryBlock | undefined, scope: EffectiveScope): void {
  const every = evaluate?.properties.get('every');
  if (every && isPoint(every.value) && endsAfterRun(every.value, scope.run)) {
    scope.accept(
      warning(valueSpan(every), 'longer-than-run', `evaluating every ${formatPoint(every.value)} is longer than the run (${scope.run.description}): the run is evaluated only at its end`),
    );
  }
}

export function checkTrain(train: EntryBlock | undefined, scope: EffectiveScope): void {
  const every = train?.properties.get('checkpoint_every');
  if (every && isPoint(every.value) && endsAfterRun(every.value, scope.run)) {
    scope.accept(
      warning(valueSpan(every), 'longer-than-run', `checkpoint_every ${formatPoint(every.value)} is longer than the run (${scope.run.description}): no checkpoint is saved before the end`),
    );
  }
}

export function checkDevice(device: EntryBlock | undefined, scope: EffectiveScope): void {
  const requireGpu = device?.properties.get('require_gpu');
  const backend = scope.values.get('device.backend');
  if (requireGpu?.value === true && (backend === 'wasm' || backend === 'cpu')) {
    const at = device?.properties.get('backend');
    scope.accept(
      error(valueSpan(requireGpu), 'contradiction', `require_gpu true cannot be met with backend ${backend}, which never uses a GPU: use backend auto or tensorflow`, {
        related: at ? [{ span: valueNode(at, backend)?.span ?? at.node.span, message: `backend ${backend} is chosen here` }] : undefined,
      }),
    );
  }
}
