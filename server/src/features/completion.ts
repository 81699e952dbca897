// Completion: declaration keywords between declarations, `extends`/`of` and experiment names in
// headers, the keys and blocks a body may still take, the values of the key being written (kinds,
// enum values, booleans, block numbers, units), dotted keys in sweeps, and inside quotes folder
// and file names or parameter names from the checkpoint.

import { CompletionItemKind, type CompletionItem, type Range } from 'vscode-languageserver-types';
import type { Analysis, ExperimentInfo } from '../analysis/analysis';
import { blockAtPath } from '../analysis/entryTree';
import { lookupKeyPath } from '../analysis/keyPath';
import {
  allowedChoices,
  belongsTo,
  blockAt,
  experimentSpec,
  findBlock,
  findKey,
  type BlockSpec,
  type KeySpec,
} from '../analysis/keyTable';
import { formatValue } from '../analysis/valueFormat';
import type { Declaration, Entry, SweepDecl } from '../dsl/ast';
import type { LineIndex } from '../dsl/lineIndex';
import { choiceSnippet, exampleValue, item, keyDetail, placeholder, TRIGGER_SUGGEST } from './completionItems';
import { parameterItems, pathItems } from './completionStrings';
import { cursorContext, entryValues, type BodyScope, type CursorContext, type Word } from './cursorContext';
import { defaultIn, experimentFor, familyAt, modelOf } from './experimentFacts';
import { blockMarkdown, choiceMarkdown, keyMarkdown, kindMarkdown } from './keyDocs';
import { toRange } from './ranges';

/** What a key or sweep axis at the cursor names in the key table. */
type Target = { kind: 'key'; key: KeySpec; blockPath: string[]; block: BlockSpec } | { kind: 'block-kind'; block: BlockSpec };

export function completion(analysis: Analysis, lines: LineIndex, offset: number): CompletionItem[] {
  const text = analysis.text;
  const context = cursorContext(analysis.document, text, offset, (scope, entry) => {
    const target = targetOf(scope, entry);
    return target?.kind === 'key' && (target.key.type.kind === 'duration' || target.key.type.kind === 'runPoint');
  });
  switch (context.kind) {
    case 'none':
      return [];
    case 'top':
      return keywordItems(analysis, wordRange(lines, context.word));
    case 'after-name':
      return headerKeywordItems(context.decl, wordRange(lines, context.word));
    case 'reference':
      return experimentNameItems(analysis, context.decl, wordRange(lines, context.word));
    case 'key':
      return keyContextItems(analysis, lines, context);
    case 'value':
      return valueItems(analysis, context.scope, context.entry, context.index, context.word.start, wordRange(lines, context.word));
    case 'unit':
      return unitItems(wordRange(lines, context.word), context.touching);
    case 'string':
      return stringItems(analysis, lines, context);
  }
}

function wordRange(lines: LineIndex, word: Word): Range {
  return toRange(lines, word);
}

// ---- declarations ---------------------------------------------------------------------------

function keywordItems(analysis: Analysis, range: Range): CompletionItem[] {
  const experiments = experimentNames(analysis.document.declarations);
  const methods = findBlock(experimentSpec, 'method')?.kinds?.map((k) => k.name) ?? [];
  const tasks = findBlock(experimentSpec, 'task')?.kinds?.map((k) => k.name) ?? [];
  const items = [
    item('experiment', range, 0, {
      kind: CompletionItemKind.Keyword,
      detail: 'a new experiment',
      documentation: 'One experiment: model, task, method, training and evaluation.\n\n`experiment NAME [extends BASE] { … }`',
      newText: `experiment \${1:name} {\n\tmodel "\${2}"\n\ttask ${choiceSnippet(3, tasks)} {\n\t\tdata "\${4}"\n\t}\n\tmethod ${choiceSnippet(5, methods)}\n\t$0\n}`,
      snippet: true,
    }),
  ];
  const target = experiments.length > 0 ? choiceSnippet(2, experiments) : '${2:experiment}';
  items.push(
    item('sweep', range, 1, {
      kind: CompletionItemKind.Keyword,
      detail: 'a grid of runs over an experiment',
      documentation: 'Each entry is an axis (a dotted key and its values); each cell of the grid is one run, addressable by its 0-based index.\n\n`sweep NAME of EXPERIMENT { train.seed 1, 2, 3 }`',
      newText: `sweep \${1:name} of ${target} {\n\t\${3:train.seed} \${4:1, 2, 3}\n}`,
      snippet: true,
    }),
  );
  return items;
}

function headerKeywordItems(decl: Declaration, range: Range): CompletionItem[] {
  if (decl.kind === 'experiment') {
    if (decl.extendsKeyword) return [];
    return [item('extends', range, 0, { kind: CompletionItemKind.Keyword, detail: 'inherit every entry of another experiment', newText: 'extends ', command: TRIGGER_SUGGEST })];
  }
  if (decl.ofKeyword) return [];
  return [item('of', range, 0, { kind: CompletionItemKind.Keyword, detail: 'the experiment the sweep runs', newText: 'of ', command: TRIGGER_SUGGEST })];
}

function experimentNames(declarations: readonly Declaration[], except?: string): string[] {
  const names: string[] = [];
  for (const d of declarations) {
    const name = d.kind === 'experiment' ? d.name?.name : undefined;
    if (name && name !== except && !names.includes(name)) names.push(name);
  }
  return names;
}

function experimentNameItems(analysis: Analysis, decl: Declaration, range: Range): CompletionItem[] {
  const own = decl.kind === 'experiment' ? decl.name?.name : undefined;
  return experimentNames(analysis.document.declarations, own).map((name, i) => {
    const info = analysis.experiments.get(name);
    const method = info?.effective.blocks.get('method')?.kind?.name;
    const parts = [info?.base ? `extends ${info.base}` : 'experiment', method ? `method ${method}` : undefined].filter(Boolean);
    return item(name, range, i, { kind: CompletionItemKind.Class, detail: parts.join(' · ') });
  });
}

// ---- keys -----------------------------------------------------------------------------------

function keyContextItems(analysis: Analysis, lines: LineIndex, context: Extract<CursorContext, { kind: 'key' }>): CompletionItem[] {
  const { scope, word } = context;
  const range = wordRange(lines, word);
  const present = new Set(scope.body.entries.filter((e) => e !== context.entry).map((e) => e.key.text));
  // With something after the word on its line, the user is renaming a key: insert the name only.
  const lineEnd = lines.lineEnd(lines.positionAt(word.end).line);
  const bare = analysis.text.slice(word.end, lineEnd).trim() !== '';
  const items = scope.decl.kind === 'sweep' ? sweepKeyItems(analysis, scope.decl, present, range, bare) : experimentKeyItems(analysis, scope, present, range, bare);
  // Typing a new declaration at the margin of an unclosed body is typing at the top level.
  if (!scope.decl.body?.close && scope.path.length === 0 && lines.positionAt(word.start).character === 0) {
    items.push(...keywordItems(analysis, range).map((i) => ({ ...i, sortText: `z${i.sortText}` })));
  }
  return items;
}

function experimentKeyItems(analysis: Analysis, scope: BodyScope, present: Set<string>, range: Range, bare: boolean): CompletionItem[] {
  const spec = blockAt(scope.path);
  if (!spec) return [];
  const family = familyAt(analysis, scope.decl, scope.path, scope.openers[scope.openers.length - 1]);
  const info = experimentFor(analysis, scope.decl);
  const items: CompletionItem[] = [];
  let order = 0;
  for (const key of spec.keys) {
    if (present.has(key.name) || !belongsTo(key, family)) continue;
    const choices = allowedChoices(key, family);
    items.push(
      item(key.name, range, order++, {
        kind: CompletionItemKind.Property,
        detail: keyDetail(key, choices, defaultIn(key, family, info)),
        documentation: keyMarkdown(key, { blockPath: scope.path, block: spec, family, here: defaultIn(key, family, info) }),
        newText: bare ? key.name : `${key.name} ${valueSnippet(key, choices, defaultIn(key, family, info))}`,
        snippet: !bare,
        command: !bare && key.type.kind === 'string' && key.type.role !== 'column' ? TRIGGER_SUGGEST : undefined,
      }),
    );
  }
  for (const block of spec.blocks) {
    if (present.has(block.name) || !belongsTo(block, family)) continue;
    const kinds = block.kinds?.map((k) => k.name) ?? [];
    const head = kinds.length > 0 ? `${block.name} ${choiceSnippet(1, kinds)}` : block.name;
    items.push(
      item(block.name, range, order++, {
        kind: CompletionItemKind.Module,
        detail: kinds.length > 0 ? `block: ${block.name} ${kinds.length <= 4 ? kinds.join(' | ') : `${block.kindWord ?? 'kind'} { … }`}` : 'block',
        documentation: blockMarkdown(block, [...scope.path, block.name]),
        newText: bare ? block.name : `${head} {\n\t$0\n}`,
        snippet: !bare,
      }),
    );
  }
  return items;
}

/** The value part of a key snippet: a choice for enums and booleans, the default or example otherwise. */
function valueSnippet(key: KeySpec, choices: readonly string[], defaultValue: ReturnType<typeof defaultIn>): string {
  const t = key.type;
  // The editor preselects a choice's first option: make it the default.
  if (t.kind === 'enum' && !key.many && choices.length > 0) {
    const first = typeof defaultValue === 'string' && choices.includes(defaultValue) ? [defaultValue] : [];
    return choiceSnippet(1, [...first, ...choices.filter((c) => !first.includes(c))]);
  }
  if (t.kind === 'boolean') return choiceSnippet(1, defaultValue === true ? ['true', 'false'] : ['false', 'true']);
  if (t.kind === 'string') return `"${placeholder(1, '')}"`;
  const shown = defaultValue !== undefined && defaultValue !== null && !(Array.isArray(defaultValue) && defaultValue.length === 0) ? formatValue(defaultValue, t) : exampleValue(key) ?? '';
  return placeholder(1, shown);
}

/** Every dotted key a sweep may vary, with the block kinds (`method`, `task`, `method.prune`). */
function sweepAxes(): { path: string[]; target: Target }[] {
  const out: { path: string[]; target: Target }[] = [];
  const walk = (block: BlockSpec, path: string[]) => {
    if (path.length > 0 && block.kinds) out.push({ path, target: { kind: 'block-kind', block } });
    for (const key of block.keys) out.push({ path: [...path, key.name], target: { kind: 'key', key, blockPath: path, block } });
    for (const child of block.blocks) walk(child, [...path, child.name]);
  };
  walk(experimentSpec, []);
  return out;
}

function sweepKeyItems(analysis: Analysis, decl: SweepDecl, present: Set<string>, range: Range, bare: boolean): CompletionItem[] {
  const info = experimentFor(analysis, decl);
  // A sweep that varies a block's kind may set any knob of that block: some cell will take it.
  const familyOf = (path: readonly string[]): string | undefined =>
    path.length === 0 || present.has(path.join('.')) || !info ? undefined : blockAtPath(info.effective, path)?.kind?.family;
  const belongsAlong = (path: readonly string[]): boolean => {
    for (let i = 1; i <= path.length; i++) {
      const block = blockAt(path.slice(0, i));
      if (!block || !belongsTo(block, familyOf(path.slice(0, i - 1)))) return false;
    }
    return true;
  };
  const items: CompletionItem[] = [];
  let order = 0;
  for (const { path, target } of sweepAxes()) {
    const label = path.join('.');
    if (present.has(label)) continue;
    if (target.kind === 'block-kind') {
      if (!belongsAlong(path)) continue;
      const kinds = target.block.kinds?.map((k) => k.name) ?? [];
      items.push(
        item(label, range, order++, {
          kind: CompletionItemKind.Module,
          detail: `${target.block.kindWord ?? 'kind'}: one run per ${target.block.kindWord ?? 'kind'} listed`,
          documentation: blockMarkdown(target.block, path),
          newText: bare ? label : `${label} ${placeholder(1, kinds.slice(0, 2).join(', '))}`,
          snippet: !bare,
        }),
      );
      continue;
    }
    const family = familyOf(target.blockPath);
    if (!belongsAlong(target.blockPath) || !belongsTo(target.key, family)) continue;
    const choices = allowedChoices(target.key, family);
    const def = defaultIn(target.key, family, info);
    items.push(
      item(label, range, order++, {
        kind: CompletionItemKind.Property,
        detail: keyDetail(target.key, choices, def),
        documentation: keyMarkdown(target.key, { blockPath: target.blockPath, block: target.block, family, here: def }),
        newText: bare ? label : `${label} ${valueSnippet(target.key, choices, def)}`,
        snippet: !bare,
      }),
    );
  }
  return items;
}

// ---- values ---------------------------------------------------------------------------------

/** What the entry's key names: in an experiment by its block path, in a sweep by its dotted key. */
function targetOf(scope: BodyScope, entry: Entry): Target | undefined {
  if (scope.decl.kind === 'sweep') {
    const found = lookupKeyPath(entry.key.parts.map((p) => p.name));
    if ('problem' in found) return undefined;
    const t = found.target;
    return t.kind === 'key' ? { kind: 'key', key: t.key, blockPath: t.blockPath, block: t.block } : { kind: 'block-kind', block: t.block };
  }
  const spec = blockAt(scope.path);
  if (!spec || entry.key.parts.length !== 1) return undefined;
  const block = findBlock(spec, entry.key.text);
  if (block?.kinds) return { kind: 'block-kind', block };
  const key = findKey(spec, entry.key.text);
  return key ? { kind: 'key', key, blockPath: scope.path, block: spec } : undefined;
}

/** The family the target's key belongs to: of the entry's own block, or of the block the axis names. */
function targetFamily(analysis: Analysis, scope: BodyScope, target: Target): string | undefined {
  if (target.kind !== 'key') return undefined;
  if (scope.decl.kind === 'sweep') {
    const info = experimentFor(analysis, scope.decl);
    return info ? blockAtPath(info.effective, target.blockPath)?.kind?.family : undefined;
  }
  return familyAt(analysis, scope.decl, scope.path, scope.openers[scope.openers.length - 1]);
}

/** The values already written in the entry, except the one being typed at `typing`. */
function writtenNames(entry: Entry, typing: number): Set<string> {
  const names = new Set<string>();
  for (const v of entryValues(entry)) {
    if (v.span.start === typing) continue;
    if (v.kind === 'identifier-value') names.add(v.name);
    else if (v.kind === 'number') names.add(v.raw);
  }
  return names;
}

function valueItems(analysis: Analysis, scope: BodyScope, entry: Entry, index: number, typing: number, range: Range): CompletionItem[] {
  const target = targetOf(scope, entry);
  if (!target) return [];
  const sweep = scope.decl.kind === 'sweep';
  const written = writtenNames(entry, typing);
  if (target.kind === 'block-kind') {
    if (index > 0 && !sweep) return [];
    return (target.block.kinds ?? [])
      .filter((k) => !written.has(k.name))
      .map((k, i) => item(k.name, range, i, { kind: CompletionItemKind.EnumMember, detail: `${target.block.kindWord ?? 'kind'}`, documentation: kindMarkdown(target.block, k) }));
  }
  const { key } = target;
  const family = targetFamily(analysis, scope, target);
  const info = experimentFor(analysis, scope.decl);
  // One value per key, except lists, block selections and sweep axes (one value per cell).
  if (index > 0 && !key.many && key.type.kind !== 'blocks' && !sweep) return [];
  const items: CompletionItem[] = [];
  let order = 0;
  const add = (label: string, kind: CompletionItemKind, detail: string, documentation?: string) => {
    if (!written.has(label)) items.push(item(label, range, order++, { kind, detail, documentation }));
  };
  const t = key.type;
  if (t.kind === 'enum') {
    for (const name of allowedChoices(key, family)) {
      const choice = t.choices.find((c) => c.name === name);
      add(name, CompletionItemKind.EnumMember, `${key.name} value`, choice ? choiceMarkdown(key, choice) : undefined);
    }
  } else if (t.kind === 'boolean') {
    add('true', CompletionItemKind.Value, 'boolean');
    add('false', CompletionItemKind.Value, 'boolean');
  } else if (t.kind === 'blocks') {
    const layers = modelOf(info)?.config.numHiddenLayers;
    if (index === 0 && !written.has('all')) add('all', CompletionItemKind.EnumMember, layers !== undefined ? `every block (0..${layers - 1})` : 'every block');
    if (layers !== undefined) {
      for (let b = 0; b < layers && b < 64; b++) add(String(b), CompletionItemKind.Value, `block ${b} of ${layers}`);
      if (layers > 2) add(`1..${layers - 1}`, CompletionItemKind.Value, 'a range of blocks (inclusive)');
    }
  } else if (!sweep && index === 0 && t.kind !== 'string' && t.kind !== 'selector' && t.kind !== 'label') {
    const def = defaultIn(key, family, info);
    if (def !== undefined && def !== null && !(Array.isArray(def) && def.length === 0)) add(formatValue(def, t), CompletionItemKind.Value, 'default');
  }
  if (key.nullable && index === 0 && !sweep) add('none', CompletionItemKind.Keyword, key.many ? 'no value: an empty list' : 'no value');
  return items;
}

function unitItems(range: Range, touching: boolean): CompletionItem[] {
  const lead = touching ? ' ' : '';
  return [
    item('steps', range, 0, { kind: CompletionItemKind.Unit, detail: 'optimiser steps', newText: `${lead}steps` }),
    item('epochs', range, 1, { kind: CompletionItemKind.Unit, detail: 'passes over the training data', newText: `${lead}epochs` }),
  ];
}

// ---- strings --------------------------------------------------------------------------------

function stringItems(analysis: Analysis, lines: LineIndex, context: Extract<CursorContext, { kind: 'string' }>): CompletionItem[] {
  const target = targetOf(context.scope, context.entry);
  if (target?.kind !== 'key') return [];
  const spot = { typed: context.typed, contentStart: context.contentStart, contentEnd: context.contentEnd, text: analysis.text };
  const t = target.key.type;
  if (t.kind === 'string' && t.role !== 'column') return pathItems(analysis.filePath, t.role, spot, lines);
  if (t.kind === 'selector') {
    const info: ExperimentInfo | undefined = experimentFor(analysis, context.scope.decl);
    const model = modelOf(info);
    return model ? parameterItems(model.parameters, spot, lines) : [];
  }
  return [];
}
