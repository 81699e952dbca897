// Matrix products and the BLAS's own settings, through CBLAS (OpenBLAS from Debian's
// libopenblas-dev, or any CBLAS .ci/build-native.mjs finds).

#include <stdint.h>
#include <string.h>

#include <cblas.h>

#include "kernel_args.h"
#include "kernels.h"

// OpenBLAS's extensions, resolved when the library has them (weak: NULL with another CBLAS).
extern void openblas_set_num_threads(int) __attribute__((weak));
extern int openblas_get_num_threads(void) __attribute__((weak));
extern char *openblas_get_config(void) __attribute__((weak));

// batchMatMul(heap, aOffset, bOffset, outOffset, batch, m, n, k, transposeA, transposeB, aBatchStride, bBatchStride)
// out[i] = op(A[i]) · op(B[i]) for i < batch, with A[i] at aOffset + 4·i·aBatchStride (a stride of 0
// broadcasts one matrix over the batch). Row-major, as tfjs stores tensors: A is [m, k] ([k, m]
// when transposed), B is [k, n] ([n, k] when transposed), out is [m, n].
napi_value batch_mat_mul(napi_env env, napi_callback_info info) {
  Args args;
  if (!get_args(env, info, &args, 12, "batchMatMul")) return NULL;
  Heap heap = arg_heap(&args, 0);
  int64_t a_offset = arg_int(&args, 1), b_offset = arg_int(&args, 2), out_offset = arg_int(&args, 3);
  int64_t batch = arg_int(&args, 4), m = arg_int(&args, 5), n = arg_int(&args, 6), k = arg_int(&args, 7);
  bool trans_a = arg_bool(&args, 8), trans_b = arg_bool(&args, 9);
  int64_t a_stride = arg_int(&args, 10), b_stride = arg_int(&args, 11);
  if (args.failed) return NULL;
  if (m > INT32_MAX || n > INT32_MAX || k > INT32_MAX) {
    napi_throw_range_error(env, NULL, "masklab_kernels.batchMatMul: a matrix dimension exceeds the BLAS's 32-bit range");
    return NULL;
  }
  if (batch == 0 || m == 0 || n == 0) return NULL;
  int64_t a_span = batch > 1 ? a_stride * (batch - 1) + m * k : m * k;
  int64_t b_span = batch > 1 ? b_stride * (batch - 1) + k * n : k * n;
  float *a = heap_floats(&args, heap, a_offset, a_span, "operand a");
  float *b = heap_floats(&args, heap, b_offset, b_span, "operand b");
  float *out = heap_floats(&args, heap, out_offset, batch * m * n, "the output");
  if (args.failed) return NULL;
  if (k == 0) {
    // An empty inner dimension: every sum is empty. sgemm with k = 0 only scales C by beta.
    memset(out, 0, (size_t)(batch * m * n) * sizeof(float));
    return NULL;
  }
  const int lda = trans_a ? (int)m : (int)k;
  const int ldb = trans_b ? (int)k : (int)n;
  for (int64_t i = 0; i < batch; i++) {
    cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k, 1.0f,
                a + i * a_stride, lda, b + i * b_stride, ldb, 0.0f, out + i * m * n, (int)n);
  }
  return NULL;
}

// info() → { library: string | null, threads: number, threadsSettable: boolean }
// `library` is OpenBLAS's configuration line (`OpenBLAS 0.3.21 DYNAMIC_ARCH …`) or null for another CBLAS.
napi_value blas_info(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result, library, threads, settable;
  CHECK(env, napi_create_object(env, &result));
  if (openblas_get_config) {
    CHECK(env, napi_create_string_utf8(env, openblas_get_config(), NAPI_AUTO_LENGTH, &library));
  } else {
    CHECK(env, napi_get_null(env, &library));
  }
  CHECK(env, napi_create_int32(env, openblas_get_num_threads ? openblas_get_num_threads() : -1, &threads));
  CHECK(env, napi_get_boolean(env, openblas_set_num_threads != NULL && openblas_get_num_threads != NULL, &settable));
  CHECK(env, napi_set_named_property(env, result, "library", library));
  CHECK(env, napi_set_named_property(env, result, "threads", threads));
  CHECK(env, napi_set_named_property(env, result, "threadsSettable", settable));
  return result;
}

// setThreads(n) → the thread count now in force, or -1 when this BLAS cannot be told. Counts
// above 4096 are not passed on (OpenBLAS would start threads up to its cap); the count stays.
napi_value set_threads(napi_env env, napi_callback_info info) {
  Args args;
  if (!get_args(env, info, &args, 1, "setThreads")) return NULL;
  int64_t wanted = arg_int(&args, 0);
  if (args.failed) return NULL;
  int now = -1;
  if (openblas_set_num_threads && openblas_get_num_threads) {
    if (wanted >= 1 && wanted <= 4096) openblas_set_num_threads((int)wanted);
    now = openblas_get_num_threads();
  }
  napi_value result;
  CHECK(env, napi_create_int32(env, now, &result));
  return result;
}
