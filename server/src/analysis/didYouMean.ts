import type { Span } from '../dsl/ast';
import { suggest } from '../dsl/suggest';
import type { QuickFix } from './diagnostics';

/**
 * "unknown X 'word'; did you mean 'y'?" with a quick fix, or the list of what is allowed when
 * nothing is close. The wording is fixed: tests and users search for `did you mean 'y'?`.
 */
export function unknownName(
  what: string,
  word: string,
  candidates: readonly string[],
  span: Span,
): { message: string; fix?: QuickFix; suggestion?: string } {
  const best = word === '' ? undefined : (suggest(word, candidates) ?? aliasFor(word, candidates));
  if (best !== undefined) {
    return {
      message: `unknown ${what} '${word}'; did you mean '${best}'?`,
      fix: { span, newText: best, title: `Change to '${best}'` },
      suggestion: best,
    };
  }
  return { message: `unknown ${what} '${word}'; expected ${listOf(candidates)}` };
}

/**
 * Names users bring from Hugging Face Trainer, PEFT and friends, which are too far from ours for
 * an edit distance to find.
 */
const knownAliases: Record<string, string> = {
  learning_rate: 'lr',
  batch_size: 'batch',
  per_device_train_batch_size: 'batch',
  train_batch_size: 'batch',
  num_epochs: 'epochs',
  num_train_epochs: 'epochs',
  warmup_steps: 'warmup',
  warmup_ratio: 'warmup',
  max_seq_length: 'max_length',
  max_seq_len: 'max_length',
  seq_len: 'max_length',
  lora_r: 'rank',
  r: 'rank',
  lora_alpha: 'alpha',
  layers: 'blocks',
  target_modules: 'matrices',
  eval_steps: 'every',
  metric: 'metrics',
  random_seed: 'seed',
  max_grad_norm: 'max_grad_norm',
};

/** Our name for a foreign name (or a misspelling of one), whatever the block. */
export function ourNameFor(word: string): string | undefined {
  const foreign = knownAliases[word.toLowerCase()] !== undefined ? word.toLowerCase() : suggest(word, Object.keys(knownAliases));
  return foreign === undefined ? undefined : knownAliases[foreign];
}

/** Our name for a foreign one (or a misspelling of one), when it is allowed here. */
function aliasFor(word: string, candidates: readonly string[]): string | undefined {
  const ours = ourNameFor(word);
  return ours !== undefined && candidates.includes(ours) ? ours : undefined;
}

/** `a, b or c` (at most a dozen; a longer list ends with `…`). */
export function listOf(names: readonly string[]): string {
  if (names.length === 0) return 'nothing here';
  const shown = names.length > 12 ? [...names.slice(0, 12), '…'] : [...names];
  if (shown.length === 1) return `'${shown[0]}'`;
  return `${shown.slice(0, -1).map((n) => (n === '…' ? n : `'${n}'`)).join(', ')} or ${shown[shown.length - 1] === '…' ? '…' : `'${shown[shown.length - 1]}'`}`;
}
