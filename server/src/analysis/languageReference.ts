// docs/language.md, rendered from the key table so the reference cannot drift from what the
// analyser checks. The introduction (grammar, values, units, selectors, extends, sweeps) is
// written here by hand; every block and key section is generated. A test compares the committed
// file with this rendering; regenerate with `npx tsx server/src/analysis/generateFiles.ts`.

import { experimentSpec, papers } from './keyTable';
import type { BlockSpec, KeySpec, PaperId } from './keys/types';
import { describeType } from './valueCheck';
import { formatValue } from './valueFormat';

const GENERATED_NOTE =
  '<!-- Generated from server/src/analysis/keys/*.ts by server/src/analysis/languageReference.ts. Do not edit: run `npx tsx server/src/analysis/generateFiles.ts`. -->';

export function renderLanguageReference(): string {
  const parts = [GENERATED_NOTE, '', INTRODUCTION.trim(), '', '## Reference', ''];
  parts.push(
    'Every block and key, with its type and range, default, the methods it belongs to and the paper it comes from. Keys are written `key value` inside their block; sweeps and `--set` name them with dots (`method.lr`).',
    '',
  );
  parts.push(...renderBlock(experimentSpec, []));
  parts.push('## Papers', '');
  for (const id of Object.keys(papers) as PaperId[]) parts.push(`- <a id="paper-${id}"></a>**${papers[id].short}**: ${papers[id].citation}`);
  parts.push('');
  return parts.join('\n');
}

function renderBlock(block: BlockSpec, path: string[]): string[] {
  const out: string[] = [];
  const level = Math.min(3 + path.length, 5);
  const hashes = '#'.repeat(level);
  if (path.length === 0) {
    out.push(`### The experiment`, '', experimentSpec.doc, '', `\`\`\`\n${block.example}\n\`\`\``, '');
  } else {
    out.push(`${hashes} ${path.join('.')}`, '', block.doc + paperSuffix(block.paper), '');
    if (block.only) out.push(`Belongs to: ${block.only.map((k) => `\`${k}\``).join(', ')}.`, '');
    out.push('```', block.example, '```', '');
    if (block.kinds) {
      out.push(`| ${block.kindWord} | what it is |`, '| --- | --- |');
      for (const kind of block.kinds) out.push(`| \`${kind.name}\` | ${cell(kind.doc + paperSuffix(kind.paper))} |`);
      out.push('');
    }
  }
  for (const key of block.keys) out.push(...renderKey(key, path, block));
  for (const child of block.blocks) out.push(...renderBlock(child, [...path, child.name]));
  return out;
}

function renderKey(key: KeySpec, path: string[], block: BlockSpec): string[] {
  const dotted = [...path, key.name].join('.');
  const level = '#'.repeat(Math.min(4 + path.length, 6));
  const rows: [string, string][] = [['type', describeType(key, undefined)]];
  if (key.type.kind === 'enum') {
    rows.push(['values', key.type.choices.map((c) => `\`${c.name}\` — ${c.doc}`).join('<br>')]);
    if (key.type.allowedByKind) {
      const by = Object.entries(key.type.allowedByKind).map(([kind, names]) => `${kind}: ${(names ?? []).join(', ')}`);
      rows.push([`allowed by ${block.kindWord ?? 'kind'}`, by.join('; ')]);
    }
  }
  rows.push(['default', defaultText(key)]);
  if (key.only) rows.push([block.name === 'method' ? 'method' : `${block.kindWord ?? block.name}`, key.only.join(', ')]);
  if (key.modes) rows.push(['mode', key.modes.join(', ')]);
  if (key.paper) rows.push(['paper', `[${papers[key.paper].short}](#paper-${key.paper})`]);
  return [
    `${level} \`${dotted}\``,
    '',
    key.doc,
    '',
    '| | |',
    '| --- | --- |',
    ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`),
    '',
    `Example: \`${key.example}\``,
    '',
  ];
}

/** The default in words: per method where it differs, computed where it follows other keys. */
export function defaultText(key: KeySpec): string {
  if (key.required) return 'no default: required';
  const parts: string[] = [];
  for (const [kind, value] of Object.entries(key.defaultByKind ?? {})) {
    if (value !== undefined) parts.push(`${kind}: \`${formatValue(value, key.type)}\``);
  }
  if (key.computedDefault) parts.push(key.computedDefault.text);
  else if (key.default !== undefined) {
    const written = `\`${formatValue(key.default, key.type)}\``;
    parts.push(parts.length > 0 ? `otherwise ${written}` : written);
  }
  return parts.length > 0 ? parts.join('; ') : 'no default';
}

function paperSuffix(paper: PaperId | undefined): string {
  return paper ? ` ([${papers[paper].short}](#paper-${paper}))` : '';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

const INTRODUCTION = `
# The Masklab experiment language

A \`*.masklab\` file describes experiments that adapt a pretrained BERT-family model to a task
without storing a fine-tuned copy per task: learning a binary mask over the frozen weights
(\`method mask\`), sparse fine-tuning (\`method sparse_finetune\`), a sparse plus low-rank update
(\`method dsee\`), and full fine-tuning as the baseline (\`method finetune\`). A file reads like the
methods section of a paper:

\`\`\`
// Learn binary masks over a pretrained BERT instead of fine-tuning it (Zhao et al., 2020).
experiment sst2_mask {
  model "models/bert-tiny"                 // a Hugging Face folder, relative to this file
  task glue.sst2 {
    data       "glue/SST-2"
    max_length 64
  }
  method mask {
    blocks           all
    matrices         query, key, value, attention_output, intermediate, output
    also             pooler, head
    initial_sparsity 5%
    lr               1e-3
  }
  train    { epochs 10  batch 32  seed 42 }
  evaluate { every 60 steps  metrics accuracy  keep best }
}

// The baseline the paper compares against: only the method changes.
experiment sst2_finetune extends sst2_mask {
  method finetune { lr 2e-5  warmup 10% }
}

// Six runs, addressable by index 0..5 from a job scheduler.
sweep seeds_and_rates of sst2_mask {
  train.seed 1..3
  method.lr  1e-4, 1e-3
}
\`\`\`

Every experiment resolves to one JSON document per run, with every default written out: the
*resolved config* described by \`schemas/experiment.schema.json\`. The trainer receives only that
document, so the editor and the trainer cannot disagree about a file.

## Grammar

\`\`\`
file        = { experiment | sweep } ;
experiment  = "experiment" NAME [ "extends" NAME ] "{" { entry } "}" ;
sweep       = "sweep" NAME "of" NAME "{" { axis } "}" ;
entry       = KEY value { "," value }            (* a key:   lr 1e-3 *)
            | KEY [ KIND ] "{" { entry } "}"      (* a block: method mask { … } *)
            | KEY KIND ;                          (* a block with every default: method mask *)
axis        = KEY { "." KEY } value { "," value } ;
value       = NUMBER | PERCENT | DURATION | STRING | REGEX | RANGE | IDENTIFIER ;
\`\`\`

Entries are separated by white space: one per line, or several on a line
(\`train { epochs 10  batch 32 }\`). Comments are \`// …\` to the end of the line and \`/* … */\`.
Names are letters, digits and \`_\`, not starting with a digit. Experiment and sweep names share
one namespace in a file.

## Values

| kind | written | meaning |
| --- | --- | --- |
| number | \`32\`, \`0.1\`, \`1e-3\` | a plain number; integer keys reject fractions |
| percentage | \`5%\` | the fraction 0.05; wherever a fraction is expected, \`5%\` and \`0.05\` are the same |
| duration | \`60 steps\`, \`1 epoch\`, \`3 epochs\` | a length of training; the unit stands on the same line as the number |
| string | \`"models/tiny"\` | paths and column names; escapes \`\\"\` \`\\\\\` \`\\n\` \`\\t\` \`\\u{…}\` |
| identifier | \`mask\`, \`glue.sst2\`, \`linear\` | a choice from the key's list; may contain dots |
| boolean | \`true\`, \`false\` | identifiers |
| none | \`none\` | for optional keys: switched off (\`target_sparsity none\`) or an empty list (\`also none\`); clears an inherited value |
| list | \`query, key, value\` | comma-separated values, for keys that take several |
| range | \`2..11\` | the integers 2 to 11 inclusive (block numbers; in sweeps, one cell per integer) |
| regular expression | \`re"encoder\\.layer\\.\\d+\\..*"\` | an opt-in regular-expression selector; only \`\\"\` is an escape inside |

## Units

- **Steps** are optimiser steps: one step sees \`batch × grad_accumulation\` examples.
- **Epochs** are passes over the training data (the first \`max_examples\` of it, when set).
- Keys that place something *within* the run (\`warmup\`, \`schedule_start\`, \`schedule_end\`,
  \`sparsity_schedule_end\`) take either a percentage of the whole run (\`10%\`) or a duration.
- The run ends after \`train.epochs\` or \`train.max_steps\`, whichever comes first. A warm-up or a
  schedule end that lies beyond the run is an error. Steps are computed from epochs only when the
  dataset size is known (\`task.max_examples\`); otherwise durations are compared only with
  durations of the same unit, so no check guesses how large a data file is.

## Paths and models

Paths are relative to the file that writes them. \`model\` names a Hugging Face folder
(\`config.json\`, \`vocab.txt\`, \`model.safetensors\`) or \`"hf:owner/name"\` (optionally
\`@revision\`) for a model already in the local Hugging Face cache; nothing is ever downloaded.
A missing or unreadable checkpoint is reported on the \`model\` line with the reason. Task data
folders and files must exist.

## Selecting parameters

What a method changes is a selection of the checkpoint's parameters, checked against the real
parameter names; a selection that matches nothing is an error, and the editor shows how many
tensors and parameters each selection matched.

- \`blocks\` × \`matrices\`: the named weight matrices (\`query\`, \`key\`, \`value\`,
  \`attention_output\`, \`intermediate\`, \`output\`) of the chosen encoder blocks (0-based;
  \`all\`, numbers, ranges, lists). A block beyond the model's layer count is an error.
- \`also\`: parts outside the blocks — \`pooler\`, \`head\` (the classification head, created at
  training time when the checkpoint has none) and, for finetune, \`embeddings\`.
- \`select\`: raw selectors over parameter names, in addition to the above. Names are the
  checkpoint's names with the backbone prefix (\`bert.\`, \`roberta.\`) removed; a selector written
  with the prefix matches too. A quoted selector is an *anchored glob*: it must match the whole
  name; \`*\` matches within one dot-separated part, \`**\` any number of whole parts, \`{2..11}\` an
  integer range and \`{a,b}\` alternatives, so \`"encoder.layer.1.*.weight"\` never reaches block 10.
  \`re"…"\` is a JavaScript regular expression, also anchored.
- Masking, sparse fine-tuning (mode topk) and DSEE change weight matrices only: biases,
  LayerNorm parameters and embeddings are never masked, and a \`select\` that matches only those
  is an error. Fine-tuning (and sparse_finetune mode layers) trains whatever is selected.

## Extending an experiment

\`experiment child extends parent { … }\` starts from everything \`parent\` means (itself possibly
extended) and applies what \`child\` writes:

- a key overrides the inherited key; \`none\` clears an optional one;
- a block merges key by key with the inherited block of the same name;
- a block of a different kind replaces the inherited block entirely (\`method finetune { … }\`
  over \`method mask { … }\` keeps none of the mask knobs);
- a block written without its kind (\`method { lr 3e-4 }\`) keeps the inherited kind.

\`extends\` of an unknown experiment and \`extends\` cycles are errors. A problem that only appears
through inheritance (the child shortens \`train.epochs\` below the parent's warm-up) is reported on
the child, pointing at the inherited entry.

## Sweeps

\`sweep NAME of EXPERIMENT { … }\` lists axes: a dotted key and its values. The cells are the
cartesian product of the axes, the first axis varying slowest; they are numbered from 0, and
each cell is one run named \`NAME-INDEX\`. A range (\`1..3\`) gives one cell per integer. The axis
\`method\` switches the method (the method block is replaced by the new kind with its defaults).
Every axis key and value is checked like an entry; when the sweep is small, every cell is also
resolved and a cell that cannot run (say, a warm-up longer than a swept epoch count) is reported
on the sweep.

\`\`\`
sweep lr_by_method of sst2_mask {
  method     mask, sparse_finetune     // slowest
  method.lr  1e-4, 3e-4, 1e-3          // fastest: cells 0..5
}
\`\`\`

## Overrides

The command line changes one run without editing the file: \`--set key=value\` with the dotted key
and a value in this language's syntax (\`--set method.lr=3e-4\`, \`--set method.warmup=10%\`,
\`--set method.matrices=query,value\`, \`--set method=dsee\`, \`--set method.prune=none\`). Quotes
around paths and column names may be left out. An override is checked like any entry (unknown keys
get a did-you-mean), the experiment's checks run again with it applied, and the resolved config
records it under \`source.overrides\`.

## What is checked

Nothing is silently ignored. Errors (and a few warnings) name the line, what was expected and a
fix, with \`did you mean '…'?\` quick fixes where a name is close to a known one:

- unknown blocks, keys, methods, tasks and values; duplicate keys and blocks (pointing at the first);
- every value's type and range (\`lr\` > 0, sparsities in [0, 1), batch sizes 1..4096, integer steps);
- knobs of another method (\`'rank' is a dsee knob; it has no effect in method mask\`) and knobs
  of another mode; contradictions (\`train_head false\` with \`also head\`, \`require_gpu true\` with
  a CPU backend) and knobs that have no effect;
- warm-ups and schedules that end after the run, \`schedule_start\` not before \`schedule_end\`;
- metrics that do not fit the task (correlations for classification, F1 for three classes);
- missing model, data folders and files; an unreadable or corrupt checkpoint;
- blocks beyond the model's layers, selections that match nothing, DSEE ranks and head pruning
  larger than the model allows, \`max_length\` beyond the model's positions;
- sweeps over keys that do not exist, \`extends\` of unknown experiments, \`extends\` cycles,
  duplicate experiment and sweep names.
`;
