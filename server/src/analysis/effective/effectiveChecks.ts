// The checks of an experiment's effective entries, registered by the block they look at. They
// run after inheritance, for the analyser and again for resolution when `--set` overrides or a
// sweep cell change the entries.

import { CheckRegistry } from '../checkRegistry';
import { checkDevice, checkEvaluation, checkMethodCombinations, checkTrain } from './methodChecks';
import { checkModel, checkModelLimits, checkSelections } from './modelChecks';
import type { EffectiveKinds, EffectiveScope } from './scope';
import { checkBlockStructure, checkRequired } from './structureChecks';
import { checkMetrics, checkTask } from './taskChecks';

export const effectiveChecks = new CheckRegistry<EffectiveKinds, EffectiveScope>()
  .register('experiment', checkRequired, checkBlockStructure, checkModel)
  .register('task', checkTask)
  .register('method', checkMethodCombinations)
  .register('train', checkTrain)
  .register('evaluate', checkEvaluation, checkMetrics)
  .register('device', checkDevice)
  // Model-aware checks need the whole experiment (task labels, method) and the model that
  // checkModel read, so they are registered after it.
  .register('experiment', (_root, scope) => {
    checkModelLimits(scope);
    checkSelections(scope);
  });

/** Runs every check; `scope.model` is filled in by the model check for the ones after it. */
export function runEffectiveChecks(scope: EffectiveScope): void {
  const root = scope.root;
  effectiveChecks.run('task', root.blocks.get('task'), scope);
  effectiveChecks.run('method', root.blocks.get('method'), scope);
  effectiveChecks.run('train', root.blocks.get('train'), scope);
  effectiveChecks.run('evaluate', root.blocks.get('evaluate'), scope);
  effectiveChecks.run('device', root.blocks.get('device'), scope);
  effectiveChecks.run('experiment', root, scope);
}
