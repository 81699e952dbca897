// Where the panels get live run events: the window's hub (client/src/runs/runEvents.ts), fed by
// the language server's checked `masklab/runEvent` notifications. Behind an interface so a panel
// can be driven by anything that publishes the same events.

import type { RunEvent } from '../../../schemas/src/runNotifications';
import { onRunEvent } from '../runs/runEvents';

export interface LiveRunFeed {
  onRunEvent(listener: (event: RunEvent) => void): { dispose(): void };
}

export const windowRunFeed: LiveRunFeed = { onRunEvent };
