import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import fs = require('node:fs');
import * as path from 'node:path';
import fc from 'fast-check';
import { CheckpointError } from '../../../server/src/checkpoint/checkpointError';
import {
  bfloat16BitsToFloat32,
  float16BitsToFloat32,
  float32ToBfloat16Bits,
  float32ToFloat16Bits,
} from '../../../server/src/checkpoint/halfFloat';
import { readSafetensorsHeader, readTensorFloat32, writeSafetensors, type TensorInfo } from '../../../server/src/checkpoint/safetensors';
import { SHARED_MODEL, SHARED_MODEL_SKIP, tempDir, writeRawSafetensors } from './fakeCheckpoint';

const SHARED_WEIGHTS = path.join(SHARED_MODEL, 'model.safetensors');

test('reads the header of the shared checkpoint: names, shapes and absolute offsets', { skip: SHARED_MODEL_SKIP }, () => {
  const config = JSON.parse(fs.readFileSync(path.join(SHARED_MODEL, 'config.json'), 'utf8'));
  const header = readSafetensorsHeader(SHARED_WEIGHTS);
  assert.equal(header.dataStart, 8 + header.headerLength);
  assert.equal(header.metadata?.format, 'pt');
  const words = header.tensors.get('bert.embeddings.word_embeddings.weight');
  assert.deepEqual(words?.shape, [config.vocab_size, config.hidden_size]);
  assert.deepEqual(header.tensors.get('bert.encoder.layer.1.intermediate.dense.weight')?.shape, [config.intermediate_size, config.hidden_size]);
  assert.deepEqual(header.tensors.get('cls.predictions.bias')?.shape, [config.vocab_size]);
  assert.equal(header.tensors.has('cls.predictions.decoder.weight'), false, 'decoder is tied, not stored');
  // Offsets are absolute: the data of all tensors exactly fills the file after the header.
  const spans = [...header.tensors.values()].sort((a, b) => a.begin - b.begin);
  assert.equal(spans[0].begin, header.dataStart);
  assert.equal(spans[spans.length - 1].end, fs.statSync(SHARED_WEIGHTS).size);
  const total = spans.reduce((sum, t) => sum + t.shape.reduce((a, b) => a * b, 1), 0);
  assert.ok(total > 4.3e6 && total < 4.5e6, `README says 4.4 M parameters, header says ${total}`);
});

test('readTensorFloat32 returns exactly the bytes at the tensor offset', { skip: SHARED_MODEL_SKIP }, () => {
  const header = readSafetensorsHeader(SHARED_WEIGHTS);
  const info = header.tensors.get('bert.encoder.layer.1.attention.self.value.weight') as TensorInfo;
  const values = readTensorFloat32(info);
  assert.equal(values.length, 128 * 128);
  const raw = Buffer.alloc(info.end - info.begin);
  const fd = fs.openSync(SHARED_WEIGHTS, 'r');
  try {
    fs.readSync(fd, raw, 0, raw.length, info.begin);
  } finally {
    fs.closeSync(fd);
  }
  for (const index of [0, 1, 777, values.length - 1]) assert.equal(values[index], raw.readFloatLE(index * 4));
});

test('the header reader reads at most 8 + N bytes and never the tensor data', () => {
  const file = path.join(tempDir(), 'big.safetensors');
  const count = 256 * 1024;
  writeSafetensors(file, [
    { name: 'a', dtype: 'F32', shape: [count], data: new Float32Array(count) },
    { name: 'b', dtype: 'F32', shape: [count], data: new Float32Array(count) },
  ]);
  const reads: Array<{ length: number; position: number }> = [];
  const originalReadSync = fs.readSync;
  const readSync = mock.method(fs, 'readSync', (...args: unknown[]) => {
    reads.push({ length: args[3] as number, position: args[4] as number });
    return (originalReadSync as (...a: unknown[]) => number)(...args);
  });
  const readFileSync = mock.method(fs, 'readFileSync', () => {
    throw new Error('readFileSync must not be used on weights');
  });
  try {
    const header = readSafetensorsHeader(file);
    assert.ok(reads.length > 0, 'the instrumented readSync saw the reads');
    const bytes = reads.reduce((sum, r) => sum + r.length, 0);
    assert.ok(bytes <= 8 + header.headerLength, `read ${bytes} bytes for a ${header.headerLength}-byte header`);
    assert.ok(reads.every((r) => r.position + r.length <= header.dataStart));

    reads.length = 0;
    const b = header.tensors.get('b') as TensorInfo;
    readTensorFloat32(b);
    assert.deepEqual(reads, [{ length: b.end - b.begin, position: b.begin }]);
    assert.equal(readFileSync.mock.callCount(), 0);
  } finally {
    readSync.mock.restore();
    readFileSync.mock.restore();
  }
});

test('F32, F16 and BF16 round trip through writeSafetensors and readTensorFloat32', () => {
  const dir = tempDir();
  const values = Float32Array.from([0, -0, 1, -2.5, 0.1, 1 / 3, 1e-3, 100, -65504, 2 ** -24]);
  const file = path.join(dir, 'mixed.safetensors');
  writeSafetensors(file, [
    { name: 'f32', dtype: 'F32', shape: [2, 5], data: values },
    { name: 'f16', dtype: 'F16', shape: [10], data: values },
    { name: 'bf16', dtype: 'BF16', shape: [5, 2], data: values },
  ]);
  const header = readSafetensorsHeader(file);
  assert.equal(header.dataStart % 8, 0, 'data is 8-byte aligned');
  const f32 = readTensorFloat32(header.tensors.get('f32') as TensorInfo);
  assert.deepEqual([...f32], [...values]);
  assert.ok(Object.is(f32[1], -0));
  const f16 = readTensorFloat32(header.tensors.get('f16') as TensorInfo);
  const bf16 = readTensorFloat32(header.tensors.get('bf16') as TensorInfo);
  values.forEach((v, i) => {
    assert.ok(Math.abs(f16[i] - v) <= Math.abs(v) * 2 ** -11 + 2 ** -25, `f16 ${v} -> ${f16[i]}`);
    assert.ok(Math.abs(bf16[i] - v) <= Math.abs(v) * 2 ** -8, `bf16 ${v} -> ${bf16[i]}`);
  });
  assert.equal(header.tensors.get('f16')?.end! - header.tensors.get('f16')?.begin!, 20);
});

test('half-precision conversions are exact inverses on every 16-bit pattern', () => {
  for (let bits = 0; bits < 65536; bits++) {
    const half = float16BitsToFloat32(bits);
    if (!Number.isNaN(half)) assert.equal(float32ToFloat16Bits(half), bits);
    const brain = bfloat16BitsToFloat32(bits);
    if (!Number.isNaN(brain)) assert.equal(float32ToBfloat16Bits(brain), bits);
  }
});

test('float32 -> F16 / BF16 rounds to nearest, ties to even, with overflow and subnormals', () => {
  const f16 = (x: number): number => float16BitsToFloat32(float32ToFloat16Bits(x));
  const bf16 = (x: number): number => bfloat16BitsToFloat32(float32ToBfloat16Bits(x));
  assert.equal(f16(1 + 2 ** -11), 1, 'tie goes to the even mantissa');
  assert.equal(f16(1 + 3 * 2 ** -11), 1 + 2 ** -9);
  assert.equal(f16(65520), Infinity);
  assert.equal(f16(-1e6), -Infinity);
  assert.equal(f16(2 ** -25), 0);
  assert.equal(f16(3 * 2 ** -26), 2 ** -24);
  assert.ok(Number.isNaN(f16(NaN)));
  assert.equal(bf16(1 + 2 ** -8), 1);
  assert.equal(bf16(1 + 3 * 2 ** -8), 1 + 2 ** -6);
  assert.ok(Number.isNaN(bf16(NaN)));
  // Nearest: no representable half lies closer to x than the one chosen.
  fc.assert(
    fc.property(fc.float({ min: -60000, max: 60000, noNaN: true }), (x) => {
      const bits = float32ToFloat16Bits(x);
      const distance = (b: number): number => {
        const value = float16BitsToFloat32(b);
        return Number.isNaN(value) ? Infinity : Math.abs(value - x);
      };
      // Neighbours in magnitude (same sign), plus the opposite zero / smallest subnormal near 0.
      const neighbours = [bits + 1, bits - 1, bits ^ 0x8000, (bits ^ 0x8000) + 1].map((b) => b & 0xffff);
      return neighbours.every((b) => distance(bits) <= distance(b));
    }),
  );
});

test('writeSafetensors is atomic: no temporary file left, failures keep the old file', () => {
  const dir = tempDir();
  const file = path.join(dir, 'model.safetensors');
  writeSafetensors(file, [{ name: 'x', dtype: 'F32', shape: [2], data: Float32Array.from([1, 2]) }]);
  const before = fs.readFileSync(file);
  assert.throws(() => writeSafetensors(file, [{ name: 'x', dtype: 'F32', shape: [3], data: Float32Array.from([1, 2]) }]), CheckpointError);
  assert.throws(
    () =>
      writeSafetensors(file, [
        { name: 'x', dtype: 'F32', shape: [1], data: Float32Array.from([1]) },
        { name: 'x', dtype: 'F32', shape: [1], data: Float32Array.from([1]) },
      ]),
    /twice/,
  );
  assert.deepEqual(fs.readFileSync(file), before);
  writeSafetensors(file, [{ name: 'y', dtype: 'F16', shape: [1], data: Float32Array.from([3]) }], { note: 'replaced' });
  assert.deepEqual(fs.readdirSync(dir), ['model.safetensors']);
  const header = readSafetensorsHeader(file);
  assert.deepEqual([...header.tensors.keys()], ['y']);
  assert.equal(header.metadata?.note, 'replaced');
});

/** Runs `read` and checks that it fails with a CheckpointError naming the file and matching `pattern`. */
function assertHeaderError(file: string, pattern: RegExp, tensor?: string): void {
  assert.throws(
    () => readSafetensorsHeader(file),
    (error: unknown) => {
      assert.ok(error instanceof CheckpointError, String(error));
      assert.equal(error.file, file);
      assert.ok(error.message.includes(file), `message names the file: ${error.message}`);
      assert.match(error.message, pattern);
      if (tensor) {
        assert.equal(error.tensor, tensor);
        assert.ok(error.message.includes(`"${tensor}"`));
      }
      return true;
    },
  );
}

test('corrupt safetensors files are reported with the file, the tensor and what is wrong', () => {
  const dir = tempDir();
  const at = (name: string): string => path.join(dir, name);
  const entry = (dtype: string, shape: number[], offsets: number[]): Record<string, unknown> => ({ dtype, shape, data_offsets: offsets });

  fs.writeFileSync(at('tiny'), Buffer.from([1, 2, 3]));
  assertHeaderError(at('tiny'), /too short/);

  writeRawSafetensors(at('length'), { a: entry('F32', [1], [0, 4]) }, 4, 1_000_000n);
  assertHeaderError(at('length'), /header length \(1000000 bytes\) runs past the end of the file/);

  writeRawSafetensors(at('json'), '{"a": {"dtype": "F32", ', 4);
  assertHeaderError(at('json'), /not valid UTF-8 JSON/);

  writeRawSafetensors(at('array'), [1, 2], 0);
  assertHeaderError(at('array'), /must be a JSON object/);

  writeRawSafetensors(at('dtype'), { w: entry('F33', [1], [0, 4]) }, 4);
  assertHeaderError(at('dtype'), /unknown dtype "F33".*F32/, 'w');

  writeRawSafetensors(at('past-end'), { w: entry('F32', [4], [0, 16]) }, 8);
  assertHeaderError(at('past-end'), /past the end of the file .*truncated/, 'w');

  writeRawSafetensors(at('size'), { w: entry('F32', [3, 2], [0, 16]) }, 16);
  assertHeaderError(at('size'), /holding 16 bytes, but shape \[3, 2\] of F32 needs 24 bytes/, 'w');

  writeRawSafetensors(at('order'), { w: entry('F32', [0], [8, 4]) }, 8);
  assertHeaderError(at('order'), /out of order/, 'w');

  writeRawSafetensors(at('overlap'), { a: entry('F32', [2], [0, 8]), b: entry('F32', [2], [4, 12]) }, 12);
  assertHeaderError(at('overlap'), /"b" .* overlaps tensor "a"/, 'b');

  writeRawSafetensors(at('shape'), { w: entry('F32', [-1], [0, 4]) }, 4);
  assertHeaderError(at('shape'), /non-negative integers/, 'w');

  writeRawSafetensors(at('metadata'), { __metadata__: { epoch: 3 }, w: entry('F32', [1], [0, 4]) }, 4);
  assertHeaderError(at('metadata'), /"__metadata__" entry "epoch" must be a string/);

  // A real file cut short in its data region: the last tensor now ends past the end of the file.
  const whole = at('whole.safetensors');
  writeSafetensors(whole, [
    { name: 'first', dtype: 'F32', shape: [4], data: new Float32Array(4) },
    { name: 'last', dtype: 'F32', shape: [4], data: new Float32Array(4) },
  ]);
  fs.truncateSync(whole, fs.statSync(whole).size - 3);
  assertHeaderError(whole, /past the end of the file/, 'last');

  assert.throws(() => readSafetensorsHeader(at('missing')), (e: unknown) => e instanceof CheckpointError && /does not exist/.test(e.message));
  fs.mkdirSync(at('folder.safetensors'));
  assert.throws(() => readSafetensorsHeader(at('folder.safetensors')), (e: unknown) => e instanceof CheckpointError && /is a folder/.test(e.message));
});

test('empty tensors and zero-length data are accepted', () => {
  const file = path.join(tempDir(), 'empty.safetensors');
  writeSafetensors(file, [
    { name: 'empty', dtype: 'F32', shape: [0, 4], data: new Float32Array(0) },
    { name: 'one', dtype: 'BF16', shape: [1], data: Float32Array.from([2]) },
  ]);
  const header = readSafetensorsHeader(file);
  assert.equal(readTensorFloat32(header.tensors.get('empty') as TensorInfo).length, 0);
  assert.deepEqual([...readTensorFloat32(header.tensors.get('one') as TensorInfo)], [2]);
});
