// Does the weights file describe the model config.json describes? Each tensor's shape is checked
// against the shape the config implies, and every tensor the encoder needs must be there. A
// mismatch would otherwise surface as a cryptic matMul shape error deep inside training.

import type { ModelConfig } from './modelConfig';
import { formatShape } from './checkpointError';
import { FLOATING_DTYPES } from './safetensors';
import type { ParameterInfo } from './parameterNames';

/** A dimension the config determines, with the config field named for the error message. */
interface Dimension {
  size: number;
  field: string;
}

/** Every disagreement as one sentence, in model order; empty when the file matches config.json. */
export function checkAgainstConfig(config: ModelConfig, parameters: readonly ParameterInfo[]): string[] {
  const problems: string[] = [];
  const present = new Set<string>();
  const extraBlocks = new Map<number, string>();
  for (const parameter of parameters) {
    present.add(parameter.canonical);
    if (parameter.block !== undefined && parameter.block >= config.numHiddenLayers) {
      if (!extraBlocks.has(parameter.block)) extraBlocks.set(parameter.block, parameter.name);
      continue;
    }
    const expected = expectedShape(config, parameter.canonical);
    if (expected && !sameShape(expected, parameter.shape)) {
      problems.push(
        `${parameter.name} has shape ${formatShape(parameter.shape)}, but config.json implies ${describeDimensions(expected)}.`,
      );
    } else if (!expected && /^classifier\.(out_proj\.)?weight$/.test(parameter.canonical)) {
      // Without id2label the number of labels is free; the input side must still be hidden_size.
      if (parameter.shape.length !== 2 || parameter.shape[1] !== config.hiddenSize) {
        problems.push(
          `${parameter.name} has shape ${formatShape(parameter.shape)}, but config.json implies [labels, hidden_size ${config.hiddenSize}].`,
        );
      }
    }
    if (parameter.role !== 'other' && !FLOATING_DTYPES.has(parameter.dtype)) {
      problems.push(`${parameter.name} has dtype ${parameter.dtype}; model weights must be floating point (F32, F16, BF16 or F64).`);
    }
  }
  if (extraBlocks.size > 0) {
    const blocks = [...extraBlocks.keys()].sort((a, b) => a - b);
    const last = blocks[blocks.length - 1];
    problems.unshift(
      `the weights hold block${blocks.length === 1 ? '' : 's'} ${blocks.join(', ')} (e.g. ${extraBlocks.get(blocks[0])}), but config.json says num_hidden_layers = ${config.numHiddenLayers}; if the weights are right, set num_hidden_layers to ${last + 1}.`,
    );
  }
  const missing = requiredTensors(config).filter((name) => !present.has(name));
  if (missing.length > 0) {
    problems.push(
      `the weights lack ${missing.length} tensor${missing.length === 1 ? '' : 's'} a ${config.numHiddenLayers}-block ${config.family} encoder needs: ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}.`,
    );
  }
  return problems;
}

/** Tensors (canonical names) without which the encoder cannot run. */
export function requiredTensors(config: ModelConfig): string[] {
  const names = [
    'embeddings.word_embeddings.weight',
    'embeddings.position_embeddings.weight',
    'embeddings.token_type_embeddings.weight',
    'embeddings.LayerNorm.weight',
    'embeddings.LayerNorm.bias',
  ];
  for (let block = 0; block < config.numHiddenLayers; block++) {
    const layer = `encoder.layer.${block}`;
    for (const linear of ['attention.self.query', 'attention.self.key', 'attention.self.value', 'attention.output.dense', 'intermediate.dense', 'output.dense']) {
      names.push(`${layer}.${linear}.weight`, `${layer}.${linear}.bias`);
    }
    for (const norm of ['attention.output.LayerNorm', 'output.LayerNorm']) names.push(`${layer}.${norm}.weight`, `${layer}.${norm}.bias`);
  }
  return names;
}

/** The shape config.json implies for a canonical name, or undefined when it implies none. */
export function expectedShape(config: ModelConfig, canonical: string): Dimension[] | undefined {
  const hidden: Dimension = { size: config.hiddenSize, field: 'hidden_size' };
  const intermediate: Dimension = { size: config.intermediateSize, field: 'intermediate_size' };
  const vocab: Dimension = { size: config.vocabSize, field: 'vocab_size' };
  const labels: Dimension | undefined = config.numLabels === undefined ? undefined : { size: config.numLabels, field: 'id2label' };

  if (canonical === 'embeddings.word_embeddings.weight') return [vocab, hidden];
  if (canonical === 'embeddings.position_embeddings.weight') return [{ size: config.maxPositionEmbeddings, field: 'max_position_embeddings' }, hidden];
  if (canonical === 'embeddings.token_type_embeddings.weight') return [{ size: config.typeVocabSize, field: 'type_vocab_size' }, hidden];
  if (/(^|\.)(LayerNorm|layer_norm)\.(weight|bias)$/.test(canonical)) return [hidden];

  const inBlock = /^encoder\.layer\.\d+\.(.+)\.(weight|bias)$/.exec(canonical);
  if (inBlock) {
    const [, linear, role] = inBlock;
    if (/^attention\.self\.(query|key|value)$/.test(linear) || linear === 'attention.output.dense') return role === 'weight' ? [hidden, hidden] : [hidden];
    if (linear === 'intermediate.dense') return role === 'weight' ? [intermediate, hidden] : [intermediate];
    if (linear === 'output.dense') return role === 'weight' ? [hidden, intermediate] : [hidden];
    return undefined;
  }
  switch (canonical) {
    case 'pooler.dense.weight':
    case 'classifier.dense.weight':
    case 'cls.predictions.transform.dense.weight':
    case 'lm_head.dense.weight':
      return [hidden, hidden];
    case 'pooler.dense.bias':
    case 'classifier.dense.bias':
    case 'cls.predictions.transform.dense.bias':
    case 'lm_head.dense.bias':
      return [hidden];
    case 'cls.predictions.bias':
    case 'cls.predictions.decoder.bias':
    case 'lm_head.bias':
    case 'lm_head.decoder.bias':
      return [vocab];
    case 'cls.predictions.decoder.weight':
    case 'lm_head.decoder.weight':
      return [vocab, hidden];
    case 'cls.seq_relationship.weight':
      return [{ size: 2, field: 'next-sentence labels' }, hidden];
    case 'classifier.weight':
    case 'classifier.out_proj.weight':
      return labels ? [labels, hidden] : undefined;
    case 'classifier.bias':
    case 'classifier.out_proj.bias':
      return labels ? [labels] : undefined;
    default:
      return undefined;
  }
}

function sameShape(expected: Dimension[], actual: readonly number[]): boolean {
  return expected.length === actual.length && expected.every((d, i) => d.size === actual[i]);
}

function describeDimensions(dimensions: Dimension[]): string {
  return `[${dimensions.map((d) => `${d.field} ${d.size}`).join(', ')}]`;
}
