// The window's hub of live run events: every checked `masklab/runEvent` notification from the
// language server goes through here, to the status bar, the progress notification, the trainer
// output, the Runs view and the metrics and masks panels. Free of `vscode` so it is unit-tested
// (a subscription is a plain `{ dispose() }`, which VS Code accepts wherever it takes a Disposable).
//
// History: panels read a run's past from its folder (metrics.jsonl, masks/) and then subscribe;
// `lastEvents(runId)` covers the gap between the two (what arrived in this window), kept small:
// the newest progress only, the newest few mask snapshots, and a bounded tail of the rest.

import type { RunEvent } from '../../../schemas/src/runNotifications';

export type RunEventListener = (event: RunEvent) => void;

export interface Subscription {
  dispose(): void;
}

/** Events kept per run (progress and mask snapshots are thinned before they count). */
export const MAX_EVENTS_PER_RUN = 5_000;
/** Mask snapshots are large (an image per matrix): only the newest few are kept. */
export const MAX_MASK_SNAPSHOTS_PER_RUN = 2;
/** Runs whose history is kept; the oldest ended ones are forgotten first. */
export const MAX_RUNS_REMEMBERED = 32;

export class RunEventHub {
  private readonly listeners = new Set<RunEventListener>();
  private readonly history = new Map<string, RunEvent[]>();
  private readonly ended = new Set<string>();

  /** Calls `listener` with every event published from now on. */
  onRunEvent(listener: RunEventListener): Subscription {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  /** The events of `runId` received in this window, oldest first (thinned; see the file comment). */
  lastEvents(runId: string): readonly RunEvent[] {
    return [...(this.history.get(runId) ?? [])];
  }

  /** Runs with events in this window that have not ended, oldest first. */
  activeRuns(): RunEvent[] {
    const active: RunEvent[] = [];
    for (const [runId, events] of this.history) if (!this.ended.has(runId) && events.length > 0) active.push(events[events.length - 1]);
    return active;
  }

  isActive(runId: string): boolean {
    return this.history.has(runId) && !this.ended.has(runId);
  }

  /** Records a checked event and hands it to every listener (a throwing listener does not stop the others). */
  publish(event: RunEvent): void {
    this.remember(event);
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        console.error(`masklab: a run event listener failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    }
  }

  private remember(event: RunEvent): void {
    const { runId } = event;
    let events = this.history.get(runId);
    if (!events) {
      events = [];
      this.history.set(runId, events);
      this.forgetOldRuns();
    }
    const type = event.event.type;
    if (type === 'ended') this.ended.add(runId);
    // Only the newest progress matters to anyone catching up.
    if (type === 'progress') removeLast(events, (e) => e.event.type === 'progress');
    events.push(event);
    if (type === 'mask-snapshot') {
      const snapshots = events.filter((e) => e.event.type === 'mask-snapshot');
      for (const old of snapshots.slice(0, -MAX_MASK_SNAPSHOTS_PER_RUN)) events.splice(events.indexOf(old), 1);
    }
    if (events.length > MAX_EVENTS_PER_RUN) {
      // Keep `started` (the backend and run length) whatever else goes.
      const started = events.findIndex((e) => e.event.type === 'started');
      events.splice(started === 0 ? 1 : 0, events.length - MAX_EVENTS_PER_RUN);
    }
  }

  private forgetOldRuns(): void {
    if (this.history.size <= MAX_RUNS_REMEMBERED) return;
    for (const runId of this.history.keys()) {
      if (this.history.size <= MAX_RUNS_REMEMBERED) break;
      if (this.ended.has(runId)) {
        this.history.delete(runId);
        this.ended.delete(runId);
      }
    }
  }
}

function removeLast<T>(items: T[], matches: (item: T) => boolean): void {
  for (let i = items.length - 1; i >= 0; i--) {
    if (matches(items[i])) {
      items.splice(i, 1);
      return;
    }
  }
}

/** The window's hub (one per extension host). */
export const runEventHub = new RunEventHub();

/** Calls `listener` with every run event from now on; dispose the result to stop. */
export function onRunEvent(listener: RunEventListener): Subscription {
  return runEventHub.onRunEvent(listener);
}

/** The events of `runId` this window received, oldest first (newest progress only, few mask snapshots). */
export function lastEvents(runId: string): readonly RunEvent[] {
  return runEventHub.lastEvents(runId);
}
