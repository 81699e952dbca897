// What a person sees of the runs this window trains, fed by the run event hub: a status bar item
// (`$(sync~spin) quickstart 42% · 3.1 steps/s · ETA 0:20`; a click offers cancel / show), a
// cancellable progress notification per run naming the backend, the "Masklab Trainer" output
// with the run's log lines, a one-time notice when the backend is not a GPU (with how to get
// one), and at the end a message — for a failure an error with "Show log" opening trainer.log.

import * as vscode from 'vscode';
import type { RunEnded, RunEvent, RunOrigin } from '../../../schemas/src/runNotifications';
import type { BackendReport, ProgressMessage } from '../../../schemas/src/trainerMessages';
import { Commands, TRAINING_CONTEXT_KEY } from '../contributions';
import type { RunEventHub } from './runEvents';
import { backendLabel, backendNotice, endedMessage, originLabel, percentOf, progressMessage, statusBarText, TrainerLogWriter } from './runText';

interface TrackedRun {
  runId: string;
  runDir: string;
  origin: RunOrigin;
  progress?: ProgressMessage;
  backend?: BackendReport;
  log: TrainerLogWriter;
  /** A run's first warning pops up; later ones only go to the output. */
  warned?: boolean;
  /** Resolves the progress notification. */
  finish?: () => void;
  report?: (message: string, percent: number) => void;
}

/** Key in globalState: the user asked not to hear about GPUs again. */
const GPU_NOTICE_DISMISSED = 'masklab.gpuNoticeDismissed';
/** How long the status bar keeps saying how the last run ended. */
const ENDED_STATUS_MS = 30_000;

export type CancelRun = (runId: string) => Promise<void>;

export class RunActivity implements vscode.Disposable {
  private readonly runs = new Map<string, TrackedRun>();
  private readonly statusItem: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private gpuNoticeShown = false;
  private endedTimer: NodeJS.Timeout | undefined;

  constructor(
    hub: RunEventHub,
    readonly output: vscode.OutputChannel,
    private readonly context: vscode.ExtensionContext,
    private readonly cancel: CancelRun,
  ) {
    this.statusItem = vscode.window.createStatusBarItem('masklab.run', vscode.StatusBarAlignment.Left, 50);
    this.statusItem.name = 'Masklab Run';
    this.disposables.push(this.statusItem, hub.onRunEvent((event) => this.onEvent(event)));
  }

  /** Runs this window is training, oldest first. */
  get active(): { runId: string; runDir: string; origin: RunOrigin; progress?: ProgressMessage }[] {
    return [...this.runs.values()].map(({ runId, runDir, origin, progress }) => ({ runId, runDir, origin, progress }));
  }

  /** Called as soon as the server accepted a run, so the status bar and notification appear before the trainer's first word. */
  track(runId: string, runDir: string, origin: RunOrigin): void {
    if (this.runs.has(runId)) return;
    const run: TrackedRun = { runId, runDir, origin, log: new TrainerLogWriter(`${originLabel(origin)} ${runId}`) };
    this.runs.set(runId, run);
    this.output.appendLine(`[${originLabel(origin)} ${runId}] starting the trainer → ${runDir}`);
    this.showProgressNotification(run);
    void vscode.commands.executeCommand('setContext', TRAINING_CONTEXT_KEY, true);
    this.updateStatus();
  }

  private onEvent(event: RunEvent): void {
    if (!this.runs.has(event.runId) && event.event.type !== 'ended') this.track(event.runId, event.runDir, event.origin);
    const run = this.runs.get(event.runId);
    // The server knows the origin best (a resumed run's comes from its saved config).
    if (run) run.origin = event.origin;
    const message = event.event;
    const lines = run ? run.log.lines(message) : new TrainerLogWriter(`${originLabel(event.origin)} ${event.runId}`).lines(message);
    for (const line of lines) this.output.appendLine(line);
    if (!run) return;
    switch (message.type) {
      case 'started':
        run.backend = message.backend;
        run.report?.(`on ${backendLabel(message.backend)}`, 0);
        this.maybeShowGpuNotice(message.backend);
        break;
      case 'progress':
        run.progress = message;
        run.report?.(`${progressMessage(message)}${run.backend ? ` · ${run.backend.name}` : ''}`, percentOf(message));
        this.updateStatus();
        break;
      case 'warning':
        if (!run.warned) {
          run.warned = true;
          void vscode.window.showWarningMessage(`Masklab: ${originLabel(run.origin)}: ${message.message}`, 'Show output').then((choice) => {
            if (choice) this.output.show(true);
          });
        }
        break;
      case 'ended':
        this.runs.delete(run.runId);
        run.finish?.();
        this.showEnded(run, message);
        if (this.runs.size === 0) void vscode.commands.executeCommand('setContext', TRAINING_CONTEXT_KEY, false);
        break;
    }
  }

  private showProgressNotification(run: TrackedRun): void {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Masklab: training ${originLabel(run.origin)}`, cancellable: true },
      (progress, token) =>
        new Promise<void>((resolve) => {
          let reported = 0;
          run.report = (message, percent) => {
            const increment = Math.max(0, percent - reported);
            reported = Math.max(reported, percent);
            progress.report({ message, increment });
          };
          run.report('starting the trainer…', 0);
          run.finish = resolve;
          token.onCancellationRequested(() => {
            run.report?.('cancelling: checkpointing, then stopping…', reported);
            void this.cancel(run.runId);
          });
        }),
    );
  }

  private updateStatus(): void {
    const runs = [...this.runs.values()];
    if (runs.length === 0) return;
    clearTimeout(this.endedTimer);
    const first = runs[0];
    this.statusItem.text = statusBarText(first.origin, first.progress, runs.length - 1);
    const backend = first.backend ? `\nbackend: ${backendLabel(first.backend)}` : '';
    this.statusItem.tooltip = `Masklab: training ${originLabel(first.origin)} (run ${first.runId})${backend}\n${first.runDir}\nClick to cancel or show the run.`;
    this.statusItem.command = Commands.runActions;
    this.statusItem.backgroundColor = undefined;
    this.statusItem.show();
  }

  private showEnded(run: TrackedRun, ended: RunEnded): void {
    const text = endedMessage(run.origin, ended);
    if (this.runs.size > 0) {
      this.updateStatus();
    } else {
      const icon = ended.state === 'completed' ? '$(pass)' : ended.state === 'failed' ? '$(error)' : '$(circle-slash)';
      this.statusItem.text = `${icon} ${originLabel(run.origin)} ${ended.state}`;
      this.statusItem.tooltip = `${text}\n${run.runDir}`;
      this.statusItem.backgroundColor = ended.state === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
      this.statusItem.command = { title: 'Show the trainer log', command: Commands.showRunLog, arguments: [{ kind: 'run', runDir: run.runDir, runId: run.runId }] };
      this.statusItem.show();
      clearTimeout(this.endedTimer);
      this.endedTimer = setTimeout(() => this.statusItem.hide(), ENDED_STATUS_MS);
    }
    if (ended.state === 'failed') {
      void vscode.window.showErrorMessage(text, 'Show log', 'Show output').then((choice) => {
        if (choice === 'Show log') void vscode.window.showTextDocument(vscode.Uri.file(ended.logFile), { preview: true });
        if (choice === 'Show output') this.output.show(true);
      });
    } else {
      void vscode.window.showInformationMessage(text, 'Open metrics').then((choice) => {
        if (choice === 'Open metrics') void vscode.commands.executeCommand(Commands.showRunMetrics, { kind: 'run', runDir: run.runDir, runId: run.runId });
      });
    }
  }

  private maybeShowGpuNotice(backend: BackendReport): void {
    if (this.gpuNoticeShown || this.context.globalState.get<boolean>(GPU_NOTICE_DISMISSED)) return;
    const notice = backendNotice(backend, this.context.extensionPath);
    if (!notice) return;
    this.gpuNoticeShown = true;
    this.output.appendLine(`note: ${notice.message} Install command: ${notice.installCommand}`);
    void vscode.window.showInformationMessage(notice.message, 'Copy install command', 'Open setting', "Don't show again").then((choice) => {
      if (choice === 'Copy install command') void vscode.env.clipboard.writeText(notice.installCommand);
      if (choice === 'Open setting') void vscode.commands.executeCommand('workbench.action.openSettings', 'masklab.trainer.backend');
      if (choice === "Don't show again") void this.context.globalState.update(GPU_NOTICE_DISMISSED, true);
    });
  }

  dispose(): void {
    clearTimeout(this.endedTimer);
    for (const run of this.runs.values()) run.finish?.();
    for (const d of this.disposables) d.dispose();
  }
}
