import { readFileSync } from 'node:fs';
import { analyseText } from './helpers';
import { parse } from '../../../server/src/dsl/parser';
import { EntryValues } from '../../../server/src/analysis/entryValues';
import { runLength } from '../../../server/src/analysis/runLength';
import { runEffectiveChecks } from '../../../server/src/analysis/effective/effectiveChecks';
import { analysisInternals } from '../../../server/src/analysis/internals';
const text = readFileSync('/tmp/big.masklab', 'utf8');
for (let r = 0; r < Number(process.env.N ?? 8); r++) {
  const a = analyseText(text);
  const files = analysisInternals(a).files;
  const t0 = performance.now();
  for (const e of a.experiments.values()) {
    const values = new EntryValues(e.effective);
    runEffectiveChecks({ experiment: e.name, root: e.effective, values, run: runLength(values), files, accept: () => {}, anchor: e.decl.span, chainComplete: true, selections: [], ownSpan: e.decl.span });
  }
  const t1 = performance.now();
  const doc = parse(text);
  const t2 = performance.now();
  const a2 = analyseText(text);
  const t3 = performance.now();
  console.log('effective', (t1 - t0).toFixed(1), 'parse', (t2 - t1).toFixed(1), 'analyseText', (t3 - t2).toFixed(1));
}
