// The features on the repository's quickstart against the real example checkpoint it names
// (read from disk), with expectations derived from that checkpoint's config.json.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { FileSystemModelKnowledge } from '../../../server/src/checkpoint/modelKnowledge';
import { codeLenses } from '../../../server/src/features/codeLenses';
import { completion } from '../../../server/src/features/completion';
import { hover } from '../../../server/src/features/hover';
import { inlayHints } from '../../../server/src/features/inlayHints';
import { compactNumber } from '../../../server/src/features/compactNumber';
import { repoRoot } from '../analysis/helpers';
import { quickstartModelRef } from '../../support/quickstart';
import { analysedAt } from './documents';

const EXAMPLES = path.join(repoRoot(), 'examples');
const QUICKSTART = path.join(EXAMPLES, 'quickstart.masklab');
/** The model folder as the quickstart writes it (`models/…`, relative to the file). */
const MODEL = quickstartModelRef();
const CONFIG = path.join(EXAMPLES, MODEL, 'config.json');
const missing = !fs.existsSync(QUICKSTART) || MODEL === '' || !fs.existsSync(CONFIG);
const skip = missing && `examples/quickstart.masklab or the model it names (${MODEL || 'none'}) is absent`;

function quickstart(text = fs.readFileSync(QUICKSTART, 'utf8')) {
  return analysedAt(text, QUICKSTART, new FileSystemModelKnowledge());
}

test('hover on the model line summarises the checkpoint as its config.json describes it', { skip }, () => {
  const config = JSON.parse(fs.readFileSync(CONFIG, 'utf8'));
  const q = quickstart();
  const h = hover(q.analysis, q.lines, q.text.indexOf(`"${MODEL}"`) + 3);
  assert.ok(h && typeof h.contents === 'object' && 'value' in h.contents);
  assert.ok(h.contents.value.startsWith(`**Model** \`${MODEL}\`: BERT (\`BertForMaskedLM\`)`), h.contents.value);
  const summary = `${config.num_hidden_layers} layers · hidden ${config.hidden_size} · ${config.num_attention_heads} heads · FFN ${config.intermediate_size}`;
  assert.ok(h.contents.value.includes(summary), `expected '${summary}' in\n${h.contents.value}`);
});

test('the mask selection counts every block matrix, the pooler and the created head', { skip }, () => {
  const config = JSON.parse(fs.readFileSync(CONFIG, 'utf8'));
  const q = quickstart();
  const { hidden_size: h, intermediate_size: ffn, num_hidden_layers: layers } = config;
  // Per block: query, key, value, attention output (h × h), intermediate and output (h × ffn); pooler h × h; a 2-class head.
  const tensors = layers * 6 + 2;
  const parameters = layers * (4 * h * h + 2 * h * ffn) + h * h + 2 * h;
  const lenses = codeLenses(q.analysis, q.lines).map((l) => l.command?.title);
  assert.deepEqual(lenses, ['$(play) Train', 'Evaluate', 'Open last run', 'Show resolved config', `mask · ${tensors} matrices · ${compactNumber(parameters)} params`]);
  const hints = inlayHints(q.analysis, q.lines, { start: 0, end: q.text.length }).map((x) => x.label);
  assert.equal(hints[0], `${tensors} tensors · ${compactNumber(parameters)} params`);
  assert.equal(q.analysis.diagnostics.length, 0, q.analysis.diagnostics.map((d) => d.message).join('\n'));
});

test('completion reads the real folders and parameter names', { skip }, () => {
  const text = fs.readFileSync(QUICKSTART, 'utf8');
  const inModel = text.indexOf(MODEL) + 'models/'.length;
  const q = quickstart();
  const items = completion(q.analysis, q.lines, inModel);
  const folder = `${path.basename(MODEL)}/`;
  assert.ok(items.some((i) => i.label === folder && i.detail === 'model folder (has config.json)'), items.map((i) => i.label).join(', '));
  const withSelect = text.replace('also             pooler, head', 'also             pooler, head\n    select "encoder.layer."');
  const s = quickstart(withSelect);
  const at = withSelect.indexOf('encoder.layer.') + 'encoder.layer.'.length;
  const layers = JSON.parse(fs.readFileSync(CONFIG, 'utf8')).num_hidden_layers as number;
  assert.deepEqual(
    completion(s.analysis, s.lines, at).map((i) => i.label),
    [...Array.from({ length: layers }, (_, i) => String(i)), '*'],
  );
});
