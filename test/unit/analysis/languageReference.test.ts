import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { allKeys, experimentSpec } from '../../../server/src/analysis/keyTable';
import { renderLanguageReference } from '../../../server/src/analysis/languageReference';
import { parse } from '../../../server/src/dsl/parser';
import { analyseText, repoRoot } from './helpers';

const committed = () => fs.readFileSync(path.join(repoRoot(), 'docs', 'language.md'), 'utf8');

test('docs/language.md is the rendering of the key table (regenerate with generateFiles.ts)', () => {
  assert.equal(committed(), renderLanguageReference());
});

test('the reference has a section for every key and every block kind', () => {
  const text = renderLanguageReference();
  for (const { blockPath, key } of allKeys()) {
    const dotted = [...blockPath, key.name].join('.');
    assert.match(text, new RegExp(`^#+ \`${dotted.replace(/\./g, '\\.')}\`$`, 'm'), `no section for ${dotted}`);
  }
  for (const block of experimentSpec.blocks) {
    for (const kind of block.kinds ?? []) assert.ok(text.includes(`| \`${kind.name}\` |`), `no row for ${block.name} ${kind.name}`);
  }
});

test('the examples in the introduction are valid experiments', () => {
  const blocks = [...renderLanguageReference().matchAll(/```\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => /^(\/\/[^\n]*\n)*(experiment|sweep) /.test(b));
  assert.ok(blocks.length >= 2);
  // Paths in the examples name files this test does not have; everything else must be clean.
  const allowed = new Set(['model-unreadable', 'missing-path', 'missing-file']);
  const examples = blocks.join('\n');
  const withBase = examples.includes('experiment sst2_mask') ? examples : `${blocks[0]}\n${examples}`;
  assert.deepEqual(parse(withBase).errors, []);
  const problems = analyseText(withBase).diagnostics.filter((d) => !allowed.has(d.code));
  assert.deepEqual(problems.map((d) => `${d.code}: ${d.message}`), []);
});
