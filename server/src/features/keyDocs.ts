// Markdown for the language's blocks, keys, kinds and values, from the key table: what hover shows
// and what completion items carry as documentation, so both say the same thing.

import { defaultText } from '../analysis/languageReference';
import { papers, type BlockSpec, type ChoiceSpec, type KeySpec, type KindSpec, type PaperId, type TypedValue } from '../analysis/keyTable';
import { describeType } from '../analysis/valueCheck';
import { formatValue } from '../analysis/valueFormat';

/** Markdown code span that survives backticks inside the text. */
export function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

export function paperLine(id: PaperId | undefined): string | undefined {
  if (!id) return undefined;
  const paper = papers[id];
  return `From **${paper.short}**: ${paper.citation}`;
}

export interface KeyPlace {
  /** Block names leading to the key's block (`['method']`), empty for `model`. */
  blockPath: readonly string[];
  block: BlockSpec;
  /** The kind family of the key's block at the cursor, when known. */
  family?: string;
  /** The default as it applies here (the method and other keys taken into account). */
  here?: TypedValue;
}

/** A key: heading with its dotted name, its documentation, type, default, where it belongs, paper, example. */
export function keyMarkdown(key: KeySpec, place: KeyPlace): string {
  const dotted = [...place.blockPath, key.name].join('.');
  const noun = place.blockPath.length === 0 ? 'key' : `${place.block.name} ${place.block.keyWord}`;
  const lines = [`${code(dotted)} · ${noun}`, '', key.doc, ''];
  const facts = [`Type: ${describeType(key, place.family)}`, key.required ? 'Required: no default (or inherited through `extends`)' : `Default: ${defaultLine(key, place)}`];
  if (key.only) facts.push(`${capitalise(place.block.kindWord ?? 'kind')}: ${key.only.map(code).join(', ')} only`);
  if (key.modes) facts.push(`Mode: ${key.modes.map(code).join(', ')} only`);
  const paper = paperLine(key.paper);
  if (paper) facts.push(paper);
  lines.push(...facts.map((f) => `- ${f}`), '', `Example: ${code(key.example)}`);
  return lines.join('\n');
}

function defaultLine(key: KeySpec, place: KeyPlace): string {
  const general = defaultText(key);
  if (place.here === undefined) return general;
  const here = code(formatValue(place.here, key.type));
  // A default that differs by method reads best as "this one here, and the others".
  return key.defaultByKind || key.computedDefault ? `${here} here (${general})` : here;
}

/** A block: its documentation, the kinds it takes, the method it belongs to, paper, example. */
export function blockMarkdown(block: BlockSpec, path: readonly string[]): string {
  const lines = [`${code(path.join('.'))} · block`, '', block.doc, ''];
  const facts: string[] = [];
  if (block.kinds) facts.push(`${capitalise(block.kindWord ?? 'kind')}: ${block.kinds.map((k) => code(k.name)).join(', ')}`);
  if (block.only) facts.push(`Only in: ${block.only.map(code).join(', ')}`);
  if (block.required) facts.push('Required (or inherited through `extends`)');
  const paper = paperLine(block.paper);
  if (paper) facts.push(paper);
  if (facts.length > 0) lines.push(...facts.map((f) => `- ${f}`), '');
  lines.push(`Example: ${code(block.example)}`);
  return lines.join('\n');
}

/** One kind of a block: `method mask`, `task glue.sst2`, `prune heads`. */
export function kindMarkdown(block: BlockSpec, kind: KindSpec): string {
  const lines = [`${code(`${block.name} ${kind.name}`)} · ${block.kindWord ?? 'kind'}`, '', kind.doc];
  const paper = paperLine(kind.paper);
  if (paper) lines.push('', `- ${paper}`);
  return lines.join('\n');
}

/** One allowed value of an enum key: `variant sign`. */
export function choiceMarkdown(key: KeySpec, choice: ChoiceSpec): string {
  const lines = [`${code(`${key.name} ${choice.name}`)} · value of ${code(key.name)}`, '', choice.doc];
  const paper = paperLine(choice.paper);
  if (paper) lines.push('', `- ${paper}`);
  return lines.join('\n');
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
