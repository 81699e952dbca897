import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contrastRatio, mix, over, parseCssColor, readableOn, toCss } from '../../../webviews/src/shared/color';

test('theme colours parse in the forms VS Code writes them', () => {
  assert.deepEqual(parseCssColor('#3794ff'), { r: 0x37, g: 0x94, b: 0xff, a: 1 });
  assert.deepEqual(parseCssColor(' #80808059 '), { r: 128, g: 128, b: 128, a: 0x59 / 255 });
  assert.deepEqual(parseCssColor('#fff'), { r: 255, g: 255, b: 255, a: 1 });
  assert.deepEqual(parseCssColor('rgba(10, 20, 30, 0.5)'), { r: 10, g: 20, b: 30, a: 0.5 });
  assert.deepEqual(parseCssColor('rgb(10 20 30 / 50%)'), { r: 10, g: 20, b: 30, a: 0.5 });
  for (const bad of ['', 'blue', '#12345', 'rgb(1, 2)', 'var(--x)']) assert.equal(parseCssColor(bad), undefined, bad);
});

test('mixing, compositing and printing colours', () => {
  const black = { r: 0, g: 0, b: 0, a: 1 };
  const white = { r: 255, g: 255, b: 255, a: 1 };
  assert.deepEqual(mix(black, white, 0.5), { r: 127.5, g: 127.5, b: 127.5, a: 1 });
  assert.deepEqual(mix(black, white, 7), white, 'clamped');
  assert.deepEqual(over({ ...white, a: 0.25 }, black), { r: 63.75, g: 63.75, b: 63.75, a: 1 });
  assert.equal(toCss({ r: 1.4, g: 300, b: -2, a: 0.123456 }), 'rgba(1, 255, 0, 0.123)');
});

test('cell text takes whichever of two colours contrasts more with the cell', () => {
  const dark = { r: 30, g: 30, b: 30, a: 1 };
  const light = { r: 230, g: 230, b: 230, a: 1 };
  assert.equal(readableOn({ r: 255, g: 255, b: 0, a: 1 }, light, dark), dark);
  assert.equal(readableOn({ r: 0, g: 0, b: 128, a: 1 }, light, dark), light);
  assert.ok(Math.abs(contrastRatio({ r: 0, g: 0, b: 0, a: 1 }, { r: 255, g: 255, b: 255, a: 1 }) - 21) < 1e-9);
});
