// Analyse-and-diagnose latency of the language server's pipeline (parse → analyse → diagnostics)
// for files of 50, 500 and 5,000 lines, and after a one-character edit of the 5,000-line file.
//
//   node --import tsx bench/language.ts [--json]
//
// Target: near-linear growth, and < 50 ms after a one-character edit of a 5,000-line file
// (the debounce is not counted). Not a test: numbers go to stdout.

import * as path from 'node:path';
import { analyse } from '../server/src/analysis/analyse';
import { FileSystemModelKnowledge } from '../server/src/checkpoint/modelKnowledge';
import { LineIndex } from '../server/src/dsl/lineIndex';
import { parse } from '../server/src/dsl/parser';
import { toLspDiagnostic } from '../server/src/features/lspDiagnostic';

const root = path.resolve(__dirname, '..');
const filePath = path.join(root, 'examples', 'bench.masklab');
const models = new FileSystemModelKnowledge();

/** One experiment of ~25 lines, in the style of the examples, each extending the first. */
function experiment(i: number): string {
  return [
    `// Experiment ${i}: learn a mask at seed ${i}.`,
    `experiment e${i}${i > 0 ? ' extends e0' : ''} {`,
    '  model "models/tiny-random"',
    '  task tsv {',
    '    data       "data/sentiment"',
    '    text       "sentence"',
    '    label      "label"',
    '    max_length 32',
    '  }',
    '  method mask {',
    '    blocks           all',
    '    matrices         query, key, value, attention_output, intermediate, output',
    '    also             pooler, head',
    '    threshold        0.01',
    '    initial_sparsity 5%',
    `    lr               ${(i % 9) + 1}e-4`,
    '  }',
    '  train {',
    '    epochs 3',
    '    batch  32',
    `    seed   ${i}`,
    '  }',
    '  evaluate { every 20 steps  metrics accuracy, f1  keep best }',
    '}',
    '',
  ].join('\n');
}

function documentOf(lines: number): string {
  const parts: string[] = [];
  let count = 0;
  for (let i = 0; count < lines; i++) {
    const e = experiment(i);
    parts.push(e);
    count += e.split('\n').length - 1;
  }
  return parts.join('');
}

function diagnose(text: string): number {
  const analysis = analyse(parse(text), { filePath, text, models });
  const lines = new LineIndex(text);
  return analysis.diagnostics.map((d) => toLspDiagnostic(d, 'file:///bench', lines)).length;
}

function timeMs(fn: () => void, runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const sizes = [50, 500, 5000];
const results: { lines: number; ms: number; msPerLine: number }[] = [];
for (const size of sizes) {
  const text = documentOf(size);
  const actual = text.split('\n').length;
  diagnose(text); // warm up (JIT, checkpoint header cache)
  const ms = timeMs(() => diagnose(text), size >= 5000 ? 9 : 21);
  results.push({ lines: actual, ms, msPerLine: ms / actual });
}

// A one-character edit in the middle of the 5,000-line file: what a keystroke costs.
const big = documentOf(5000);
const at = big.indexOf('seed   100');
const edited = big.slice(0, at + 7) + '9' + big.slice(at + 7);
diagnose(edited);
const editMs = timeMs(() => diagnose(edited), 9);

const growth = results[2].msPerLine / results[0].msPerLine;
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ results, editMs, perLineGrowth50to5000: growth }, null, 2));
} else {
  console.log('language server: parse + analyse + diagnostics (median)');
  for (const r of results) console.log(`  ${String(r.lines).padStart(5)} lines  ${r.ms.toFixed(2).padStart(8)} ms  ${(r.msPerLine * 1000).toFixed(1).padStart(7)} µs/line`);
  console.log(`  per-line cost growth, 50 → 5,000 lines: ${growth.toFixed(2)}× (1.0 = linear)`);
  console.log(`  one-character edit of the 5,000-line file: ${editMs.toFixed(2)} ms (target < 50 ms)`);
}
