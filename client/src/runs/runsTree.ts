// The Runs view's tree as plain data: experiments (and sweeps) → runs, with each run's status icon,
// best metric, duration and run id, live progress for runs training in this window, and the
// context tokens the view's menus match (`viewItem =~ /\bresumable\b/`). The vscode TreeDataProvider
// (runsView.ts) only turns these nodes into TreeItems.

import type { ProgressMessage } from '../../../schemas/src/trainerMessages';
import type { RunEntry, RunEntryState } from './runStoreScan';
import { formatDuration, formatValue, percentOf } from './runText';

export interface ThemeIconRef {
  id: string;
  /** A theme colour id (`testing.iconPassed`), so the icon follows light, dark and high-contrast themes. */
  color?: string;
}

export interface RunNode {
  kind: 'run';
  /** Stable across refreshes (the folder), so the view keeps selection and expansion. */
  id: string;
  parentId: string;
  label: string;
  description: string;
  tooltip: string;
  icon: ThemeIconRef;
  contextValue: string;
  runDir: string;
  runId: string;
  state: RunEntryState;
  /** True while this window's language server trains it (it can be cancelled from here). */
  active: boolean;
}

export interface GroupNode {
  kind: 'group';
  id: string;
  label: string;
  description: string;
  tooltip: string;
  runsDir: string;
  runs: RunNode[];
}

export type RunsTreeNode = GroupNode | RunNode;

export interface StoreContents {
  runsDir: string;
  runs: readonly RunEntry[];
}

/** What this window knows live about a run (from its events), beyond the files. */
export interface LiveRun {
  progress?: ProgressMessage;
  /** Trained by this window's server right now. */
  active: boolean;
}

const ICONS: Record<RunEntryState, ThemeIconRef> = {
  running: { id: 'sync~spin' },
  completed: { id: 'pass', color: 'testing.iconPassed' },
  cancelled: { id: 'circle-slash', color: 'disabledForeground' },
  failed: { id: 'error', color: 'testing.iconFailed' },
  interrupted: { id: 'debug-pause', color: 'list.warningForeground' },
  unknown: { id: 'question' },
};

export function buildRunsTree(stores: readonly StoreContents[], live: (runId: string) => LiveRun | undefined = () => undefined): GroupNode[] {
  const groupNames = new Map<string, number>();
  for (const store of stores) for (const group of new Set(store.runs.map((r) => r.group))) groupNames.set(group, (groupNames.get(group) ?? 0) + 1);
  const groups: GroupNode[] = [];
  for (const store of stores) {
    const byGroup = new Map<string, RunEntry[]>();
    for (const run of store.runs) byGroup.set(run.group, [...(byGroup.get(run.group) ?? []), run]);
    for (const [group, runs] of byGroup) {
      const id = `${store.runsDir}\u0000${group}`;
      const newestFirst = [...runs].sort((a, b) => b.runId.localeCompare(a.runId));
      const nodes = newestFirst.map((run) => runNode(run, id, live(run.runId)));
      const running = nodes.filter((n) => n.state === 'running').length;
      const best = bestOf(runs);
      const parts = [`${runs.length} run${runs.length === 1 ? '' : 's'}`];
      if (running > 0) parts.push(`${running} running`);
      if (best) parts.push(`best ${best.metric} ${formatValue(best.value)}`);
      // The same experiment name in two run stores: say which store each is.
      if ((groupNames.get(group) ?? 0) > 1) parts.push(store.runsDir);
      groups.push({ kind: 'group', id, label: group, description: parts.join(' · '), tooltip: `${group}\n${store.runsDir}`, runsDir: store.runsDir, runs: nodes });
    }
  }
  // The experiment trained most recently first.
  return groups.sort((a, b) => (b.runs[0]?.runId ?? '').localeCompare(a.runs[0]?.runId ?? '') || a.label.localeCompare(b.label));
}

function bestOf(runs: readonly RunEntry[]): { metric: string; value: number } | undefined {
  let best: { metric: string; value: number } | undefined;
  for (const run of runs) if (run.best && (!best || (run.best.metric === best.metric && run.best.value > best.value))) best = run.best;
  return best;
}

export function runNode(run: RunEntry, parentId: string, live?: LiveRun): RunNode {
  const active = live?.active === true;
  // A run this window trains is running whatever the last heartbeat on disk says.
  const state: RunEntryState = active ? 'running' : run.state;
  const parts: string[] = [];
  if (run.sweepIndex !== null) parts.push(`cell ${run.sweepIndex}`);
  if (state === 'running') {
    const progress = live?.progress;
    if (progress) parts.push(`${percentOf(progress).toFixed(0)}%`);
    else if (run.stepsTotal) parts.push(`${Math.round((100 * run.step) / run.stepsTotal)}%`);
    else parts.push('running');
  } else if (state !== 'completed') {
    parts.push(run.stepsTotal ? `${state} at ${run.step}/${run.stepsTotal}` : state);
  }
  if (run.best) parts.push(`${run.best.metric} ${formatValue(run.best.value)}`);
  const seconds = active && live?.progress ? live.progress.elapsedSeconds : run.durationSeconds;
  if (seconds !== null && seconds !== undefined) parts.push(formatDuration(seconds));

  const resumable = !active && state !== 'running' && state !== 'completed' && (run.resumable || state === 'interrupted');
  const tokens = ['masklabRun', state];
  if (resumable) tokens.push('resumable');
  if (active) tokens.push('active');
  if (state === 'completed') tokens.push('evaluable');

  const tooltip = [
    `${run.name} · run ${run.runId}`,
    `state: ${state}${run.stepsTotal ? ` · step ${run.step}/${run.stepsTotal}` : ''}`,
    run.best ? `best ${run.best.metric}: ${formatValue(run.best.value)} (step ${run.best.step})` : 'no dev metrics yet',
    run.startedAt ? `started ${run.startedAt}` : undefined,
    run.message && state !== 'completed' ? `${state === 'failed' ? 'why' : 'note'}: ${run.message}` : undefined,
    ...run.problems.map((p) => `unreadable: ${p}`),
    run.dir,
  ].filter((line): line is string => line !== undefined);

  return {
    kind: 'run',
    id: run.dir,
    parentId,
    label: run.runId,
    description: parts.join(' · '),
    tooltip: tooltip.join('\n'),
    icon: ICONS[state],
    contextValue: tokens.join(' '),
    runDir: run.dir,
    runId: run.runId,
    state,
    active,
  };
}

/** Nodes the user selected, reduced to runs (a selected experiment stands for all its runs). */
export function selectedRuns(nodes: readonly RunsTreeNode[]): RunNode[] {
  const runs = new Map<string, RunNode>();
  for (const node of nodes) for (const run of node.kind === 'run' ? [node] : node.runs) runs.set(run.runDir, run);
  return [...runs.values()];
}
