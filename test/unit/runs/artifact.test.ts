import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { binaryEntropy, decodeBinary, encodeBinary } from '../../../server/src/training/artifact/binaryArithmeticCoder';
import { packBits, unpackBits } from '../../../server/src/training/artifact/bitPacking';
import { ArtifactFormatError, decodeTaskArtifact, encodeTaskArtifact, readArtifactHeader } from '../../../server/src/training/artifact/taskArtifact';
import { decodeDeltaVarints, decodeZigzagVarints, encodeDeltaVarints, encodeZigzagVarints } from '../../../server/src/training/artifact/varint';
import { createRandom } from '../../../server/src/training/random';

function randomMask(count: number, density: number, seed: number): Uint8Array {
  const random = createRandom(seed);
  const bits = new Uint8Array(count);
  for (let i = 0; i < count; i++) bits[i] = random() < density ? 1 : 0;
  return bits;
}

function realisedDensity(bits: Uint8Array): number {
  let ones = 0;
  for (const b of bits) ones += b;
  return ones / bits.length;
}

describe('mask entropy coding', () => {
  for (const density of [0.05, 0.5, 0.95]) {
    test(`a random mask of density ${density} codes within 5 % of H(d) bits per parameter and decodes exactly`, () => {
      const bits = randomMask(1 << 20, density, 11 + density * 100);
      const coded = encodeBinary(bits);
      const bitsPerParameter = (coded.length * 8) / bits.length;
      const bound = binaryEntropy(realisedDensity(bits));
      assert.ok(bitsPerParameter <= bound * 1.05, `${bitsPerParameter.toFixed(4)} bits/parameter vs H(d) = ${bound.toFixed(4)}`);
      assert.ok(bitsPerParameter >= bound * 0.99, 'no coder beats the entropy of an independent mask');
      assert.deepEqual(decodeBinary(coded, bits.length), bits);
    });
  }

  test('short and degenerate masks round-trip (empty, all kept, all dropped, alternating)', () => {
    const cases = [new Uint8Array(0), new Uint8Array(1), Uint8Array.of(1), new Uint8Array(1000).fill(1), new Uint8Array(1000), Uint8Array.from({ length: 999 }, (_, i) => i % 2)];
    for (const bits of cases) assert.deepEqual(decodeBinary(encodeBinary(bits), bits.length), bits);
    // A structured mask codes far below 1 bit per entry: the coder adapts to the context.
    assert.ok(encodeBinary(cases[5]).length < 999 / 8 / 10);
  });

  test('bit packing is 1 bit per parameter and round-trips', () => {
    const bits = randomMask(1001, 0.3, 5);
    const packed = packBits(bits);
    assert.equal(packed.length, 126);
    assert.deepEqual(unpackBits(packed, bits.length), bits);
  });

  test('varints: sorted indices as gaps, signed values zigzag', () => {
    const indices = [0, 3, 3, 200, 70_000, 2 ** 40];
    assert.deepEqual(decodeDeltaVarints(encodeDeltaVarints(indices), indices.length), indices);
    const signed = [0, -1, 1, -64, 64, -(2 ** 31), 2 ** 31 - 1];
    assert.deepEqual(decodeZigzagVarints(encodeZigzagVarints(signed), signed.length), signed);
    assert.throws(() => decodeDeltaVarints(Uint8Array.of(0x80), 1), /ends in the middle/);
  });
});

/** Parts shaped like the training core's TaskArtifactParts: masks, tensors, DSEE deltas, pruned heads. */
function sampleParts() {
  const random = createRandom(3);
  return {
    version: 1,
    method: 'dsee',
    numLabels: 2,
    head: { kind: 'seed', seed: 42 },
    masks: [
      { name: 'encoder.layer.0.attention.self.query.weight', shape: [64, 64], bits: randomMask(64 * 64, 0.95, 1), role: 'mask' },
      { name: 'encoder.layer.0.attention.output.dense.weight', shape: [64, 64], bits: randomMask(64 * 64, 0.8, 2), role: 'prune' },
    ],
    tensors: [{ name: 'classifier.weight', shape: [2, 64], values: Float32Array.from({ length: 128 }, () => random() - 0.5) }],
    deltas: [
      {
        name: 'encoder.layer.0.attention.self.value.weight',
        shape: [64, 64],
        rank: 4,
        scale: 8,
        a: Float32Array.from({ length: 256 }, () => random()),
        b: Float32Array.from({ length: 256 }, () => random()),
        indices: Uint32Array.from([3, 17, 900, 4095]),
        values: Float32Array.of(0.1, -0.2, Number.NaN, -0),
      },
    ],
    prunedHeads: [{ block: 1, heads: [0, 3] }],
    notes: { $weird: 'a key starting with $', infinity: Infinity, minusZero: -0, list: Array.from({ length: 20 }, (_, i) => i * 0.5) },
  };
}

describe('per-task artifact container', () => {
  test('round-trips every part bit for bit, with the same array classes', () => {
    const parts = sampleParts();
    const bytes = encodeTaskArtifact(parts, { run_id: 'r1', method: 'dsee' });
    const decoded = decodeTaskArtifact(bytes);
    assert.deepEqual(decoded.parts, parts);
    const d = decoded.parts as ReturnType<typeof sampleParts>;
    assert.ok(d.masks[0].bits instanceof Uint8Array);
    assert.ok(d.deltas[0].indices instanceof Uint32Array);
    assert.ok(Object.is(d.deltas[0].values[3], -0) && Number.isNaN(d.deltas[0].values[2]));
    assert.deepEqual(decoded.info, { run_id: 'r1', method: 'dsee' });
    // Sections are named after the parts they hold, and each uses the encoding fit for it.
    const byName = new Map(decoded.sections.map((s) => [s.name, s]));
    assert.equal(byName.get('masks/encoder.layer.0.attention.self.query.weight/bits')?.encoding, 'mask-arith');
    assert.equal(byName.get('deltas/encoder.layer.0.attention.self.value.weight/indices')?.encoding, 'delta-varint');
    assert.equal(byName.get('tensors/classifier.weight/values')?.encoding, 'raw-le');
  });

  test('entropy coding makes a dense mask smaller than bit packing; the header tells both apart', () => {
    const parts = { masks: [{ name: 'm', bits: randomMask(100_000, 0.95, 9) }] };
    const coded = encodeTaskArtifact(parts, {});
    const packed = encodeTaskArtifact(parts, {}, { entropyCoding: false });
    assert.ok(coded.length < packed.length * 0.35, `${coded.length} vs ${packed.length}`);
    assert.equal(readArtifactHeader(packed).sections[0].encoding, 'mask-packed');
    assert.deepEqual(decodeTaskArtifact(packed).parts, parts);
  });

  test('damage is detected and named: wrong magic, truncation, altered section, stray bytes', () => {
    const bytes = encodeTaskArtifact(sampleParts(), {});
    const wrongMagic = bytes.slice();
    wrongMagic[1] = 0;
    assert.throws(() => decodeTaskArtifact(wrongMagic, 'x.masklab-task'), (e: Error) => e instanceof ArtifactFormatError && /x\.masklab-task: not a Masklab task artifact/.test(e.message));
    assert.throws(() => decodeTaskArtifact(bytes.subarray(0, bytes.length - 10)), /truncated/);
    const altered = bytes.slice();
    altered[altered.length - 5] ^= 0xff;
    assert.throws(() => decodeTaskArtifact(altered), /damaged \(CRC-32 mismatch\)/);
    const longer = new Uint8Array(bytes.length + 3);
    longer.set(bytes);
    assert.throws(() => decodeTaskArtifact(longer), /stray bytes/);
  });

  test('values a file cannot hold are refused with their place named', () => {
    assert.throws(() => encodeTaskArtifact({ masks: [{ name: 'm', when: new Date() }] }, {}), /a Date at 'masks\/m\/when'/);
  });
});
