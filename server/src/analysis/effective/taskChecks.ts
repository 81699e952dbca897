// The task's data must be there (paths relative to the experiment file), and the metrics must
// suit the task: correlations for regression, classification metrics otherwise.

import * as path from 'node:path';
import { error, type Diagnostic } from '../diagnostics';
import type { EntryBlock, EntryProperty } from '../entryTree';
import { glueTasks, isGlueTaskName } from '../glueTasks';
import { valueNode, valueSpan, type EffectiveScope } from './scope';

export function checkTask(task: EntryBlock | undefined, scope: EffectiveScope): void {
  if (!task?.kind) return;
  const anchor = task.kind.node.span;
  const data = task.properties.get('data');
  if (task.kind.family === 'glue') {
    const name = task.kind.name.slice('glue.'.length);
    if (!data) {
      scope.accept(error(anchor, 'missing-data', `task ${task.kind.name} needs 'data': the GLUE task folder with ${glueFileWords(name)}`));
      return;
    }
    if (typeof data.value !== 'string' || !isGlueTaskName(name)) return;
    const folder = checkFolder(data, scope);
    if (!folder) return;
    const facts = glueTasks[name];
    for (const [split, candidates] of [['train', facts.trainFiles], ['dev', facts.devFiles]] as const) {
      if (!candidates.some((file) => scope.files.pathKind(path.join(folder, file)) !== undefined)) {
        scope.accept(
          error(valueSpan(data), 'missing-file', `the ${split} file of ${task.kind.name} is not in ${data.value}: expected ${candidates.join(' or ')} in ${folder}`),
        );
      }
    }
    return;
  }
  const format = task.kind.name;
  const train = task.properties.get('train');
  const dev = task.properties.get('dev');
  const folder = data && typeof data.value === 'string' && (!train || !dev) ? checkFolder(data, scope) : undefined;
  for (const [split, file] of [['train', train], ['dev', dev]] as const) {
    if (file) {
      if (typeof file.value === 'string') checkFile(file, scope);
    } else if (!data) {
      scope.accept(
        error(anchor, 'missing-data', `task ${format} needs '${split}' (a file) or 'data' (a folder holding train.${format} and dev.${format})`),
      );
    } else if (folder) {
      const expected = path.join(folder, `${split}.${format}`);
      if (scope.files.pathKind(expected) === undefined) {
        scope.accept(error(valueSpan(data), 'missing-file', `${data.value as string} has no ${split}.${format} (looked for ${expected}); add it or name the file with '${split}'`));
      }
    }
  }
}

function glueFileWords(name: string): string {
  if (!isGlueTaskName(name)) return 'train.tsv and dev.tsv';
  const facts = glueTasks[name];
  return `${facts.trainFiles.join(' or ')} and ${facts.devFiles.join(' or ')}`;
}

/** The folder's absolute path when it exists as a folder, else reports and returns undefined. */
function checkFolder(property: EntryProperty, scope: EffectiveScope): string | undefined {
  const ref = property.value as string;
  const absolute = scope.files.absolute(ref);
  const kind = scope.files.pathKind(absolute);
  if (kind === undefined) {
    scope.accept(pathError(property, `the folder "${ref}" does not exist (looked for ${absolute}; paths are relative to this file)`));
    return undefined;
  }
  if (kind === 'file' && !scope.files.existenceOnly) {
    scope.accept(pathError(property, `"${ref}" is a file, but '${property.spec.name}' names a folder (${absolute})`));
    return undefined;
  }
  return absolute;
}

function checkFile(property: EntryProperty, scope: EffectiveScope): void {
  const ref = property.value as string;
  const absolute = scope.files.absolute(ref);
  const kind = scope.files.pathKind(absolute);
  if (kind === undefined) {
    scope.accept(pathError(property, `the file "${ref}" does not exist (looked for ${absolute}; paths are relative to this file)`));
  } else if (kind === 'directory') {
    scope.accept(pathError(property, `"${ref}" is a folder, but '${property.spec.name}' names a file (${absolute})`));
  }
}

function pathError(property: EntryProperty, message: string): Diagnostic {
  return error(valueSpan(property), 'missing-path', message);
}

const REGRESSION_METRICS = ['pearson', 'spearman'];

/** Metrics that cannot be computed for the task. */
export function checkMetrics(evaluate: EntryBlock | undefined, scope: EffectiveScope): void {
  const metrics = evaluate?.properties.get('metrics');
  const task = scope.root.blocks.get('task')?.kind;
  if (!metrics || !Array.isArray(metrics.value) || !task) return;
  const glueName = task.family === 'glue' ? task.name.slice('glue.'.length) : undefined;
  const facts = glueName && isGlueTaskName(glueName) ? glueTasks[glueName] : undefined;
  const regression = facts ? facts.labels === null : false;
  let labelCount: number | undefined;
  if (facts?.labels) labelCount = facts.labels.length;
  else if (!facts) {
    const labels = scope.values.get('task.labels');
    if (Array.isArray(labels) && labels.length > 0) labelCount = labels.length;
  }
  for (const metric of metrics.value) {
    if (typeof metric !== 'string') continue;
    const at = valueNode(metrics, metric)?.span ?? metrics.node.key.span;
    if (regression && !REGRESSION_METRICS.includes(metric)) {
      scope.accept(error(at, 'metric-for-task', `'${metric}' needs class labels, but ${task.name} is a regression task: use pearson or spearman`));
    } else if (!regression && REGRESSION_METRICS.includes(metric)) {
      scope.accept(error(at, 'metric-for-task', `'${metric}' is a correlation for regression tasks, but ${task.name} is a classification: use accuracy, f1 or mcc`));
    } else if (metric === 'f1' && labelCount !== undefined && labelCount !== 2) {
      scope.accept(error(at, 'metric-for-task', `'f1' is the F1 of the positive class of a two-class task, but ${task.name} has ${labelCount} labels: use accuracy or mcc`));
    }
  }
}
