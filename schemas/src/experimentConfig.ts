// One resolved run of a `*.masklab` experiment: what the run manager hands to the trainer and
// saves in the run folder. Every default is explicit, durations are `{amount, unit}`, percentages
// are fractions and paths are absolute (with the reference as the file wrote it beside them).
// Knob names are the language's own keys, so `--set method.lr=…` names the JSON path `method.lr`.
// `experiment.schema.json` (generated from `experimentSchema.ts`) describes the same shape.

export const EXPERIMENT_CONFIG_SCHEMA_VERSION = 1;

export type DurationUnit = 'steps' | 'epochs';

/** `60 steps`, `3 epochs`. */
export interface Duration {
  amount: number;
  unit: DurationUnit;
}

/** A length or point within the run: a fraction of the whole run (`10%` → 0.1) or a duration. */
export type RunPoint = number | Duration;

/** A path as the file wrote it (`ref`) and resolved against the file's folder (`path`, absolute). */
export interface PathRef {
  ref: string;
  path: string;
}

/** A raw parameter-name selector: an anchored glob or an opt-in regular expression. */
export type Selector = { glob: string } | { regex: string };

export type GlueTaskName = 'sst2' | 'mrpc' | 'cola' | 'rte' | 'qnli' | 'stsb' | 'mnli' | 'qqp';
export type FileTaskFormat = 'csv' | 'tsv' | 'jsonl';
export type MatrixName = 'query' | 'key' | 'value' | 'attention_output' | 'intermediate' | 'output';
export type AlsoPart = 'pooler' | 'head' | 'embeddings';
export type LrSchedule = 'constant' | 'linear' | 'cosine';
export type MetricName = 'accuracy' | 'f1' | 'mcc' | 'pearson' | 'spearman';
export type BackendName = 'auto' | 'tensorflow' | 'wasm' | 'wasm_native' | 'cpu';
export type MethodKind = 'finetune' | 'mask' | 'sparse_finetune' | 'dsee';

interface TaskCommon {
  /** Longest tokenised input; longer inputs are truncated. */
  max_length: number;
  /** Use only the first N training examples (null: all of them). */
  max_examples: number | null;
  /** Evaluate on only the first N dev examples (null: all of them). */
  dev_examples: number | null;
  train: PathRef;
  dev: PathRef;
}

export interface GlueTaskConfig extends TaskCommon {
  kind: 'glue';
  name: GlueTaskName;
  /** The GLUE task folder. */
  data: PathRef;
  /** STS-B is a regression task; every other GLUE task is a classification. */
  regression: boolean;
  /** Label values in class-index order as they appear in the files (null for regression). */
  labels: string[] | null;
}

export interface FileTaskConfig extends TaskCommon {
  kind: FileTaskFormat;
  /** The folder holding train.<ext> and dev.<ext>, when the file named one (else null). */
  data: PathRef | null;
  text: string;
  text_pair: string | null;
  label: string;
  /** Label values in class-index order; null: the sorted distinct values of the train file's label column. */
  labels: string[] | null;
}

export type TaskConfig = GlueTaskConfig | FileTaskConfig;

interface MethodCommon {
  lr: number;
  /** Encoder blocks (0-based) whose matrices the method applies to. */
  blocks: number[];
  matrices: MatrixName[];
  also: AlsoPart[];
  select: Selector[];
  weight_decay: number;
  warmup: RunPoint;
  schedule: LrSchedule;
  /** Gradient clipping by global norm; 0 switches it off. */
  max_grad_norm: number;
  adam_beta1: number;
  adam_beta2: number;
  adam_epsilon: number;
}

export interface FinetuneConfig extends MethodCommon {
  kind: 'finetune';
  train_head: boolean;
}

export interface MaskConfig extends MethodCommon {
  kind: 'mask';
  threshold: number;
  init_low: number;
  initial_sparsity: number;
  variant: 'threshold' | 'sign' | 'stochastic';
  target_sparsity: number | null;
  sparsity_schedule_end: RunPoint;
  penalty_lr: number;
}

export interface SparseFinetuneConfig extends MethodCommon {
  kind: 'sparse_finetune';
  mode: 'topk' | 'layers';
  sparsity: number;
  sparsity_schedule: 'constant' | 'linear' | 'cubic';
  schedule_start: RunPoint;
  schedule_end: RunPoint;
  selection: 'topk' | 'threshold' | 'stochastic';
  score_init: 'magnitude' | 'uniform';
  train_head: boolean;
  head_lr: number;
}

export type DseePruneConfig =
  | { kind: 'unstructured'; sparsity: number; retune: Duration }
  | { kind: 'heads'; heads: number; retune: Duration };

export interface DseeConfig extends MethodCommon {
  kind: 'dsee';
  rank: number;
  alpha: number;
  sparse_entries: number;
  support: 'grebsmo' | 'magnitude' | 'random';
  prune: DseePruneConfig | null;
}

export type MethodConfig = FinetuneConfig | MaskConfig | SparseFinetuneConfig | DseeConfig;

export interface TrainConfig {
  epochs: number;
  batch: number;
  seed: number;
  max_steps: number | null;
  grad_accumulation: number;
  checkpoint_every: Duration;
  dropout: number;
}

export interface EvaluateConfig {
  every: Duration;
  metrics: MetricName[];
  keep: 'best' | 'last';
  split: 'dev' | 'train';
}

export interface DeviceConfig {
  backend: BackendName;
  require_gpu: boolean;
  threads: number;
}

/** A value as it appears in `sweep.values` and `source.overrides`. */
export type ConfigValue = number | string | boolean | null | Duration | Selector | ConfigValue[];

export interface ExperimentConfig {
  schemaVersion: 1;
  /** The run's name: the experiment's, or `<sweep>-<index>` for a sweep cell. */
  name: string;
  experiment: string;
  sweep?: {
    name: string;
    /** 0-based cell index. */
    index: number;
    /** Number of cells in the sweep. */
    cells: number;
    /** The cell's values by dotted key (`method.lr`). */
    values: Record<string, ConfigValue>;
  };
  source: {
    /** The experiment file, absolute. */
    file: string;
    /** `--set` overrides by dotted key. */
    overrides: Record<string, ConfigValue>;
  };
  model: { ref: string; dir: string };
  task: TaskConfig;
  method: MethodConfig;
  train: TrainConfig;
  evaluate: EvaluateConfig;
  device: DeviceConfig;
}
