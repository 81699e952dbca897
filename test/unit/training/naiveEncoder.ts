// A deliberately plain BERT/RoBERTa forward in float64 loops over the PyTorch-layout weights of a
// WeightSource: no tfjs, no shared code with the model. Tests compare the tfjs encoder to it.

import type { EncoderConfig } from '../../../server/src/training/model/encoderConfig';
import type { WeightSource } from '../../../server/src/training/model/weightSource';

type Matrix = number[][];

function get(source: WeightSource, name: string): { shape: number[]; values: Float32Array } {
  return source.read(name);
}

function linear(x: Matrix, source: WeightSource, stem: string): Matrix {
  const w = get(source, `${stem}.weight`); // [out, in]
  const b = get(source, `${stem}.bias`).values;
  const [outs, ins] = w.shape;
  return x.map((row) => {
    const y = new Array<number>(outs).fill(0);
    for (let o = 0; o < outs; o++) {
      let acc = b[o];
      for (let i = 0; i < ins; i++) acc += row[i] * w.values[o * ins + i];
      y[o] = acc;
    }
    return y;
  });
}

function layerNorm(x: Matrix, source: WeightSource, stem: string, eps: number): Matrix {
  const g = get(source, `${stem}.weight`).values;
  const b = get(source, `${stem}.bias`).values;
  return x.map((row) => {
    const mean = row.reduce((a, v) => a + v, 0) / row.length;
    const variance = row.reduce((a, v) => a + (v - mean) * (v - mean), 0) / row.length;
    return row.map((v, i) => ((v - mean) / Math.sqrt(variance + eps)) * g[i] + b[i]);
  });
}

/** erf by its Maclaurin series (plenty for |x| < 4) and 1 - tail beyond. */
function erf(x: number): number {
  if (Math.abs(x) > 4) return Math.sign(x);
  let sum = 0;
  let term = x;
  for (let n = 0; n < 80; n++) {
    sum += term / (2 * n + 1);
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

const add = (a: Matrix, b: Matrix): Matrix => a.map((row, i) => row.map((v, j) => v + b[i][j]));

/** One unpadded sequence → final hidden states [length][hidden]. */
export function naiveForward(source: WeightSource, ids: number[], types?: number[]): Matrix {
  const config: EncoderConfig = source.config;
  const h = config.hiddenSize;
  const row = (name: string, index: number) => Array.from(get(source, name).values.subarray(index * h, (index + 1) * h));
  const offset = config.family === 'roberta' ? config.padTokenId + 1 : 0;
  let x: Matrix = ids.map((id, p) => {
    const word = row('embeddings.word_embeddings.weight', id);
    const position = row('embeddings.position_embeddings.weight', p + offset);
    const type = row('embeddings.token_type_embeddings.weight', types?.[p] ?? 0);
    return word.map((v, i) => v + position[i] + type[i]);
  });
  x = layerNorm(x, source, 'embeddings.LayerNorm', config.layerNormEps);
  const heads = config.numHeads;
  const size = h / heads;
  for (let layer = 0; layer < config.numLayers; layer++) {
    const stem = `encoder.layer.${layer}`;
    const q = linear(x, source, `${stem}.attention.self.query`);
    const k = linear(x, source, `${stem}.attention.self.key`);
    const v = linear(x, source, `${stem}.attention.self.value`);
    const context: Matrix = x.map(() => new Array<number>(h).fill(0));
    for (let head = 0; head < heads; head++) {
      for (let i = 0; i < x.length; i++) {
        const scores = x.map((_, j) => {
          let s = 0;
          for (let d = 0; d < size; d++) s += q[i][head * size + d] * k[j][head * size + d];
          return s / Math.sqrt(size);
        });
        const max = Math.max(...scores);
        const exps = scores.map((s) => Math.exp(s - max));
        const total = exps.reduce((a, e) => a + e, 0);
        for (let j = 0; j < x.length; j++) {
          for (let d = 0; d < size; d++) context[i][head * size + d] += (exps[j] / total) * v[j][head * size + d];
        }
      }
    }
    const attended = layerNorm(add(linear(context, source, `${stem}.attention.output.dense`), x), source, `${stem}.attention.output.LayerNorm`, config.layerNormEps);
    const inner = linear(attended, source, `${stem}.intermediate.dense`).map((r) => r.map((u) => 0.5 * u * (1 + erf(u / Math.SQRT2))));
    x = layerNorm(add(linear(inner, source, `${stem}.output.dense`), attended), source, `${stem}.output.LayerNorm`, config.layerNormEps);
  }
  return x;
}

/** tanh pooler over the first token. */
export function naivePooled(source: WeightSource, hidden: Matrix): number[] {
  return linear([hidden[0]], source, 'pooler.dense')[0].map(Math.tanh);
}
