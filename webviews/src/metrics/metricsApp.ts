// The metrics panel: toolbar (smoothing, x axis, exports), the runs shown (tick to hide), one
// chart per metric group, and the best / last / min table. Live appends only mark the panel
// dirty; drawing happens at most once per frame and, when drawing gets expensive (very long
// runs), less often, so 100 messages a second never queue up work.

import type { MetricsInitMessage, MetricsViewState, PanelRun, PanelRunState, XAxisKind } from '../../../schemas/src/webviewMessages';
import { readMetricsViewState, runDirsOfState } from '../../../schemas/src/webviewMessageSchema';
import { el, clear } from '../shared/dom';
import type { Messenger, PanelMessage } from '../shared/messenger';
import { onThemeChange, themeColor } from '../shared/theme';
import { ViewState } from '../shared/viewState';
import type { VsCodeApi } from '../shared/vscodeApi';
import { seedGroups, type SeedGroup } from './aggregation';
import { ChartCard, type ChartColors } from './chartCard';
import { exportName, toCsv, toJson, type ExportRun } from './exportData';
import { chartGroups, metricLabel, type ChartGroup } from './metricGroups';
import { MetricsStore } from './metricsStore';
import { runLabel, SeriesBuilder } from './seriesBuilder';
import { formatMetric } from './numberFormat';
import { summarise, tableMetrics, type AtStep } from './summaryTable';

const PALETTE = ['charts-blue', 'charts-orange', 'charts-green', 'charts-purple', 'charts-red', 'charts-yellow'];
const PALETTE_FALLBACKS = ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'];
/** The benchmark's pages ask for a performance measure per draw. */
const PROFILE = typeof document !== 'undefined' && document.body?.dataset.profile === 'on';
/** Live records are drawn at most this often: four times a second reads as live and costs little. */
const LIVE_INTERVAL_MS = 250;
/** Decimation buckets are this many pixels wide (each keeps up to four points). */
const BUCKET_PX = 3;
/** The table is DOM work: during a live run it is refreshed at most this often. */
const TABLE_INTERVAL_MS = 1_000;

export class MetricsApp {
  private readonly store = new MetricsStore();
  private readonly builder = new SeriesBuilder(this.store);
  private state: ViewState<MetricsViewState> | undefined;
  private groups: SeedGroup[] = [];
  private cards = new Map<string, ChartCard>();
  private chartSignature = '';
  private colors: ChartColors | undefined;
  private deleted = new Set<string>();

  private renderQueued = false;
  private lastRenderAt = 0;
  private lastRenderCost = 0;
  private tableDirty = true;
  private lastTableAt = 0;
  private tableTimer: ReturnType<typeof setTimeout> | undefined;
  /** Draws so far (the benchmark counts them). */
  private renders = 0;

  private readonly smoothing = el('input', { type: 'range', min: 0, max: 0.99, step: 0.01, 'aria-label': 'Smoothing' });
  private readonly smoothingValue = el('output', { class: 'smoothing-value' });
  private readonly xAxis = el(
    'select',
    { 'aria-label': 'x axis' },
    el('option', { value: 'step' }, 'step'),
    el('option', { value: 'epoch' }, 'epoch'),
    el('option', { value: 'time' }, 'wall time'),
  );
  private readonly status = el('output', { id: 'status', 'aria-live': 'polite' });
  private readonly notices = el('div', { class: 'notices' });
  private readonly runList = el('ul', { class: 'run-list' });
  private readonly charts = el('div', { class: 'charts' });
  private readonly table = el('table', { class: 'summary' });
  private readonly exportNote = el('span', { class: 'export-note', 'aria-live': 'polite' });

  constructor(
    private readonly api: VsCodeApi,
    private readonly messenger: Messenger,
    root: HTMLElement,
  ) {
    const csv = el('button', { type: 'button', title: 'Save the ticked runs as CSV' }, 'Export CSV');
    const json = el('button', { type: 'button', title: 'Save the ticked runs as JSON' }, 'Export JSON');
    csv.addEventListener('click', () => void this.exportRuns('csv'));
    json.addEventListener('click', () => void this.exportRuns('json'));
    this.smoothing.addEventListener('input', () => {
      this.state?.update({ smoothing: Number(this.smoothing.value) });
      this.showSmoothing();
      this.scheduleRender();
    });
    this.xAxis.addEventListener('change', () => {
      this.state?.update({ xAxis: this.xAxis.value as XAxisKind });
      this.scheduleRender();
    });
    // Marks the page, so tests find this panel's frame among the workbench's webviews.
    root.dataset.panel = 'metrics';
    root.append(
      el(
        'header',
        { class: 'toolbar' },
        el('label', { title: 'Debiased exponential smoothing (as TensorBoard); the band shows the raw min/max' }, 'Smoothing', this.smoothing, this.smoothingValue),
        el('label', {}, 'x', this.xAxis),
        csv,
        json,
        this.exportNote,
        this.status,
      ),
      this.notices,
      this.runList,
      this.charts,
      el('section', { class: 'table-section' }, el('h2', {}, 'Best, last and min'), this.table),
    );
    this.status.textContent = 'Loading runs…';
    onThemeChange(() => {
      this.colors = undefined;
      this.scheduleRender();
    });
    window.addEventListener('resize', () => this.scheduleRender());
  }

  handle(message: PanelMessage): void {
    switch (message.type) {
      case 'metrics/init':
        this.init(message);
        break;
      case 'metrics/append':
        if (this.store.append(message.runDir, message.records)) this.dirty(true);
        break;
      case 'run/state':
        this.setRunState(message.runDir, message.state, message.message);
        break;
      case 'run/deleted':
        this.deleted.add(message.runDir);
        this.setRunState(message.runDir, 'missing', 'the run folder was deleted');
        break;
      default:
        this.messenger.log('warning', `metrics panel ignored a '${message.type}' message meant for another panel`);
    }
  }

  private init(message: MetricsInitMessage): void {
    this.store.reset(message.runs);
    this.deleted = new Set(message.runs.filter((r) => r.state === 'missing').map((r) => r.runDir));
    const runDirs = message.runs.map((r) => r.runDir);
    const defaults = message.defaults;
    this.state = new ViewState<MetricsViewState>(this.api, readMetricsViewState, (previous) => ({
      panel: 'metrics',
      runDirs: runDirsOfState(previous),
      smoothing: defaults.smoothing,
      xAxis: defaults.xAxis,
      logScale: {},
      hiddenRuns: [],
    }));
    this.state.update({ runDirs, hiddenRuns: this.state.value.hiddenRuns.filter((d) => runDirs.includes(d)) });
    this.defaultLogY = defaults.logScaleY;
    this.groups = seedGroups(message.runs);
    this.smoothing.value = String(this.state.value.smoothing);
    this.xAxis.value = this.state.value.xAxis;
    this.showSmoothing();
    this.renderRunList();
    this.renderNotices();
    this.builder.retain(new Set(runDirs));
    this.tableDirty = true;
    this.scheduleRender(true);
  }

  private defaultLogY = false;

  private setRunState(runDir: string, state: PanelRunState, message: string | null): void {
    if (!this.store.updateRun(runDir, { state, message })) return;
    this.renderRunList();
    this.renderNotices();
    this.dirty();
  }

  /** `live`: new records arrived (drawn at most every LIVE_INTERVAL_MS, however fast they come). */
  private dirty(live = false): void {
    this.tableDirty = true;
    this.scheduleRender(false, live);
  }

  /**
   * Draws on the next frame, or later when the last draw was expensive (keeps input responsive);
   * live records wait at least LIVE_INTERVAL_MS after the last draw, so a fast run costs a few
   * draws a second rather than one per record.
   */
  private scheduleRender(now = false, live = false): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    // A draw's script time is about half its cost (the canvases are painted after it): waiting
    // four times the script (eight when live) keeps drawing to a quarter of the main thread at most.
    const gap = live ? Math.max(LIVE_INTERVAL_MS, Math.min(2_000, this.lastRenderCost * 8)) : Math.min(1_000, this.lastRenderCost * 4);
    const wait = now ? 0 : Math.max(0, this.lastRenderAt + gap - performance.now());
    const draw = () =>
      requestAnimationFrame(() => {
        this.renderQueued = false;
        this.render();
      });
    if (wait > 0) setTimeout(draw, wait);
    else draw();
  }

  private render(): void {
    if (!this.state) return;
    const started = performance.now();
    this.colors ??= readColors();
    const groups = chartGroups(this.store.presentMetrics());
    this.syncCards(groups);
    const visible = new Set(this.store.order.filter((d) => !this.state!.value.hiddenRuns.includes(d)));
    let drawn = 0;
    for (const group of groups) {
      const card = this.cards.get(group.id)!;
      const drawables = this.builder.build(group, {
        xAxis: this.state.value.xAxis,
        smoothing: this.state.value.smoothing,
        buckets: card.width / BUCKET_PX,
        logX: card.logScale.x,
        visible,
        groups: this.groups,
      });
      card.update(drawables, this.state.value.xAxis, this.colors);
      drawn += card.pointsDrawn;
    }
    if (this.tableDirty) this.refreshTable(visible);
    this.renderStatus(groups, drawn);
    this.lastRenderAt = performance.now();
    this.lastRenderCost = this.lastRenderAt - started;
    this.renders++;
    this.status.dataset.renders = String(this.renders);
    if (PROFILE) performance.measure('masklab:draw', { start: started });
  }

  /** One card per chart group, created as metrics first appear; kept otherwise (their canvases are costly). */
  private syncCards(groups: readonly ChartGroup[]): void {
    const signature = groups.map((g) => `${g.id}:${g.metrics.map(metricLabel).join(',')}`).join(';');
    if (signature === this.chartSignature) return;
    this.chartSignature = signature;
    const wanted = new Set(groups.map((g) => g.id));
    for (const [id, card] of this.cards) {
      if (!wanted.has(id as ChartGroup['id'])) {
        card.destroy();
        this.cards.delete(id);
      }
    }
    for (const group of groups) {
      const existing = this.cards.get(group.id);
      if (existing) existing.destroy();
      // The log-scale setting applies to the charts whose values span decades: loss and learning rate.
      const saved = this.state!.value.logScale[group.id] ?? { x: false, y: (group.id === 'loss' || group.id === 'lr') && this.defaultLogY };
      const card = new ChartCard(group, saved, {
        logScaleChanged: (axis, on) => {
          const current = this.state!.value.logScale;
          const now = { ...(current[group.id] ?? { x: false, y: false }), [axis]: on };
          this.state!.update({ logScale: { ...current, [group.id]: now } });
          this.scheduleRender();
        },
        exportPng: (png, title) => void this.save('png', `${title.toLowerCase().replace(/\W+/g, '-')}.png`, png),
      });
      this.cards.set(group.id, card);
    }
    // Keep the fixed group order in the page.
    clear(this.charts);
    for (const group of groups) this.charts.append(this.cards.get(group.id)!.element);
  }

  private renderRunList(): void {
    clear(this.runList);
    const hidden = new Set(this.state?.value.hiddenRuns ?? []);
    const palette = (this.colors ??= readColors()).palette;
    const order = this.store.order;
    this.store.all().forEach((series, index) => {
      const { run } = series;
      // A sweep cell drawn in its seed group's line shows that line's colour (its first run's).
      const group = this.groups.find((g) => g.runDirs.includes(run.runDir));
      const i = group ? Math.min(...group.runDirs.map((d) => order.indexOf(d))) : index;
      const box = el('input', { type: 'checkbox', checked: !hidden.has(run.runDir), 'aria-label': `Show ${runLabel(series)}` });
      box.addEventListener('change', () => {
        const current = new Set(this.state!.value.hiddenRuns);
        if (box.checked) current.delete(run.runDir);
        else current.add(run.runDir);
        this.state!.update({ hiddenRuns: [...current] });
        this.dirty();
      });
      const swatch = el('span', { class: 'swatch', 'data-color': i % palette.length });
      swatch.style.backgroundColor = `rgb(${palette[i % palette.length].r}, ${palette[i % palette.length].g}, ${palette[i % palette.length].b})`;
      this.runList.append(
        el(
          'li',
          { 'data-state': run.state, title: run.runDir },
          el('label', {}, box, swatch, runLabel(series)),
          el('span', { class: `badge state-${run.state}` }, stateText(run)),
          run.message ? el('span', { class: 'run-message' }, run.message) : undefined,
        ),
      );
    });
  }

  private renderNotices(): void {
    clear(this.notices);
    for (const series of this.store.all()) {
      const { run } = series;
      if (run.state === 'missing' || this.deleted.has(run.runDir)) {
        const had = series.train.length + series.dev.length > 0;
        this.notices.append(
          el(
            'p',
            { class: 'notice warning', role: 'status' },
            `The run folder ${run.runDir} no longer exists${had ? '; the charts keep what was loaded before it was deleted.' : '.'}`,
          ),
        );
      } else if (run.state === 'failed') {
        this.notices.append(el('p', { class: 'notice error', role: 'status' }, `${runLabel(series)} failed: ${run.message ?? 'see its trainer.log'}`));
      }
    }
    if (this.store.all().length === 0) this.notices.append(el('p', { class: 'notice' }, 'No runs to show.'));
  }

  /** The table now, or (a live run, refreshed less than TABLE_INTERVAL_MS ago) once that interval is up. */
  private refreshTable(visible: ReadonlySet<string>): void {
    const due = this.lastTableAt + TABLE_INTERVAL_MS - performance.now();
    if (due <= 0 || !this.anyRunning()) {
      clearTimeout(this.tableTimer);
      this.tableTimer = undefined;
      this.renderTable(visible);
      this.tableDirty = false;
      this.lastTableAt = performance.now();
    } else if (this.tableTimer === undefined) {
      this.tableTimer = setTimeout(() => {
        this.tableTimer = undefined;
        if (this.tableDirty && this.state) this.refreshTable(new Set(this.store.order.filter((d) => !this.state!.value.hiddenRuns.includes(d))));
      }, due);
    }
  }

  private renderTable(visible: ReadonlySet<string>): void {
    clear(this.table);
    const metrics = tableMetrics(this.store.presentMetrics());
    const cell = (at: AtStep | undefined) => el('td', {}, at ? `${formatMetric(at.value)} ` : '—', at ? el('small', {}, `@${at.step}`) : undefined);
    this.table.append(el('thead', {}, el('tr', {}, ...['Run', 'Metric', 'Best', 'Last', 'Min'].map((h) => el('th', { scope: 'col' }, h)))));
    const body = el('tbody');
    for (const series of this.store.all()) {
      if (!visible.has(series.run.runDir)) continue;
      for (const metric of metrics) {
        const split = series.split(metric.split);
        const values = split.column(metric.name);
        if (!values) continue;
        const row = summarise(metric, split.step.view(), values);
        if (!row.last) continue;
        body.append(el('tr', {}, el('th', { scope: 'row' }, runLabel(series)), el('td', {}, metricLabel(metric)), cell(row.best), cell(row.last), cell(row.min)));
      }
    }
    if (!body.firstChild) body.append(el('tr', {}, el('td', { colspan: 5 }, 'No metrics logged yet.')));
    this.table.append(body);
  }

  private renderStatus(groups: readonly ChartGroup[], drawn: number): void {
    const runs = this.store.all();
    const steps = Math.max(0, ...runs.map((r) => r.lastStep()));
    const records = runs.reduce((sum, r) => sum + r.train.length + r.dev.length, 0);
    const live = runs.filter((r) => r.run.state === 'running').length;
    this.status.textContent = `${runs.length} run${runs.length === 1 ? '' : 's'} · step ${steps}${live ? ` · ${live} live` : ''}`;
    // For tests and the benchmark, which read the page through the webview frame.
    Object.assign(this.status.dataset, { runs: String(runs.length), records: String(records), charts: String(groups.length), drawn: String(drawn), step: String(steps) });
  }

  private anyRunning(): boolean {
    return this.store.all().some((r) => r.run.state === 'running');
  }

  private showSmoothing(): void {
    this.smoothingValue.textContent = Number(this.smoothing.value).toFixed(2);
  }

  private async exportRuns(format: 'csv' | 'json'): Promise<void> {
    const hidden = new Set(this.state?.value.hiddenRuns ?? []);
    const runs: ExportRun[] = this.store
      .all()
      .filter((s) => !hidden.has(s.run.runDir))
      .map((s) => ({ run: s.run, records: [...s.train.records('train'), ...s.dev.records('dev')].sort((a, b) => a.step - b.step || (a.split < b.split ? 1 : -1)) }));
    if (runs.length === 0) {
      this.exportNote.textContent = 'Tick at least one run to export.';
      return;
    }
    const content = format === 'csv' ? toCsv(runs) : toJson(runs, new Date());
    await this.save(format, exportName(runs.map((r) => r.run), format), content);
  }

  private async save(format: 'csv' | 'json' | 'png', suggestedName: string, content: string): Promise<void> {
    this.exportNote.textContent = 'Saving…';
    try {
      const result = await this.messenger.request({ kind: 'save', format, suggestedName, content });
      this.exportNote.textContent = result.saved ? `Saved ${result.saved}` : 'Export cancelled.';
    } catch (error) {
      this.exportNote.textContent = `Export failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
}

function readColors(): ChartColors {
  return {
    palette: PALETTE.map((name, i) => themeColor(name, PALETTE_FALLBACKS[i])),
    foreground: themeColor('editor-foreground', '#cccccc'),
    // A faint grid in the text colour reads in every theme, high contrast included.
    grid: { ...themeColor('editor-foreground', '#cccccc'), a: 0.15 },
    background: themeColor('editor-background', '#1e1e1e'),
  };
}

function stateText(run: PanelRun): string {
  return run.state === 'missing' ? 'deleted' : run.state;
}
