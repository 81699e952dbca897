import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../../server/src/training/backend/selectBackend';
import { installPruneMask } from '../../../../server/src/training/methods/dseeDelta';
import { transposeFlat } from '../../../../server/src/training/methods/layout';
import { allLinears } from '../../../../server/src/training/methods/taskModel';
import { methodHarness, signDirection, type Harness } from './harness';

const FOUR_HEADS = { numHeads: 4 };

/** Moves every DSEE tensor off its initial value, so ΔW is nonzero and differs per head. */
function randomiseUpdate(harness: Harness): void {
  harness.method.paramGroups().flatMap((g) => g.variables).forEach((variable, i) => {
    tf.tidy(() => variable.assign(tf.mul(tf.tensor(signDirection(variable.size, 300 + i), variable.shape), 0.05 * (1 + (i % 3)))));
  });
}

function maxAbsDiff(a: number[][], b: number[][]): number {
  return Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i][j]))));
}

describe('dsee', () => {
  test('heads pruning removes heads physically, and the pruned model equals the model with those heads masked', async () => {
    await selectBackend('cpu');
    const overrides = { rank: 2, sparse_entries: 6, prune: { kind: 'heads' as const, heads: 2, retune: { amount: 1, unit: 'epochs' as const } } };
    const pruned = methodHarness('dsee', overrides, FOUR_HEADS);
    const masked = methodHarness('dsee', overrides, FOUR_HEADS);
    try {
      randomiseUpdate(pruned);
      randomiseUpdate(masked);
      assert.deepEqual(pruned.logits(), masked.logits(), 'the two models start equal');
      pruned.method.enterStage?.(2);
      const removed = pruned.method.artifact().prunedHeads;
      assert.equal(removed.length, 2, 'both blocks lose heads');
      for (const { block, heads } of removed) {
        assert.equal(heads.length, 2);
        const attention = pruned.model.encoder.blocks[block].attention;
        assert.equal(attention.numHeads, 2);
        // hidden 8, 4 heads of size 2: two kept heads leave 4 columns in Q, K, V and 4 rows in AO.
        assert.deepEqual(attention.weights.query.weight.shape, [8, 4]);
        assert.deepEqual(attention.weights.key.weight.shape, [8, 4]);
        assert.deepEqual(attention.weights.value.bias?.shape, [4]);
        assert.deepEqual(attention.weights.output.weight.shape, [4, 8]);
        // Mask the same heads' rows of the attention output in the unpruned model.
        const output = masked.model.encoder.blocks[block].attention.weights.output;
        const rows = Array.from({ length: 8 }, (_, r) => (heads.includes(Math.floor(r / 2)) ? 0 : 1));
        const mask = tf.tensor2d(rows.flatMap((keep) => new Array(8).fill(keep)), [8, 8]);
        installPruneMask(output, mask);
      }
      const difference = maxAbsDiff(pruned.logits(), masked.logits());
      assert.ok(difference < 1e-5, `pruned vs masked heads differ by ${difference}`);
      // The update was cut with the heads: B lost the removed heads' columns, S the entries in them.
      const parts = pruned.method.artifact();
      const query = parts.deltas.find((d) => d.name === 'encoder.layer.0.attention.self.query.weight');
      assert.deepEqual(query?.shape, [4, 8]);
      assert.equal(query?.b.length, 4 * 2);
      assert.ok(query && query.indices.every((i) => i < 4 * 8));
      // The re-tuning stage trains the cut tensors.
      assert.ok(pruned.method.paramGroups().flatMap((g) => g.variables).some((v) => v.name.endsWith('query/B') && v.shape[1] === 4));
    } finally {
      pruned.dispose();
      masked.dispose();
    }
  });

  test('heads are ranked by Σ|ΔW_Q| + |ΔW_V| over their rows', async () => {
    await selectBackend('cpu');
    const harness = methodHarness('dsee', { rank: 2, sparse_entries: 0, blocks: [0], prune: { kind: 'heads', heads: 1, retune: { amount: 1, unit: 'steps' } } }, FOUR_HEADS);
    try {
      // Only head 2 (columns 4 and 5) of the query update is nonzero, and head 1 of the value update:
      // heads 0 and 3 tie at zero, and the lower index goes first.
      for (const variable of harness.method.paramGroups().flatMap((g) => g.variables)) {
        if (variable.name.endsWith('/A')) tf.tidy(() => variable.assign(tf.onesLike(variable)));
        if (variable.name.endsWith('query/B')) tf.tidy(() => variable.assign(tf.tensor2d([0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0], [2, 8])));
        if (variable.name.endsWith('value/B')) tf.tidy(() => variable.assign(tf.tensor2d([0, 0, 2, 2, 0, 0, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0], [2, 8])));
      }
      harness.method.enterStage?.(2);
      assert.deepEqual(harness.method.artifact().prunedHeads, [{ block: 0, heads: [0] }]);
    } finally {
      harness.dispose();
    }
  });

  test('unstructured pruning reaches the sparsity in both pools: |ΔW| for updated matrices, |W| for the rest', async () => {
    await selectBackend('cpu');
    const harness = methodHarness('dsee', { rank: 2, sparse_entries: 4, prune: { kind: 'unstructured', sparsity: 0.25, retune: { amount: 1, unit: 'epochs' } } });
    try {
      randomiseUpdate(harness);
      const before = harness.logits();
      harness.method.enterStage?.(2);
      const masks = harness.method.artifact().masks;
      assert.equal(masks.length, 2 * 6 + 1, 'every block matrix and the pooler');
      assert.ok(masks.every((m) => m.role === 'prune'));
      const dropped = (names: (n: string) => boolean) => {
        const chosen = masks.filter((m) => names(m.name));
        const total = chosen.reduce((s, m) => s + m.bits.length, 0);
        return chosen.reduce((s, m) => s + m.bits.filter((b) => b === 0).length, 0) / total;
      };
      const updated = (n: string) => /self\.(query|value)/.test(n);
      assert.ok(Math.abs(dropped(updated) - 0.25) < 0.01);
      assert.ok(Math.abs(dropped((n) => !updated(n)) - 0.25) < 0.01);
      // Globally over its pool, |W| pruning drops exactly the smallest pretrained weights.
      const kept: number[] = [];
      const droppedMagnitudes: number[] = [];
      for (const mask of masks.filter((m) => !updated(m.name))) {
        const linear = allLinears(harness.model).find((l) => `${l.name}.weight` === mask.name);
        assert.ok(linear);
        const torchOrder = transposeFlat(new Float32Array(linear.weight.dataSync()), linear.inFeatures, linear.outFeatures);
        mask.bits.forEach((bit, i) => (bit ? kept : droppedMagnitudes).push(Math.abs(torchOrder[i])));
      }
      assert.ok(Math.min(...kept) >= Math.max(...droppedMagnitudes));
      assert.notDeepEqual(harness.logits(), before, 'pruning changes the model');
      assert.equal(harness.method.firstChangedBlock(), 0);
    } finally {
      harness.dispose();
    }
  });
});
