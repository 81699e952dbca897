// Dotted keys (`method.lr`, `train.seed`, `method.prune.sparsity`, `method`) as sweeps and `--set`
// write them, looked up in the key table.

import type { Span } from '../dsl/ast';
import type { QuickFix } from './diagnostics';
import { listOf } from './didYouMean';
import { suggest } from '../dsl/suggest';
import { entryNames, experimentSpec, findBlock, findKey } from './keyTable';
import type { BlockSpec, KeySpec } from './keys/types';

export type KeyPathTarget =
  /** A key: `method.lr` → the lr knob in the method block. */
  | { kind: 'key'; blockPath: string[]; block: BlockSpec; key: KeySpec }
  /** A block's kind: `method` → finetune / mask / …, `method.prune` → unstructured / heads. */
  | { kind: 'block-kind'; blockPath: string[]; block: BlockSpec };

export interface KeyPathProblem {
  /** Which part is wrong (0-based), so the caller can point at it. */
  part: number;
  message: string;
  suggestion?: string;
}

export function lookupKeyPath(parts: readonly string[]): { target: KeyPathTarget } | { problem: KeyPathProblem } {
  let block: BlockSpec = experimentSpec;
  const path: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const name = parts[i];
    const last = i === parts.length - 1;
    const key = last ? findKey(block, name) : undefined;
    if (key) return { target: { kind: 'key', blockPath: path, block, key } };
    const child = findBlock(block, name);
    if (child) {
      if (last) {
        if (child.kinds) return { target: { kind: 'block-kind', blockPath: [...path, name], block: child } };
        const example = child.keys[0]?.name ?? 'key';
        return { problem: { part: i, message: `'${[...parts].join('.')}' is a block; name one of its keys, e.g. '${[...path, name, example].join('.')}'` } };
      }
      block = child;
      path.push(name);
      continue;
    }
    if (!last && findKey(block, name)) {
      return { problem: { part: i + 1, message: `'${[...path, name].join('.')}' is a key and has no '${parts[i + 1]}' inside it` } };
    }
    const candidates = last ? entryNames(block) : block.blocks.map((b) => b.name);
    const best = suggest(name, candidates);
    const whole = parts.join('.');
    if (best !== undefined) {
      const fixed = [...parts.slice(0, i), best, ...parts.slice(i + 1)].join('.');
      return { problem: { part: i, message: `unknown key '${whole}'; did you mean '${fixed}'?`, suggestion: best } };
    }
    const prefix = path.length > 0 ? `${path.join('.')}.` : '';
    return { problem: { part: i, message: `unknown key '${whole}'; expected ${listOf(candidates.map((c) => prefix + c))}` } };
  }
  return { problem: { part: 0, message: 'empty key' } };
}

/** The quick fix for a problem at `part`, given the spans of the parts. */
export function keyPathFix(problem: KeyPathProblem, partSpans: readonly Span[]): QuickFix | undefined {
  const span = partSpans[problem.part];
  return problem.suggestion !== undefined && span ? { span, newText: problem.suggestion, title: `Change to '${problem.suggestion}'` } : undefined;
}
