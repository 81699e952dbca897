// Picks and builds the tokenizer a checkpoint folder ships, in Hugging Face layout:
//   vocab.txt                      → BERT WordPiece (settings from tokenizer_config.json)
//   vocab.json + merges.txt        → RoBERTa byte-level BPE
//   tokenizer.json                 → whichever model it describes (BPE + ByteLevel, or WordPiece)
// vocab.txt wins when a folder has several, because BERT checkpoints often ship a
// tokenizer.json beside it that says the same thing.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AddedToken } from './addedTokens';
import { bertNormalization } from './bertBasicTokenizer';
import { BpeTokenizer, type BpeSpecialTokens } from './bpeTokenizer';
import { TokenizerError, type Tokenizer } from './tokenizer';
import { WordPieceTokenizer, type WordPieceSpecialTokens } from './wordPieceTokenizer';

type Json = Record<string, unknown>;

/** Loads the tokenizer of the checkpoint in `modelDir`; a TokenizerError names what is missing. */
export function loadTokenizer(modelDir: string): Tokenizer {
  const dir = path.resolve(modelDir);
  const file = (name: string): string => path.join(dir, name);
  if (!isDirectory(dir)) {
    throw new TokenizerError(dir, `${dir} is not a folder; the model must be a checkpoint folder holding vocab.txt (BERT) or vocab.json and merges.txt (RoBERTa).`);
  }
  const config = readTokenizerConfig(dir);
  if (fs.existsSync(file('vocab.txt'))) return loadWordPieceFromVocabTxt(file('vocab.txt'), config);
  const hasVocabJson = fs.existsSync(file('vocab.json'));
  const hasMerges = fs.existsSync(file('merges.txt'));
  if (hasVocabJson && hasMerges) return loadBpeFromFiles(file('vocab.json'), file('merges.txt'), config);
  if (fs.existsSync(file('tokenizer.json'))) return loadFromTokenizerJson(file('tokenizer.json'), config);
  const missing = hasVocabJson
    ? `${file('merges.txt')} is missing (vocab.json is there; a RoBERTa tokenizer needs both).`
    : hasMerges
      ? `${file('vocab.json')} is missing (merges.txt is there; a RoBERTa tokenizer needs both).`
      : `${dir} has no tokenizer: expected vocab.txt (BERT WordPiece), vocab.json + merges.txt (RoBERTa BPE) or tokenizer.json.`;
  throw new TokenizerError(hasVocabJson ? file('merges.txt') : hasMerges ? file('vocab.json') : dir, `${missing} Copy the tokenizer files saved with the checkpoint into this folder.`);
}

/** tokenizer_config.json merged over special_tokens_map.json; both are optional. */
interface TokenizerSettings {
  values: Json;
  source: string | undefined;
}

function readTokenizerConfig(dir: string): TokenizerSettings {
  let values: Json = {};
  let source: string | undefined;
  for (const name of ['special_tokens_map.json', 'tokenizer_config.json']) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) continue;
    values = { ...values, ...readJsonObject(file) };
    source = file;
  }
  return { values, source };
}

function loadWordPieceFromVocabTxt(vocabFile: string, settings: TokenizerSettings): Tokenizer {
  // One entry per line; only the line ending is stripped, since entries may contain spaces.
  const text = readText(vocabFile);
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) throw new TokenizerError(vocabFile, `${vocabFile} is empty; expected one WordPiece entry per line.`);
  const config = settings.values;
  return new WordPieceTokenizer({
    vocab: lines,
    normalization: bertNormalization({
      doLowerCase: optionalBoolean(config, 'do_lower_case', settings.source),
      stripAccents: optionalBoolean(config, 'strip_accents', settings.source),
      tokenizeChineseChars: optionalBoolean(config, 'tokenize_chinese_chars', settings.source),
    }),
    specialTokens: wordPieceSpecials(config),
    modelMaxLength: modelMaxLength(config),
    source: vocabFile,
  });
}

function loadBpeFromFiles(vocabFile: string, mergesFile: string, settings: TokenizerSettings): Tokenizer {
  const vocab = readJsonObject(vocabFile);
  for (const [token, id] of Object.entries(vocab)) {
    if (!Number.isInteger(id)) throw new TokenizerError(vocabFile, `${vocabFile}: entry "${token}" has id ${JSON.stringify(id)}; expected an integer id for every entry.`);
  }
  const merges = parseMergesTxt(mergesFile);
  const config = settings.values;
  const specials = bpeSpecials(config);
  return new BpeTokenizer({
    vocab: vocab as Record<string, number>,
    merges,
    addPrefixSpace: optionalBoolean(config, 'add_prefix_space', settings.source),
    specialTokens: specials.names,
    addedTokens: specials.withFlags.map((token) => ({ ...token, id: (vocab[token.content] as number | undefined) ?? -1 })).filter((token) => token.id >= 0),
    modelMaxLength: modelMaxLength(config),
    source: vocabFile,
  });
}

function parseMergesTxt(file: string): Array<[string, string]> {
  const merges: Array<[string, string]> = [];
  const lines = readText(file).split('\n');
  lines.forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '' || (index === 0 && line.startsWith('#version'))) return;
    const parts = line.split(' ');
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
      throw new TokenizerError(file, `${file}:${index + 1}: expected a merge "left right" (two symbols separated by one space), found ${JSON.stringify(line)}.`);
    }
    merges.push([parts[0], parts[1]]);
  });
  return merges;
}

function loadFromTokenizerJson(file: string, settings: TokenizerSettings): Tokenizer {
  const json = readJsonObject(file);
  const model = json.model as Json | undefined;
  if (model === undefined || typeof model !== 'object') throw new TokenizerError(file, `${file} has no "model" object; expected a Hugging Face tokenizers file.`);
  const addedTokens = parseAddedTokens(file, json.added_tokens);
  const config = settings.values;
  if (model.type === 'BPE') return bpeFromTokenizerJson(file, json, model, addedTokens, config);
  if (model.type === 'WordPiece') return wordPieceFromTokenizerJson(file, json, model, config);
  throw new TokenizerError(file, `${file}: model type ${JSON.stringify(model.type)} is not supported; expected "BPE" (RoBERTa) or "WordPiece" (BERT).`);
}

function bpeFromTokenizerJson(file: string, json: Json, model: Json, addedTokens: AddedToken[], config: Json): Tokenizer {
  const byteLevel = findPreTokenizer(json.pre_tokenizer, 'ByteLevel');
  if (byteLevel === undefined) {
    throw new TokenizerError(file, `${file}: only byte-level BPE (RoBERTa, GPT-2) is supported, but its pre_tokenizer is ${JSON.stringify((json.pre_tokenizer as Json | null)?.type ?? null)}; expected "ByteLevel".`);
  }
  const vocab = model.vocab;
  if (vocab === null || typeof vocab !== 'object' || Array.isArray(vocab)) throw new TokenizerError(file, `${file}: model.vocab must be an object of entry → id.`);
  const rawMerges = model.merges;
  if (!Array.isArray(rawMerges)) throw new TokenizerError(file, `${file}: model.merges must be a list of merges.`);
  // Older files write a merge as "a b", newer ones as ["a", "b"].
  const merges = rawMerges.map((merge, index): [string, string] => {
    const parts = typeof merge === 'string' ? merge.split(' ') : merge;
    if (!Array.isArray(parts) || parts.length !== 2 || typeof parts[0] !== 'string' || typeof parts[1] !== 'string') {
      throw new TokenizerError(file, `${file}: model.merges[${index}] is ${JSON.stringify(merge)}; expected "left right" or ["left", "right"].`);
    }
    return [parts[0], parts[1]];
  });
  const post = json.post_processor as Json | null | undefined;
  const specials = bpeSpecials(config);
  const names: Partial<BpeSpecialTokens> = { ...specials.names };
  // RobertaProcessing names the template's tokens itself: {"cls": ["<s>", 0], "sep": ["</s>", 2]}.
  if (post?.type === 'RobertaProcessing') {
    if (Array.isArray(post.cls) && typeof post.cls[0] === 'string') names.cls = post.cls[0];
    if (Array.isArray(post.sep) && typeof post.sep[0] === 'string') names.sep = post.sep[0];
  }
  if (typeof model.unk_token === 'string') names.unk = model.unk_token;
  return new BpeTokenizer({
    vocab: vocab as Record<string, number>,
    merges,
    addPrefixSpace: typeof byteLevel.add_prefix_space === 'boolean' ? byteLevel.add_prefix_space : false,
    specialTokens: names,
    addedTokens,
    modelMaxLength: modelMaxLength(config),
    source: file,
  });
}

function wordPieceFromTokenizerJson(file: string, json: Json, model: Json, config: Json): Tokenizer {
  const vocab = model.vocab;
  if (vocab === null || typeof vocab !== 'object' || Array.isArray(vocab)) throw new TokenizerError(file, `${file}: model.vocab must be an object of entry → id.`);
  const entries: string[] = [];
  for (const [token, id] of Object.entries(vocab)) {
    if (!Number.isInteger(id) || (id as number) < 0) throw new TokenizerError(file, `${file}: model.vocab entry "${token}" has id ${JSON.stringify(id)}; expected a non-negative integer.`);
    entries[id as number] = token;
  }
  const normalizer = findNormalizer(json.normalizer, 'BertNormalizer');
  if (normalizer === undefined) {
    throw new TokenizerError(file, `${file}: a WordPiece tokenizer needs a BertNormalizer; found ${JSON.stringify((json.normalizer as Json | null)?.type ?? null)}.`);
  }
  const specials = wordPieceSpecials(config);
  if (typeof model.unk_token === 'string') specials.unk = model.unk_token;
  return new WordPieceTokenizer({
    // Gaps in the id range become empty entries that nothing can match.
    vocab: Array.from(entries, (token) => token ?? ''),
    normalization: bertNormalization({
      doLowerCase: typeof normalizer.lowercase === 'boolean' ? normalizer.lowercase : undefined,
      stripAccents: typeof normalizer.strip_accents === 'boolean' ? normalizer.strip_accents : null,
      tokenizeChineseChars: typeof normalizer.handle_chinese_chars === 'boolean' ? normalizer.handle_chinese_chars : undefined,
      cleanText: typeof normalizer.clean_text === 'boolean' ? normalizer.clean_text : undefined,
    }),
    specialTokens: specials,
    continuingSubwordPrefix: typeof model.continuing_subword_prefix === 'string' ? model.continuing_subword_prefix : undefined,
    maxInputCharsPerWord: typeof model.max_input_chars_per_word === 'number' ? model.max_input_chars_per_word : undefined,
    modelMaxLength: modelMaxLength(config),
    source: file,
  });
}

/** A pre-tokenizer of `type`, directly or inside a Sequence. */
function findPreTokenizer(value: unknown, type: string): Json | undefined {
  return findComponent(value, type, 'pretokenizers');
}

function findNormalizer(value: unknown, type: string): Json | undefined {
  return findComponent(value, type, 'normalizers');
}

function findComponent(value: unknown, type: string, listKey: string): Json | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const component = value as Json;
  if (component.type === type) return component;
  if (component.type === 'Sequence' && Array.isArray(component[listKey])) {
    for (const inner of component[listKey] as unknown[]) {
      const found = findComponent(inner, type, listKey);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function parseAddedTokens(file: string, value: unknown): AddedToken[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new TokenizerError(file, `${file}: added_tokens must be a list.`);
  const tokens: AddedToken[] = [];
  for (const entry of value as Json[]) {
    if (typeof entry?.content !== 'string' || !Number.isInteger(entry.id)) {
      throw new TokenizerError(file, `${file}: added_tokens entry ${JSON.stringify(entry)} needs a string "content" and an integer "id".`);
    }
    // Normalised non-special added tokens match after normalisation in Hugging Face; we only
    // split raw text, so those are left to the model's own vocabulary.
    if (entry.special !== true && entry.normalized === true) continue;
    tokens.push({ content: entry.content, id: entry.id as number, lstrip: entry.lstrip === true, rstrip: entry.rstrip === true });
  }
  return tokens;
}

/** A special token in tokenizer_config.json: "[CLS]" or {"content": "[CLS]", "lstrip": …}. */
function specialToken(config: Json, key: string): { content: string; lstrip?: boolean; rstrip?: boolean } | undefined {
  const value = config[key];
  if (typeof value === 'string') return { content: value };
  if (value !== null && typeof value === 'object' && typeof (value as Json).content === 'string') {
    const token = value as Json;
    return {
      content: token.content as string,
      lstrip: typeof token.lstrip === 'boolean' ? token.lstrip : undefined,
      rstrip: typeof token.rstrip === 'boolean' ? token.rstrip : undefined,
    };
  }
  return undefined;
}

function wordPieceSpecials(config: Json): Partial<WordPieceSpecialTokens> {
  return {
    cls: specialToken(config, 'cls_token')?.content,
    sep: specialToken(config, 'sep_token')?.content,
    pad: specialToken(config, 'pad_token')?.content,
    unk: specialToken(config, 'unk_token')?.content,
    mask: specialToken(config, 'mask_token')?.content,
  };
}

function bpeSpecials(config: Json): { names: Partial<BpeSpecialTokens>; withFlags: Array<Omit<AddedToken, 'id'>> } {
  // RoBERTa's template uses bos/eos; cls/sep are the same tokens under other names.
  const roles: Array<[keyof BpeSpecialTokens, string[]]> = [
    ['cls', ['cls_token', 'bos_token']],
    ['sep', ['sep_token', 'eos_token']],
    ['pad', ['pad_token']],
    ['unk', ['unk_token']],
    ['mask', ['mask_token']],
  ];
  const names: Partial<BpeSpecialTokens> = {};
  const withFlags: Array<Omit<AddedToken, 'id'>> = [];
  for (const [role, keys] of roles) {
    const token = keys.map((key) => specialToken(config, key)).find((found) => found !== undefined);
    if (token === undefined) continue;
    names[role] = token.content;
    if (token.lstrip !== undefined || token.rstrip !== undefined) {
      withFlags.push({ content: token.content, lstrip: token.lstrip ?? false, rstrip: token.rstrip ?? false });
    }
  }
  return { names, withFlags };
}

function modelMaxLength(config: Json): number | undefined {
  const value = config.model_max_length;
  // Hugging Face writes a huge sentinel (1e30) when a tokenizer has no limit.
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 1e9 ? value : undefined;
}

function optionalBoolean(config: Json, key: string, source: string | undefined): boolean | undefined {
  const value = config[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new TokenizerError(source ?? key, `${source ?? 'tokenizer_config.json'}: "${key}" is ${JSON.stringify(value)}; expected true, false or null.`);
  return value;
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new TokenizerError(file, `${file} cannot be read: ${(error as Error).message}`, { cause: error });
  }
}

function readJsonObject(file: string): Json {
  const text = readText(file);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new TokenizerError(file, `${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new TokenizerError(file, `${file} must hold a JSON object.`);
  return value as Json;
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
