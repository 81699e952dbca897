// The webview's end of the panel protocol: every incoming message is validated before any code
// sees it (a malformed one is reported to the extension's log and dropped); requests carry ids
// and settle when the matching `response` arrives, or fail after a timeout.

import type { HostMessage, PanelKind, PanelRequest, RequestResult, WebviewMessage } from '../../../schemas/src/webviewMessages';
import { WEBVIEW_PROTOCOL_VERSION } from '../../../schemas/src/webviewMessages';
import { readHostMessage } from '../../../schemas/src/webviewMessageSchema';
import type { VsCodeApi } from './vscodeApi';

/** What the panel code receives: everything but responses, which settle their requests. */
export type PanelMessage = Exclude<HostMessage, { type: 'response' }>;

type ResultOf<K extends PanelRequest['kind']> = Extract<RequestResult, { kind: K }>;

interface Pending {
  kind: PanelRequest['kind'];
  resolve(result: RequestResult): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export const REQUEST_TIMEOUT_MS = 60_000;

export class Messenger {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private handler: (message: PanelMessage) => void = () => undefined;
  /** Benchmarks set `data-profile` on <body> to get a performance measure per handled message. */
  private readonly profile = typeof document !== 'undefined' && document.body?.dataset.profile === 'on';

  constructor(
    private readonly api: VsCodeApi,
    private readonly panel: PanelKind,
  ) {}

  /** Starts listening and says `ready`; the host answers with the panel's init message. */
  start(handler: (message: PanelMessage) => void): void {
    this.handler = handler;
    window.addEventListener('message', (event: MessageEvent) => this.receive(event.data));
    this.post({ type: 'ready', panel: this.panel, protocol: WEBVIEW_PROTOCOL_VERSION });
  }

  receive(data: unknown): void {
    const started = this.profile ? performance.now() : 0;
    const read = readHostMessage(data);
    if (!read.ok) {
      this.log('warning', `${this.panel} panel rejected a message from the extension: ${read.problem}`);
      return;
    }
    const message = read.value;
    if (message.type === 'response') {
      this.settle(message);
      return;
    }
    try {
      this.handler(message);
    } catch (error) {
      this.log('error', `${this.panel} panel failed to handle '${message.type}': ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    }
    if (this.profile) performance.measure(`masklab:${message.type}`, { start: started });
  }

  request<K extends PanelRequest['kind']>(request: Extract<PanelRequest, { kind: K }>, timeoutMs = REQUEST_TIMEOUT_MS): Promise<ResultOf<K>> {
    const requestId = this.nextId++;
    return new Promise<ResultOf<K>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error(`the extension did not answer the '${request.kind}' request within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.pending.set(requestId, { kind: request.kind, resolve: resolve as (r: RequestResult) => void, reject, timer });
      this.post({ type: 'request', requestId, request });
    });
  }

  log(level: 'info' | 'warning' | 'error', message: string): void {
    if (level !== 'info') console.warn(message);
    this.post({ type: 'log', level, message });
  }

  private settle(message: Extract<HostMessage, { type: 'response' }>): void {
    const pending = this.pending.get(message.requestId);
    if (!pending) {
      this.log('warning', `${this.panel} panel got a response to unknown request ${message.requestId}`);
      return;
    }
    this.pending.delete(message.requestId);
    clearTimeout(pending.timer);
    if (!message.ok) pending.reject(new Error(message.error));
    else if (message.result.kind !== pending.kind) pending.reject(new Error(`expected a '${pending.kind}' result, got '${message.result.kind}'`));
    else pending.resolve(message.result);
  }

  private post(message: WebviewMessage): void {
    this.api.postMessage(message);
  }
}
