// The panel's view state, kept with VS Code's `getState/setState`: it survives the panel being
// hidden (the page is then discarded) and, through the extension's serializer, a window reload.
// A state from an older version that no longer validates is replaced by the defaults, keeping
// its run folders.

import type { Received } from '../../../schemas/src/webviewMessageSchema';
import type { VsCodeApi } from './vscodeApi';

export class ViewState<T extends object> {
  private current: T;

  constructor(
    private readonly api: VsCodeApi,
    read: (value: unknown) => Received<T>,
    fallback: (previous: unknown) => T,
  ) {
    const stored = api.getState();
    const checked = read(stored);
    this.current = checked.ok ? checked.value : fallback(stored);
    this.api.setState(this.current);
  }

  get value(): Readonly<T> {
    return this.current;
  }

  update(change: Partial<T>): void {
    this.current = { ...this.current, ...change };
    this.api.setState(this.current);
  }
}
