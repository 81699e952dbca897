// Registers the run panels: the open commands, the serializers that restore panels after a
// window reload, and the log channel where rejected messages and panel errors are written.

import * as vscode from 'vscode';
import { registerOpenMasks, registerOpenMetrics } from '../commands/openRunPanels';
import { windowRunFeed, type LiveRunFeed } from './liveRunFeed';
import { MASKS_VIEW_TYPE } from './masksPanel';
import { METRICS_VIEW_TYPE } from './metricsPanel';
import { PanelRegistry } from './panelRegistry';

export const PANELS_LOG_NAME = 'Masklab Panels';

export function registerRunPanels(context: vscode.ExtensionContext, feed: LiveRunFeed = windowRunFeed): vscode.Disposable {
  const log = vscode.window.createOutputChannel(PANELS_LOG_NAME, { log: true });
  const registry = new PanelRegistry({ extensionUri: context.extensionUri, log, feed });
  return vscode.Disposable.from(
    log,
    registry,
    registerOpenMetrics(registry),
    registerOpenMasks(registry),
    vscode.window.registerWebviewPanelSerializer(METRICS_VIEW_TYPE, registry.serializer('metrics')),
    vscode.window.registerWebviewPanelSerializer(MASKS_VIEW_TYPE, registry.serializer('masks')),
  );
}
