// The JSON Schema (draft 2020-12) of one resolved run (`ExperimentConfig` in experimentConfig.ts).
// `schemas/experiment.schema.json` is this object written out; a test keeps the two identical, so
// edit here and regenerate with `npx tsx server/src/analysis/generateFiles.ts`.

type Schema = { [key: string]: unknown };

const number = { type: 'number' };
const positive = { type: 'number', exclusiveMinimum: 0 };
const nonNegative = { type: 'number', minimum: 0 };
const positiveInteger = { type: 'integer', minimum: 1 };
const fraction = { type: 'number', minimum: 0, exclusiveMaximum: 1 };
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
const ref = (name: string): Schema => ({ $ref: `#/$defs/${name}` });
const enumOf = (...values: string[]): Schema => ({ type: 'string', enum: values });
const object = (properties: Record<string, Schema>, optional: string[] = []): Schema => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  additionalProperties: false,
});

const methodCommon: Record<string, Schema> = {
  lr: positive,
  blocks: { type: 'array', items: { type: 'integer', minimum: 0 }, uniqueItems: true },
  matrices: { type: 'array', items: ref('matrix'), uniqueItems: true },
  also: { type: 'array', items: enumOf('pooler', 'head', 'embeddings'), uniqueItems: true },
  select: { type: 'array', items: ref('selector') },
  weight_decay: nonNegative,
  warmup: ref('runPoint'),
  schedule: enumOf('constant', 'linear', 'cosine'),
  max_grad_norm: nonNegative,
  adam_beta1: fraction,
  adam_beta2: fraction,
  adam_epsilon: positive,
};

const taskCommon: Record<string, Schema> = {
  max_length: { type: 'integer', minimum: 1, maximum: 512 },
  max_examples: nullable(positiveInteger),
  dev_examples: nullable(positiveInteger),
  train: ref('pathRef'),
  dev: ref('pathRef'),
};

export const experimentConfigSchema: Schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://masklab.dev/schemas/experiment.schema.json',
  title: 'Masklab resolved experiment',
  description:
    'One run of a *.masklab experiment with every default explicit: durations as {amount, unit}, percentages as fractions, paths absolute.',
  ...object(
    {
      schemaVersion: { const: 1 },
      name: { type: 'string', minLength: 1 },
      experiment: { type: 'string', minLength: 1 },
      sweep: object({
        name: { type: 'string', minLength: 1 },
        index: { type: 'integer', minimum: 0 },
        cells: positiveInteger,
        values: { type: 'object', additionalProperties: ref('value') },
      }),
      source: object({
        file: { type: 'string', minLength: 1 },
        overrides: { type: 'object', additionalProperties: ref('value') },
      }),
      model: object({ ref: { type: 'string', minLength: 1 }, dir: { type: 'string', minLength: 1 } }),
      task: { oneOf: [ref('glueTask'), ref('fileTask')] },
      method: { oneOf: [ref('finetune'), ref('mask'), ref('sparseFinetune'), ref('dsee')] },
      train: object({
        epochs: positive,
        batch: { type: 'integer', minimum: 1, maximum: 4096 },
        seed: { type: 'integer' },
        max_steps: nullable(positiveInteger),
        grad_accumulation: positiveInteger,
        checkpoint_every: ref('duration'),
        dropout: fraction,
      }),
      evaluate: object({
        every: ref('duration'),
        metrics: {
          type: 'array',
          items: enumOf('accuracy', 'f1', 'mcc', 'pearson', 'spearman'),
          minItems: 1,
          uniqueItems: true,
        },
        keep: enumOf('best', 'last'),
        split: enumOf('dev', 'train'),
      }),
      device: object({
        backend: enumOf('auto', 'tensorflow', 'wasm', 'wasm_native', 'cpu'),
        require_gpu: { type: 'boolean' },
        threads: positiveInteger,
      }),
    },
    ['sweep'],
  ),
  $defs: {
    duration: object({ amount: nonNegative, unit: enumOf('steps', 'epochs') }),
    runPoint: { anyOf: [{ type: 'number', minimum: 0, maximum: 1 }, ref('duration')] },
    pathRef: object({ ref: { type: 'string' }, path: { type: 'string', minLength: 1 } }),
    selector: {
      oneOf: [object({ glob: { type: 'string', minLength: 1 } }), object({ regex: { type: 'string', minLength: 1 } })],
    },
    matrix: enumOf('query', 'key', 'value', 'attention_output', 'intermediate', 'output'),
    value: {
      anyOf: [
        { type: ['number', 'string', 'boolean', 'null'] },
        ref('duration'),
        ref('selector'),
        { type: 'array', items: ref('value') },
      ],
    },
    glueTask: object({
      kind: { const: 'glue' },
      name: enumOf('sst2', 'mrpc', 'cola', 'rte', 'qnli', 'stsb', 'mnli', 'qqp'),
      data: ref('pathRef'),
      regression: { type: 'boolean' },
      labels: nullable({ type: 'array', items: { type: 'string' }, minItems: 2 }),
      ...taskCommon,
    }),
    fileTask: object({
      kind: enumOf('csv', 'tsv', 'jsonl'),
      data: nullable(ref('pathRef')),
      text: { type: 'string', minLength: 1 },
      text_pair: nullable({ type: 'string', minLength: 1 }),
      label: { type: 'string', minLength: 1 },
      labels: nullable({ type: 'array', items: { type: 'string' }, minItems: 2, uniqueItems: true }),
      ...taskCommon,
    }),
    finetune: object({ kind: { const: 'finetune' }, ...methodCommon, train_head: { type: 'boolean' } }),
    mask: object({
      kind: { const: 'mask' },
      ...methodCommon,
      threshold: number,
      init_low: nonNegative,
      initial_sparsity: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
      variant: enumOf('threshold', 'sign', 'stochastic'),
      target_sparsity: nullable(fraction),
      sparsity_schedule_end: ref('runPoint'),
      penalty_lr: positive,
    }),
    sparseFinetune: object({
      kind: { const: 'sparse_finetune' },
      ...methodCommon,
      mode: enumOf('topk', 'layers'),
      sparsity: fraction,
      sparsity_schedule: enumOf('constant', 'linear', 'cubic'),
      schedule_start: ref('runPoint'),
      schedule_end: ref('runPoint'),
      selection: enumOf('topk', 'threshold', 'stochastic'),
      score_init: enumOf('magnitude', 'uniform'),
      train_head: { type: 'boolean' },
      head_lr: positive,
    }),
    dsee: object({
      kind: { const: 'dsee' },
      ...methodCommon,
      rank: positiveInteger,
      alpha: positive,
      sparse_entries: { type: 'integer', minimum: 0 },
      support: enumOf('grebsmo', 'magnitude', 'random'),
      prune: nullable({
        oneOf: [
          object({ kind: { const: 'unstructured' }, sparsity: fraction, retune: ref('duration') }),
          object({ kind: { const: 'heads' }, heads: positiveInteger, retune: ref('duration') }),
        ],
      }),
    }),
  },
};
