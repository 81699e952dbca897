// Public face of the task-data module: the trainer describes a task with a TaskSpec, resolves
// its labels once, then loads or streams its splits.
export type { Example, LabelSpace, Split } from './example';
export { labelCount } from './example';
export type { TaskSpec, GlueTaskSpec, FileTaskSpec, FileTaskFormat, GlueTaskName } from './taskSpec';
export { DataError } from './dataError';
export { resolveLabelSpace, readExamples, loadSplit, type LoadSplitOptions, type LoadedSplit } from './taskExamples';
export { splitSource, type SplitSource } from './taskFiles';
export { glueTaskFormats } from './glueTaskFormats';
export { epochOrder, shuffleForEpoch } from './exampleOrder';
export { sortLabelValues } from './labels';
