// The `model` line on hover: the checkpoint's architecture in one line and a few facts, or the one
// sentence saying why it cannot be read.

import type { ModelState } from '../analysis/modelAccess';
import { compactNumber, groupDigits } from './compactNumber';
import { code } from './keyDocs';

const FAMILY_NAMES = { bert: 'BERT', roberta: 'RoBERTa' } as const;

export function modelMarkdown(state: ModelState): string {
  if ('problem' in state) {
    return [`**Model** ${code(state.ref)} cannot be read`, '', state.problem].join('\n');
  }
  const d = state.description;
  const c = d.config;
  const architecture = c.architectures.length > 0 ? ` (${c.architectures.map(code).join(', ')})` : '';
  return [
    `**Model** ${code(state.ref)}: ${FAMILY_NAMES[d.family]}${architecture}`,
    '',
    `${c.numHiddenLayers} layers · hidden ${c.hiddenSize} · ${c.numAttentionHeads} heads · FFN ${c.intermediateSize} · ${compactNumber(d.totalParameters)} parameters`,
    '',
    '| | |',
    '| --- | --- |',
    `| parameters | ${groupDigits(d.totalParameters)} in ${d.parameters.length} tensors |`,
    `| vocabulary | ${groupDigits(c.vocabSize)} |`,
    `| max length | ${c.maxSequenceLength} tokens |`,
    `| folder | ${code(d.dir)} |`,
  ].join('\n');
}
