// The runs part of package.json against the code: the commands the server's code lenses name are
// the client's, the Runs view is where the code looks for it, its menus only act in that view, and
// the extension declares what it does in an untrusted workspace.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { Commands, RUNS_VIEW, RUNS_VIEW_CONTAINER } from '../../../client/src/contributions';
import { CANCEL_RUN, EVALUATE, OPEN_LAST_RUN, SHOW_RESOLVED_CONFIG, TRAIN } from '../../../server/src/features/codeLenses';

const ROOT = path.join(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const contributes = pkg.contributes;

test("the server's code lenses name commands the client registers", () => {
  assert.deepEqual([TRAIN, EVALUATE, OPEN_LAST_RUN, CANCEL_RUN, SHOW_RESOLVED_CONFIG], [Commands.train, Commands.evaluate, Commands.openLastRun, Commands.cancelRun, Commands.showResolvedConfig]);
});

test('the Runs view lives in its own activity-bar container, with an icon that exists', () => {
  const [container] = contributes.viewsContainers.activitybar;
  assert.equal(container.id, RUNS_VIEW_CONTAINER);
  assert.ok(existsSync(path.join(ROOT, container.icon)), container.icon);
  const views = contributes.views[RUNS_VIEW_CONTAINER];
  assert.deepEqual(views.map((v: { id: string }) => v.id), [RUNS_VIEW]);
  assert.ok(contributes.viewsWelcome.some((w: { view: string; contents: string }) => w.view === RUNS_VIEW && w.contents.includes('command:masklab.train')));
});

test('Runs view menus act only in the Runs view; Delete never shows on a running run; tree-only commands stay out of the palette', () => {
  for (const menu of ['view/title', 'view/item/context']) {
    for (const entry of contributes.menus[menu] as { command: string; when: string }[]) {
      assert.match(entry.when, new RegExp(`^view == ${RUNS_VIEW.replace('.', '\\.')}\\b`), `${menu} ${entry.command}`);
    }
  }
  const remove = contributes.menus['view/item/context'].find((e: { command: string }) => e.command === Commands.deleteRun);
  assert.match(remove.when, /!\(viewItem =~ \/\\brunning\\b\/\)/);
  const hidden = contributes.menus.commandPalette.filter((e: { when: string }) => e.when === 'false').map((e: { command: string }) => e.command);
  for (const id of [Commands.showRunMetrics, Commands.showRunMasks, Commands.compareRuns, Commands.revealRunFolder, Commands.deleteRun]) assert.ok(hidden.includes(id), id);
});

test('untrusted workspaces: limited support, said in words, with the run settings restricted', () => {
  const untrusted = pkg.capabilities.untrustedWorkspaces;
  assert.equal(untrusted.supported, 'limited');
  assert.match(untrusted.description, /does not train/);
  assert.deepEqual(untrusted.restrictedConfigurations.sort(), ['masklab.runs.directory', 'masklab.trainer.backend']);
});
