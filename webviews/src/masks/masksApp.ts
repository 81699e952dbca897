// The masks panel: a run's mask snapshots as a blocks × matrices heatmap of kept fractions, a
// scrubber over its snapshot steps (following the newest while the run trains), a diff between two
// steps or two runs, and a drill-down into one matrix. Snapshots are fetched from the extension
// as the scrubber reaches them, and cached.

import type { MaskSnapshotFile } from '../../../schemas/src/runRecord';
import type { MaskMatrixSnapshot } from '../../../schemas/src/trainerMessages';
import type { MasksInitMessage, MasksRunIndex, MasksViewMode, MasksViewState, PanelRunState } from '../../../schemas/src/webviewMessages';
import { readMasksViewState, runDirsOfState } from '../../../schemas/src/webviewMessageSchema';
import { mix, type Rgba } from '../shared/color';
import { clear, el } from '../shared/dom';
import type { Messenger, PanelMessage } from '../shared/messenger';
import { onThemeChange, themeColor, themeFont, themeKind } from '../shared/theme';
import { ViewState } from '../shared/viewState';
import type { VsCodeApi } from '../shared/vscodeApi';
import { diffLimit, divergingScale, keptDomain, sequentialScale } from './colorScale';
import { DrillDownView, type DrillDownContent } from './drillDownView';
import { heatmapLayout } from './heatmapLayout';
import { HeatmapView, type HeatmapColors } from './heatmapView';
import { decodeImage, diffSnapshots, type MatrixDiff } from './maskDiff';
import { keptFractions } from './maskImage';
import { KeptHistory, sampleSteps, stripKey } from './keptHistory';
import { insertStep, nearestStep, SnapshotCache } from './snapshotCache';

type Colors = HeatmapColors & { low: Rgba; high: Rgba; negative: Rgba; positive: Rgba; bar: Rgba; baseBar: Rgba; threshold: Rgba };

/** Snapshot steps the history strip shows at most (sampled evenly over the run). */
const STRIP_STEPS = 80;

/** What one paint shows, once its snapshots are loaded. */
type View =
  | { mode: 'kept'; run: MasksRunIndex; snapshot: MaskSnapshotFile }
  | { mode: 'diff'; run: MasksRunIndex; snapshot: MaskSnapshotFile; base: MaskSnapshotFile; baseRun: MasksRunIndex; label: string };

export class MasksApp {
  private runs: MasksRunIndex[] = [];
  private state: ViewState<MasksViewState> | undefined;
  private readonly cache = new SnapshotCache();
  private colors: Colors | undefined;
  /** Bumped by every show(): a slow snapshot request must not paint over a newer choice. */
  private generation = 0;
  private view: View | undefined;

  private readonly runSelect = el('select', { 'aria-label': 'Run' });
  private readonly mode = el(
    'select',
    { 'aria-label': 'Mode' },
    el('option', { value: 'kept' }, 'kept fraction'),
    el('option', { value: 'diff-steps' }, 'diff: two steps'),
    el('option', { value: 'diff-runs' }, 'diff: two runs'),
  );
  private readonly fit = el('input', { type: 'checkbox' });
  private readonly scrubber = el('input', { type: 'range', min: 0, max: 0, step: 1, 'aria-label': 'Snapshot step' });
  private readonly stepLabel = el('output', { class: 'step-label' });
  private readonly follow = el('input', { type: 'checkbox' });
  private readonly baseScrubber = el('input', { type: 'range', min: 0, max: 0, step: 1, 'aria-label': 'Baseline step' });
  private readonly baseLabel = el('output', { class: 'step-label' });
  private readonly baseRunSelect = el('select', { 'aria-label': 'Baseline run' });
  private readonly baseStepRow = el('label', { class: 'base-row' }, 'Baseline step', this.baseScrubber, this.baseLabel);
  private readonly baseRunRow = el('label', { class: 'base-row' }, 'Baseline run', this.baseRunSelect);
  private readonly status = el('output', { id: 'status', 'aria-live': 'polite' });
  private readonly notices = el('div', { class: 'notices' });
  private readonly heatmap = new HeatmapView({ label: 'Kept fraction per block and matrix', onSelect: (cell) => this.select(cell.matrix.name) });
  private readonly drillDown = new DrillDownView();
  /** Kept fraction of every matrix at every snapshot step (sampled): the strip under the heatmap. */
  private readonly history = new KeptHistory();
  private readonly strip = new HeatmapView({
    label: 'Kept fraction of each matrix over the snapshots',
    // A click goes to that step, drilled into that matrix.
    onSelect: (cell) => this.update({ step: Number(cell.key!.slice(cell.key!.lastIndexOf('@') + 1)), selected: cell.matrix.name }),
    minCell: 4,
    maxCell: 56,
    cellHeight: 16,
    showValues: false,
    describe: (cell, value) => `${cell.matrix.name} · step ${cell.key!.slice(cell.key!.lastIndexOf('@') + 1)} · ${value}`,
  });
  private readonly stripSection = el(
    'section',
    { class: 'strip' },
    el('h2', {}, 'Kept fraction over the snapshots'),
    el('p', { class: 'hint' }, 'One row per matrix, one column per snapshot step; click a cell to go to that step.'),
    this.strip.element,
  );
  /** Runs whose history is being fetched (one request at a time, in the background). */
  private readonly filling = new Set<string>();
  private stripQueued = false;

  constructor(
    private readonly api: VsCodeApi,
    private readonly messenger: Messenger,
    root: HTMLElement,
  ) {
    this.runSelect.addEventListener('change', () => this.update({ run: Number(this.runSelect.value), step: null }));
    this.mode.addEventListener('change', () => this.update({ mode: this.mode.value as MasksViewMode }));
    this.fit.addEventListener('change', () => this.update({ fit: this.fit.checked }));
    this.scrubber.addEventListener('input', () => {
      const steps = this.currentRun()?.steps ?? [];
      const index = Number(this.scrubber.value);
      // Dragging to the end follows new snapshots again.
      this.update({ step: index >= steps.length - 1 ? null : steps[index] });
    });
    this.follow.addEventListener('change', () => {
      const steps = this.currentRun()?.steps ?? [];
      this.update({ step: this.follow.checked ? null : steps[steps.length - 1] ?? null });
    });
    this.baseScrubber.addEventListener('input', () => this.update({ baseStep: this.currentRun()?.steps[Number(this.baseScrubber.value)] ?? null }));
    this.baseRunSelect.addEventListener('change', () => this.update({ baseRun: Number(this.baseRunSelect.value) }));
    // Marks the page, so tests find this panel's frame among the workbench's webviews.
    root.dataset.panel = 'masks';
    root.append(
      el(
        'header',
        { class: 'toolbar' },
        el('label', { class: 'run-choice' }, 'Run', this.runSelect),
        el('label', {}, 'Show', this.mode),
        el('label', { title: 'Fit the colour scale to the values shown instead of the full range' }, this.fit, 'fit colours'),
        this.status,
      ),
      el(
        'div',
        { class: 'scrub-row' },
        el('label', {}, 'Step', this.scrubber, this.stepLabel),
        el('label', { title: 'Show each new snapshot as the run takes it' }, this.follow, 'follow newest'),
      ),
      this.baseStepRow,
      this.baseRunRow,
      this.notices,
      el('div', { class: 'masks-body' }, el('div', { class: 'masks-main' }, this.heatmap.element, this.stripSection), this.drillDown.element),
    );
    this.status.textContent = 'Loading snapshots…';
    onThemeChange(() => {
      this.colors = undefined;
      this.paint();
    });
    window.addEventListener('resize', () => this.paint());
  }

  handle(message: PanelMessage): void {
    switch (message.type) {
      case 'masks/init':
        this.init(message);
        break;
      case 'masks/snapshot': {
        const run = this.runs.find((r) => r.runDir === message.runDir);
        if (!run) return;
        this.cache.set(run.runDir, message.snapshot);
        this.history.add(run.runDir, message.snapshot);
        const added = insertStep(run.steps, message.snapshot.step);
        if (added && (run === this.currentRun() || run === this.baseRun())) this.show();
        break;
      }
      case 'run/state':
        this.setRunState(message.runDir, message.state, message.message);
        break;
      case 'run/deleted':
        this.setRunState(message.runDir, 'missing', 'the run folder was deleted');
        break;
      default:
        this.messenger.log('warning', `masks panel ignored a '${message.type}' message meant for another panel`);
    }
  }

  private init(message: MasksInitMessage): void {
    this.runs = message.runs.map((r) => ({ ...r, steps: [...r.steps].sort((a, b) => a - b) }));
    const runDirs = this.runs.map((r) => r.runDir);
    this.state = new ViewState<MasksViewState>(this.api, readMasksViewState, (previous) => ({
      panel: 'masks',
      runDirs: runDirsOfState(previous),
      run: 0,
      step: null,
      mode: 'kept',
      baseStep: null,
      baseRun: this.runs.length > 1 ? 1 : 0,
      // Masks often keep 94–97 % everywhere: on the full 0–100 scale every cell looks the same.
      // The legend shows the fitted range, and every cell prints its value.
      fit: true,
      selected: null,
    }));
    const s = this.state.value;
    this.state.update({
      runDirs,
      run: s.run < this.runs.length ? s.run : 0,
      baseRun: s.baseRun < this.runs.length ? s.baseRun : 0,
      mode: s.mode === 'diff-runs' && this.runs.length < 2 ? 'kept' : s.mode,
    });
    clear(this.runSelect);
    clear(this.baseRunSelect);
    this.runs.forEach((run, i) => {
      const label = `${run.name} · ${run.runId}`;
      this.runSelect.append(el('option', { value: i }, label));
      this.baseRunSelect.append(el('option', { value: i }, label));
    });
    this.show();
  }

  private update(change: Partial<MasksViewState>): void {
    this.state?.update(change);
    this.show();
  }

  private select(name: string): void {
    this.state?.update({ selected: name });
    this.paint();
  }

  private currentRun(): MasksRunIndex | undefined {
    return this.state ? this.runs[this.state.value.run] : undefined;
  }

  private baseRun(): MasksRunIndex | undefined {
    return this.state?.value.mode === 'diff-runs' ? this.runs[this.state.value.baseRun] : undefined;
  }

  private setRunState(runDir: string, state: PanelRunState, message: string | null): void {
    const run = this.runs.find((r) => r.runDir === runDir);
    if (!run) return;
    run.state = state;
    run.message = message;
    this.renderNotices();
  }

  /** Syncs the controls with the state, loads what the view needs, then paints. */
  private show(): void {
    const generation = ++this.generation;
    const state = this.state?.value;
    const run = this.currentRun();
    if (!state || !run) {
      this.view = undefined;
      this.renderNotices();
      this.paint();
      return;
    }
    this.syncControls(state, run);
    this.renderNotices();
    void this.fillHistory(run);
    const step = state.step ?? run.steps[run.steps.length - 1];
    if (step === undefined) {
      this.view = undefined;
      this.paint();
      return;
    }
    void (async () => {
      try {
        const snapshot = await this.load(run, step);
        let view: View;
        if (state.mode === 'diff-steps') {
          const baseStep = state.baseStep ?? run.steps[0];
          const base = await this.load(run, baseStep);
          view = { mode: 'diff', run, snapshot, base, baseRun: run, label: `vs step ${baseStep}` };
        } else if (state.mode === 'diff-runs' && this.runs[state.baseRun] && this.runs[state.baseRun] !== run) {
          const baseRun = this.runs[state.baseRun];
          const baseStep = nearestStep(baseRun.steps, step);
          if (baseStep === undefined) throw new Error(`${baseRun.name} · ${baseRun.runId} has no mask snapshots to compare with`);
          const base = await this.load(baseRun, baseStep);
          view = { mode: 'diff', run, snapshot, base, baseRun, label: `vs ${baseRun.name} · ${baseRun.runId} at step ${baseStep}` };
        } else {
          view = { mode: 'kept', run, snapshot };
        }
        if (generation !== this.generation) return;
        this.view = view;
        this.paint();
      } catch (error) {
        if (generation !== this.generation) return;
        this.view = undefined;
        this.paint();
        this.notices.append(el('p', { class: 'notice error' }, `Cannot show the snapshot: ${error instanceof Error ? error.message : String(error)}`));
      }
    })();
  }

  private async load(run: MasksRunIndex, step: number): Promise<MaskSnapshotFile> {
    const cached = this.cache.get(run.runDir, step);
    if (cached) return cached;
    const { snapshot } = await this.messenger.request({ kind: 'snapshot', runDir: run.runDir, step });
    this.cache.set(run.runDir, snapshot);
    this.history.add(run.runDir, snapshot);
    return snapshot;
  }

  /** Fetches, one at a time, the sampled snapshot steps the strip still lacks for `run`. */
  private async fillHistory(run: MasksRunIndex): Promise<void> {
    if (this.filling.has(run.runDir)) return;
    this.filling.add(run.runDir);
    try {
      for (;;) {
        if (this.currentRun() !== run) return;
        const missing = sampleSteps(run.steps, STRIP_STEPS).filter((s) => !this.history.has(run.runDir, s));
        if (missing.length === 0) return;
        const step = missing[missing.length - 1];
        const { snapshot } = await this.messenger.request({ kind: 'snapshot', runDir: run.runDir, step });
        this.history.add(run.runDir, snapshot);
        this.queueStrip();
      }
    } catch (error) {
      this.messenger.log('warning', `masks panel: could not load the snapshot history of ${run.runDir}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.filling.delete(run.runDir);
    }
  }

  private queueStrip(): void {
    if (this.stripQueued) return;
    this.stripQueued = true;
    requestAnimationFrame(() => {
      this.stripQueued = false;
      this.paintStrip();
    });
  }

  /** The history strip of the run shown, its current step's cell of the selected matrix outlined. */
  private paintStrip(): void {
    const run = this.currentRun();
    const state = this.state?.value;
    const colors = (this.colors ??= readColors());
    const steps = run ? sampleSteps(run.steps, STRIP_STEPS) : [];
    this.stripSection.hidden = !run || steps.length < 2;
    if (!run || !state || this.stripSection.hidden) return;
    const layout = this.history.layout(run.runDir, steps);
    const scale = sequentialScale(keptDomain(this.history.values(run.runDir, steps), state.fit), colors.low, colors.high);
    const shown = this.view?.snapshot.step;
    const selected = state.selected !== null && shown !== undefined ? stripKey(state.selected, shown) : null;
    this.strip.paint(layout, scale, colors, selected, percent, 'kept %');
    this.status.dataset.history = String(this.strip.painted);
  }

  private syncControls(state: MasksViewState, run: MasksRunIndex): void {
    const many = this.runs.length > 1;
    (this.runSelect.parentElement as HTMLElement).hidden = !many;
    this.runSelect.value = String(state.run);
    (this.mode.querySelector('option[value="diff-runs"]') as HTMLOptionElement).disabled = !many;
    this.mode.value = state.mode;
    this.fit.checked = state.fit;
    const steps = run.steps;
    const step = state.step ?? steps[steps.length - 1];
    const index = step === undefined ? 0 : Math.max(0, steps.indexOf(step));
    this.scrubber.max = String(Math.max(0, steps.length - 1));
    this.scrubber.value = String(index);
    this.scrubber.disabled = steps.length < 2;
    this.stepLabel.textContent = step === undefined ? 'no snapshots yet' : `step ${step} (${index + 1} of ${steps.length})`;
    this.follow.checked = state.step === null;
    this.baseStepRow.hidden = state.mode !== 'diff-steps';
    this.baseRunRow.hidden = state.mode !== 'diff-runs';
    const baseStep = state.baseStep ?? steps[0];
    this.baseScrubber.max = String(Math.max(0, steps.length - 1));
    this.baseScrubber.value = String(Math.max(0, steps.indexOf(baseStep ?? -1)));
    this.baseLabel.textContent = baseStep === undefined ? '' : `step ${baseStep}`;
    this.baseRunSelect.value = String(state.baseRun);
  }

  private renderNotices(): void {
    clear(this.notices);
    const run = this.currentRun();
    if (!run) {
      this.notices.append(el('p', { class: 'notice' }, 'No runs to show.'));
      return;
    }
    for (const r of this.runs) {
      if (r.state === 'missing') {
        this.notices.append(
          el('p', { class: 'notice warning' }, `The run folder ${r.runDir} no longer exists; only snapshots already loaded can be shown.`),
        );
      } else if (r.state === 'failed' && r === run) {
        this.notices.append(el('p', { class: 'notice error' }, `This run failed: ${r.message ?? 'see its trainer.log'}`));
      }
    }
    if (run.steps.length === 0 && run.state !== 'missing') {
      this.notices.append(
        el(
          'p',
          { class: 'notice' },
          run.state === 'running'
            ? 'No mask snapshot yet: the first is taken at the first evaluation.'
            : 'This run has no mask snapshots (its method learns no masks, or it stopped before the first evaluation).',
        ),
      );
    }
    if (this.state?.value.mode === 'diff-runs' && this.runs[this.state.value.baseRun] === run) {
      this.notices.append(el('p', { class: 'notice' }, 'Pick a different baseline run to compare with.'));
    }
  }

  private paint(): void {
    const colors = (this.colors ??= readColors());
    const view = this.view;
    const state = this.state?.value;
    if (!view || !state) {
      this.heatmap.paint({ rows: [], columns: [], cells: [] }, sequentialScale([0, 1], colors.low, colors.high), colors, null, percent, 'kept');
      this.drillDown.show(undefined, colors);
      this.renderStatus(0);
      return;
    }
    if (view.mode === 'kept') {
      const matrices = view.snapshot.matrices;
      const scale = sequentialScale(keptDomain(matrices.map((m) => m.kept), state.fit), colors.low, colors.high);
      this.heatmap.paint(heatmapLayout(matrices, (m) => m.kept), scale, colors, state.selected, percent, 'kept %');
      const chosen = matrices.find((m) => m.name === state.selected);
      this.drillDown.show(chosen ? this.keptDetail(chosen, view.run) : undefined, colors);
    } else {
      const diff = diffSnapshots(view.snapshot.matrices, view.base.matrices);
      const limit = diffLimit(diff.matrices.map((m) => m.delta), state.fit);
      const scale = divergingScale(limit, colors.negative, colors.low, colors.positive);
      this.heatmap.paint(heatmapLayout(diff.matrices, (m) => m.delta), scale, colors, state.selected, signedPoints, 'Δ kept (points)');
      const chosen = diff.matrices.find((m) => m.name === state.selected);
      const current = view.snapshot.matrices.find((m) => m.name === state.selected);
      const base = view.base.matrices.find((m) => m.name === state.selected);
      this.drillDown.show(chosen && current ? this.diffDetail(chosen, current, base, view) : undefined, colors);
      if (diff.onlyCurrent.length + diff.onlyBase.length > 0) {
        this.notices.append(
          el('p', { class: 'notice' }, `${diff.onlyCurrent.length + diff.onlyBase.length} matrices are in only one of the two snapshots and are not shown.`),
        );
      }
    }
    this.renderStatus(this.heatmap.painted);
    this.paintStrip();
  }

  private keptDetail(matrix: MaskMatrixSnapshot, run: MasksRunIndex): DrillDownContent {
    const bytes = decodeImage(matrix.image);
    return {
      matrix,
      values: bytes ? keptFractions(bytes) : undefined,
      // The image always uses the full range: its pixels are often exactly 0 or 1.
      scale: sequentialScale([0, 1], this.colors!.background, this.colors!.high),
      summary: `kept ${percent(matrix.kept)} %`,
      threshold: run.threshold,
      imageCaption: poolingCaption(matrix),
    };
  }

  private diffDetail(diff: MatrixDiff, current: MaskMatrixSnapshot, base: MaskMatrixSnapshot | undefined, view: Extract<View, { mode: 'diff' }>): DrillDownContent {
    const colors = this.colors!;
    return {
      matrix: current,
      values: diff.image?.delta,
      scale: divergingScale(1, colors.negative, colors.low, colors.positive),
      summary: `kept ${percent(diff.kept)} % (${signedPoints(diff.delta)} points ${view.label})`,
      baseScores: base?.scores,
      threshold: view.run.threshold,
      imageCaption: `${poolingCaption(current)}; colour: change of kept fraction`,
    };
  }

  private renderStatus(painted: number): void {
    const view = this.view;
    const run = this.currentRun();
    const step = view?.snapshot.step;
    this.status.textContent = view && run ? `${run.name} · step ${step}${view.mode === 'diff' ? ` · ${view.label}` : ''}` : run ? `${run.name} · no snapshot` : '';
    Object.assign(this.status.dataset, {
      cells: String(painted),
      step: step === undefined ? '' : String(step),
      mode: this.state?.value.mode ?? '',
      run: run?.runDir ?? '',
      selected: this.state?.value.selected ?? '',
    });
  }
}

function readColors(): Colors {
  const kind = themeKind();
  const highContrast = kind === 'high-contrast' || kind === 'high-contrast-light';
  const foreground = themeColor('editor-foreground', kind === 'light' ? '#333333' : '#cccccc');
  const background = themeColor('editor-background', kind === 'light' ? '#ffffff' : '#1e1e1e');
  return {
    foreground,
    muted: themeColor('descriptionForeground', kind === 'light' ? '#717171' : '#9d9d9d'),
    background,
    // The low end of the kept scale: a shade off the background, so a cell never vanishes into it.
    low: mix(background, foreground, 0.1),
    focus: themeColor('focusBorder', '#007fd4'),
    border: highContrast ? themeColor('contrastBorder', foreground.r > 128 ? '#ffffff' : '#000000') : undefined,
    fontFamily: themeFont(),
    high: themeColor('charts-blue', '#3794ff'),
    positive: themeColor('charts-blue', '#3794ff'),
    negative: themeColor('charts-orange', '#d18616'),
    bar: themeColor('charts-blue', '#3794ff'),
    baseBar: themeColor('charts-orange', '#d18616'),
    threshold: themeColor('editorError-foreground', '#f14c4c'),
  };
}

/** Kept fractions as percentages in cells: 95.1 */
function percent(value: number): string {
  return (value * 100).toFixed(value >= 0.9995 || value < 0.0005 ? 0 : 1);
}

/** Changes in percentage points, signed: +0.4, −1.2 */
function signedPoints(value: number): string {
  const points = value * 100;
  if (Math.abs(points) < 0.05) return '0';
  return `${points > 0 ? '+' : '−'}${Math.abs(points).toFixed(1)}`;
}

function poolingCaption(matrix: MaskMatrixSnapshot): string {
  const [rows, cols] = matrix.shape;
  const { width, height } = matrix.image;
  const blockRows = Math.max(1, Math.round(rows / height));
  const blockCols = Math.max(1, Math.round(cols / width));
  return blockRows * blockCols === 1
    ? `each pixel is one weight (${height} × ${width})`
    : `each pixel is the kept fraction of a ${blockRows} × ${blockCols} block of weights (${height} × ${width} pixels)`;
}
