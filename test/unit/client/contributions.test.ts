// package.json `contributes` and the extension code must name the same things: a command that is
// contributed but never registered fails with "command not found" only when a user clicks it.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { Commands, LANGUAGE_ID, PanelCommands, RESOLVED_CONFIG_SCHEME, SERVER_MODULE } from '../../../client/src/contributions';
import { DEFAULT_CHART_SMOOTHING, MAX_CHART_SMOOTHING, TRACE_LEVELS, TRAINER_BACKENDS } from '../../../client/src/settings';

const ROOT = path.join(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const contributes = pkg.contributes;

interface Contributed { command: string; when?: string }

test('the language is registered for .masklab files with its configuration and grammar', () => {
  const [language] = contributes.languages;
  assert.equal(language.id, LANGUAGE_ID);
  assert.deepEqual(language.extensions, ['.masklab']);
  assert.ok(existsSync(path.join(ROOT, language.configuration)), language.configuration);
  JSON.parse(readFileSync(path.join(ROOT, language.configuration), 'utf8'));

  const [grammar] = contributes.grammars;
  assert.equal(grammar.language, LANGUAGE_ID);
  const grammarFile = JSON.parse(readFileSync(path.join(ROOT, grammar.path), 'utf8'));
  assert.equal(grammarFile.scopeName, grammar.scopeName);
  assert.ok(pkg.activationEvents.includes(`onLanguage:${LANGUAGE_ID}`));
});

test('every command is both contributed and registered, and menus only name contributed commands', () => {
  const contributed = new Set<string>(contributes.commands.map((c: Contributed) => c.command));
  assert.deepEqual([...contributed].sort(), [...Object.values(Commands), ...Object.values(PanelCommands)].sort());

  const sources = readdirSync(path.join(ROOT, 'client/src/commands'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(path.join(ROOT, 'client/src/commands', f), 'utf8'))
    .join('\n');
  for (const [key, id] of Object.entries(Commands)) {
    assert.match(sources, new RegExp(`registerCommand\\(\\s*Commands\\.${key}\\b`), `${id} is contributed but never registered`);
  }
  for (const [key, id] of Object.entries(PanelCommands)) {
    assert.match(sources, new RegExp(`registerCommand\\(\\s*PanelCommands\\.${key}\\b`), `${id} is contributed but never registered`);
  }

  for (const [menu, entries] of Object.entries(contributes.menus as Record<string, Contributed[]>)) {
    for (const entry of entries) assert.ok(contributed.has(entry.command), `${menu} names unknown ${entry.command}`);
  }
  const refreshWhen = contributes.menus['editor/title'].find((e: Contributed) => e.command === Commands.refreshResolvedConfig).when;
  assert.match(refreshWhen, new RegExp(`resourceScheme == ${RESOLVED_CONFIG_SCHEME}\\b`));
});

test('settings declare the values the extension reads', () => {
  const properties = contributes.configuration.properties;
  assert.deepEqual(properties['masklab.trace.server'].enum, [...TRACE_LEVELS]);
  assert.deepEqual(properties['masklab.trainer.backend'].enum, [...TRAINER_BACKENDS]);
  assert.equal(properties['masklab.trainer.backend'].default, 'auto');
  assert.equal(properties['masklab.runs.directory'].type, 'string');
  assert.equal(properties['masklab.runs.directory'].default, '');
  assert.equal(properties['masklab.charts.smoothing'].default, DEFAULT_CHART_SMOOTHING);
  assert.equal(properties['masklab.charts.smoothing'].minimum, 0);
  assert.equal(properties['masklab.charts.smoothing'].maximum, MAX_CHART_SMOOTHING);
});

test('the bundle paths and the VS Code version fit the packaging and code-server 1.100', () => {
  assert.equal(path.normalize(pkg.main), path.normalize('dist/client/extension.js'));
  assert.equal(SERVER_MODULE, 'dist/server/server.js');
  const engine = /^\^1\.(\d+)\.\d+$/.exec(pkg.engines.vscode);
  assert.ok(engine, `engines.vscode ${pkg.engines.vscode} should be ^1.N.0`);
  assert.ok(Number(engine[1]) <= 100, 'code-server 4.100.3 carries VS Code 1.100.3; a higher engine will not install there');
  const typesMinor = Number(/1\.(\d+)/.exec(pkg.devDependencies['@types/vscode'])?.[1]);
  assert.ok(typesMinor <= Number(engine[1]), '@types/vscode must not be newer than engines.vscode');
});
