import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { MaskMatrixSnapshot } from '../../../schemas/src/trainerMessages';
import { decodeBase64 } from '../../../webviews/src/masks/base64';
import { diffLimit, divergingScale, keptDomain, niceTicks, sequentialScale } from '../../../webviews/src/masks/colorScale';
import { heatmapLayout } from '../../../webviews/src/masks/heatmapLayout';
import { decodeImage, diffSnapshots } from '../../../webviews/src/masks/maskDiff';
import { histogramGeometry, pixelScale, valuesToRgba } from '../../../webviews/src/masks/maskImage';
import { insertStep, nearestStep, SnapshotCache } from '../../../webviews/src/masks/snapshotCache';

function matrix(name: string, block: number | null, kind: string, kept: number, pixels?: number[]): MaskMatrixSnapshot {
  const data = Buffer.from(pixels ?? [255, 0, 255, 255]).toString('base64');
  return { name, block, matrix: kind, shape: [64, 64], kept, image: { width: 2, height: 2, data } };
}

test('base64 decoding agrees with Node’s and refuses what is not base64', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const text = Buffer.from(bytes).toString('base64');
      assert.deepEqual(decodeBase64(text), new Uint8Array(bytes));
      assert.deepEqual(decodeBase64(text.replace(/=+$/, '')), new Uint8Array(bytes), 'padding is optional');
    }),
  );
  assert.equal(decodeBase64('ab$d'), undefined);
  assert.equal(decodeBase64('abcde'), undefined, 'a length of 4n+1 cannot be base64');
  assert.equal(decodeBase64('ab==='), undefined);
});

test('the heatmap has a row per block, a model row for pooler and head, columns in computing order', () => {
  const layout = heatmapLayout(
    [
      matrix('l1.v', 1, 'value', 0.9),
      matrix('l0.q', 0, 'query', 0.8),
      matrix('head', null, 'head', 0.5),
      matrix('l0.ffn', 0, 'intermediate', 0.7),
      matrix('pool', null, 'pooler', 0.6),
    ],
    (m) => m.kept,
  );
  assert.deepEqual(layout.rows.map((r) => r.label), ['block 0', 'block 1', 'model']);
  assert.deepEqual(layout.columns.map((c) => c.key), ['query', 'value', 'intermediate', 'pooler', 'head']);
  const cellOf = (name: string) => layout.cells.find((c) => c.matrix.name === name)!;
  assert.deepEqual([cellOf('l1.v').row, cellOf('l1.v').column], [1, 1]);
  assert.deepEqual([cellOf('head').row, cellOf('head').column], [2, 4]);
  assert.equal(cellOf('l0.ffn').value, 0.7);
});

test('a second matrix of one kind in a block gets its own column instead of hiding the first', () => {
  const layout = heatmapLayout([matrix('a', 0, 'query', 0.1), matrix('b', 0, 'query', 0.2), matrix('c', 1, 'query', 0.3)], (m) => m.kept);
  assert.deepEqual(layout.columns.map((c) => c.key), ['query', 'query (2)']);
  assert.equal(layout.cells.length, 3);
  assert.equal(new Set(layout.cells.map((c) => `${c.row},${c.column}`)).size, 3);
});

test('colour scales run from their low to their high colour; the diverging one is neutral at 0', () => {
  const black = { r: 0, g: 0, b: 0, a: 1 };
  const white = { r: 255, g: 255, b: 255, a: 1 };
  const red = { r: 255, g: 0, b: 0, a: 1 };
  const blue = { r: 0, g: 0, b: 255, a: 1 };
  const kept = sequentialScale([0.9, 1], black, white);
  assert.deepEqual(kept.color(0.9), black);
  assert.deepEqual(kept.color(1), white);
  assert.ok(Math.abs(kept.color(0.95).r - 127.5) < 1e-9, 'half way between black and white');
  assert.deepEqual(kept.color(0.5), black, 'clamped below the domain');
  const change = divergingScale(0.2, red, white, blue);
  assert.deepEqual(change.color(0), white);
  assert.deepEqual(change.color(-0.2), red);
  assert.deepEqual(change.color(0.4), blue, 'clamped beyond the limit');
});

test('fitted domains follow the values; unfitted ones are the full range', () => {
  assert.deepEqual(keptDomain([0.95, 0.97], false), [0, 1]);
  assert.deepEqual(keptDomain([0.9, 0.97], true), [0.9, 0.97]);
  const uniform = keptDomain([0.95, 0.95], true);
  assert.ok(uniform[1] - uniform[0] >= 0.0099 && uniform[0] < 0.95 && uniform[1] > 0.95);
  assert.deepEqual(keptDomain([0.999, 1], true), [0.9945, 1]);
  assert.equal(diffLimit([-0.03, 0.01], true), 0.03);
  assert.equal(diffLimit([0, 0], true), 0.01);
  assert.equal(diffLimit([-0.03], false), 1);
});

test('legend ticks are round numbers covering the domain', () => {
  assert.deepEqual(niceTicks(0, 1, 5), [0, 0.25, 0.5, 0.75, 1]);
  const ticks = niceTicks(0.93, 0.97, 5);
  assert.ok(ticks[0] <= 0.93 + 1e-9 && ticks[ticks.length - 1] >= 0.97 - 1e-9, JSON.stringify(ticks));
  assert.ok(ticks.every((t, i) => i === 0 || t > ticks[i - 1]));
});

test('a diff matches matrices by name and gives the change of kept fraction, overall and per pixel', () => {
  const current = [matrix('a', 0, 'query', 0.9, [255, 255, 0, 128]), matrix('only-now', 0, 'key', 0.5)];
  const base = [matrix('a', 0, 'query', 0.95, [255, 0, 0, 255]), matrix('only-before', 1, 'key', 0.5)];
  const diff = diffSnapshots(current, base);
  assert.deepEqual(diff.onlyCurrent, ['only-now']);
  assert.deepEqual(diff.onlyBase, ['only-before']);
  assert.equal(diff.matrices.length, 1);
  assert.ok(Math.abs(diff.matrices[0].delta + 0.05) < 1e-12);
  assert.deepEqual([...diff.matrices[0].image!.delta].map((d) => Math.round(d * 255)), [0, 255, 0, -127]);
});

test('images of the wrong size or not base64 are refused, not drawn', () => {
  assert.equal(decodeImage({ width: 3, height: 3, data: Buffer.from([1, 2]).toString('base64') }), undefined);
  assert.equal(decodeImage({ width: 1, height: 1, data: '!!' }), undefined);
  const diff = diffSnapshots([matrix('a', 0, 'query', 1)], [{ ...matrix('a', 0, 'query', 1), image: { width: 4, height: 1, data: 'AAAAAA==' } }]);
  assert.equal(diff.matrices[0].image, undefined);
});

test('pixels are coloured by value; the image is scaled by a whole factor', () => {
  const rgba = valuesToRgba([0, 1], (v) => ({ r: v * 255, g: 0, b: 0, a: 0.5 }));
  assert.deepEqual([...rgba], [0, 0, 0, 128, 255, 0, 0, 128]);
  assert.deepEqual(pixelScale(64, 2, 256), { scale: 4, width: 256, height: 8 });
  assert.deepEqual(pixelScale(500, 10, 256), { scale: 1, width: 500, height: 10 });
});

test('histogram bars span the scores, stand on the bottom, and mark the threshold inside the range', () => {
  const geometry = histogramGeometry({ min: -1, max: 1, counts: [1, 4, 0, 16] }, 200, 100, { threshold: 0, sqrt: true });
  assert.equal(geometry.bars.length, 4);
  assert.deepEqual(geometry.bars.map((b) => b.x), [0, 50, 100, 150]);
  assert.deepEqual(geometry.bars.map((b) => b.height), [25, 50, 0, 100]);
  assert.ok(geometry.bars.every((b) => b.y + b.height === 100));
  assert.equal(geometry.thresholdX, 100);
  assert.deepEqual([geometry.bars[3].from, geometry.bars[3].to], [0.5, 1]);
  assert.equal(histogramGeometry({ min: 0, max: 1, counts: [1] }, 10, 10, { threshold: 2 }).thresholdX, undefined);
});

test('the snapshot cache keeps the most recently used within its bound', () => {
  const cache = new SnapshotCache(2);
  cache.set('/r', { step: 1, matrices: [] });
  cache.set('/r', { step: 2, matrices: [] });
  assert.ok(cache.get('/r', 1));
  cache.set('/r', { step: 3, matrices: [] });
  assert.equal(cache.size, 2);
  assert.equal(cache.get('/r', 2), undefined, 'the least recently used went');
  assert.ok(cache.get('/r', 1) && cache.get('/r', 3));
  assert.equal(cache.get('/other', 1), undefined);
});

test('steps stay sorted and unique; the nearest step breaks ties towards the earlier one', () => {
  const steps = [20, 60];
  assert.equal(insertStep(steps, 40), true);
  assert.equal(insertStep(steps, 40), false);
  assert.equal(insertStep(steps, 100), true);
  assert.deepEqual(steps, [20, 40, 60, 100]);
  assert.equal(nearestStep(steps, 50), 40);
  assert.equal(nearestStep(steps, 1000), 100);
  assert.equal(nearestStep([], 5), undefined);
});
