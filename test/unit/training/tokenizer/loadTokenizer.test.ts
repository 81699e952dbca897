// Picking the tokenizer from the files a checkpoint folder holds, and naming what is missing.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadTokenizer, TokenizerError } from '../../../../server/src/training/tokenizer';
import { FIXTURE_MERGES, FIXTURE_VOCAB } from './bpeFixture';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'masklab-tokenizer-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
  return dir;
}

const mergesTxt = '#version: 0.2\n' + FIXTURE_MERGES.map(([a, b]) => `${a} ${b}`).join('\n') + '\n';
const bertVocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'hello', 'Hello', 'world', '##s'].join('\n') + '\n';

describe('loadTokenizer', () => {
  test('vocab.txt → WordPiece, honouring do_lower_case from tokenizer_config.json', () => {
    const uncased = loadTokenizer(folder('bert-uncased', { 'vocab.txt': bertVocab }));
    assert.equal(uncased.kind, 'wordpiece');
    // No config: Hugging Face's default do_lower_case=true.
    assert.deepEqual(uncased.encode('Hello worlds').ids, [2, 5, 7, 8, 3]);
    const cased = loadTokenizer(folder('bert-cased', { 'vocab.txt': bertVocab, 'tokenizer_config.json': JSON.stringify({ do_lower_case: false, model_max_length: 128 }) }));
    assert.deepEqual(cased.encode('Hello world').ids, [2, 6, 7, 3]);
    assert.equal(cased.modelMaxLength, 128);
  });

  test('vocab.txt with CRLF line ends keeps ids = line numbers', () => {
    const t = loadTokenizer(folder('bert-crlf', { 'vocab.txt': bertVocab.replace(/\n/g, '\r\n') }));
    assert.equal(t.vocabSize, 9);
    assert.equal(t.tokenToId('world'), 7);
  });

  test('vocab.json + merges.txt → byte-level BPE', () => {
    const t = loadTokenizer(folder('roberta', { 'vocab.json': JSON.stringify(FIXTURE_VOCAB), 'merges.txt': mergesTxt }));
    assert.equal(t.kind, 'bpe');
    assert.deepEqual([t.clsId, t.padId, t.sepId, t.unkId, t.maskId], [0, 1, 2, 3, 22]);
    assert.deepEqual(t.encode('low lower').ids, [0, 13, 16, 2]);
  });

  test('tokenizer.json (BPE + ByteLevel) → BPE, with its added-token flags and RobertaProcessing', () => {
    const tokenizerJson = {
      added_tokens: [{ id: 22, content: '<mask>', lstrip: false, rstrip: false, normalized: false, special: true }],
      normalizer: null,
      pre_tokenizer: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true },
      post_processor: { type: 'RobertaProcessing', sep: ['</s>', 2], cls: ['<s>', 0] },
      // Newer files write merges as pairs.
      model: { type: 'BPE', vocab: FIXTURE_VOCAB, merges: FIXTURE_MERGES, unk_token: '<unk>' },
    };
    const t = loadTokenizer(folder('roberta-json', { 'tokenizer.json': JSON.stringify(tokenizerJson) }));
    assert.equal(t.kind, 'bpe');
    // add_prefix_space: "low" → " low" → Ġlow (15).
    assert.deepEqual(t.encode('low').ids, [0, 15, 2]);
    // lstrip false here: the space before <mask> stays a token of its own (Ġ = 9).
    assert.deepEqual(t.encode('low <mask>').ids, [0, 15, 9, 22, 2]);
  });

  test('tokenizer.json (WordPiece + BertNormalizer) → WordPiece', () => {
    const vocab = Object.fromEntries(bertVocab.trim().split('\n').map((token, id) => [token, id]));
    const tokenizerJson = {
      normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: false },
      pre_tokenizer: { type: 'BertPreTokenizer' },
      model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
    };
    const t = loadTokenizer(folder('bert-json', { 'tokenizer.json': JSON.stringify(tokenizerJson) }));
    assert.equal(t.kind, 'wordpiece');
    assert.deepEqual(t.encode('Hello worlds').ids, [2, 6, 7, 8, 3]);
  });

  test('errors name the missing file', () => {
    const empty = folder('empty', {});
    assert.throws(() => loadTokenizer(empty), (error: unknown) => error instanceof TokenizerError && error.message.includes(`${empty} has no tokenizer`) && error.message.includes('vocab.txt'));
    const halfRoberta = folder('half-roberta', { 'vocab.json': JSON.stringify(FIXTURE_VOCAB) });
    assert.throws(() => loadTokenizer(halfRoberta), (error: unknown) => error instanceof TokenizerError && error.file === path.join(halfRoberta, 'merges.txt') && /merges\.txt is missing/.test(error.message));
    assert.throws(() => loadTokenizer(path.join(root, 'no-such-folder')), /is not a folder/);
    const badMerges = folder('bad-merges', { 'vocab.json': JSON.stringify(FIXTURE_VOCAB), 'merges.txt': '#version: 0.2\nl o\nlow\n' });
    assert.throws(() => loadTokenizer(badMerges), /merges\.txt:3: expected a merge "left right"/);
  });
});
