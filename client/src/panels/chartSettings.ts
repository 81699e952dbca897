// The `masklab.charts.*` settings: defaults of a newly opened metrics panel (a panel restored
// after a reload keeps the choices made in it). Read through a getter, testable without VS Code.

import type { ChartDefaults, XAxisKind } from '../../../schemas/src/webviewMessages';
import { readChartSmoothing, type SettingGetter } from '../settings';

export const X_AXIS_KINDS: readonly XAxisKind[] = ['step', 'epoch', 'time'];
export const DEFAULT_X_AXIS: XAxisKind = 'step';

export function readChartDefaults(get: SettingGetter): ChartDefaults {
  const xAxis = get('charts.xAxis');
  return {
    smoothing: readChartSmoothing(get),
    xAxis: (X_AXIS_KINDS as readonly unknown[]).includes(xAxis) ? (xAxis as XAxisKind) : DEFAULT_X_AXIS,
    logScaleY: get('charts.logScale') === true,
  };
}
