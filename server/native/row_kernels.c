// Kernels over rows: embedding lookups and their gradient, LayerNorm, the softmax gradient, a
// linear layer's bias and its gradient. Rows are the last axis of a tensor stored row-major.

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "kernel_args.h"
#include "kernels.h"

// gatherRows(heap, tableOffset, tableRows, rowSize, indicesOffset, count, outOffset) → -1, or the
// position of the first index outside [0, tableRows) (nothing is then written: the caller falls
// back to the stock kernel, which reports it). out[i] = table[indices[i]], rows of rowSize 4-byte
// values (float32 or int32 alike).
napi_value gather_rows(napi_env env, napi_callback_info info) {
  Args args;
  if (!get_args(env, info, &args, 7, "gatherRows")) return NULL;
  Heap heap = arg_heap(&args, 0);
  int64_t table_offset = arg_int(&args, 1), table_rows = arg_int(&args, 2), row_size = arg_int(&args, 3);
  int64_t indices_offset = arg_int(&args, 4), count = arg_int(&args, 5), out_offset = arg_int(&args, 6);
  float *table = heap_floats(&args, heap, table_offset, table_rows * row_size, "the table");
  const int32_t *indices = (const int32_t *)heap_floats(&args, heap, indices_offset, count, "the indices");
  float *out = heap_floats(&args, heap, out_offset, count * row_size, "the output");
  if (args.failed) return NULL;
  int64_t bad = -1;
  for (int64_t i = 0; i < count; i++) {
    if (indices[i] < 0 || indices[i] >= table_rows) {
      bad = i;
      break;
    }
  }
  if (bad < 0) {
    for (int64_t i = 0; i < count; i++) memcpy(out + i * row_size, table + (int64_t)indices[i] * row_size, (size_t)row_size * sizeof(float));
  }
  napi_value result;
  CHECK(env, napi_create_double(env, (double)bad, &result));
  return result;
}

// segmentSum(heap, xOffset, idsOffset, outOffset, rows, rowSize, segments): out[s] = Σ of the rows
// i with ids[i] = s (float32); ids outside [0, segments) are dropped, as TensorFlow does. The
// gradient of an embedding lookup.
napi_value segment_sum(napi_env env, napi_callback_info info) {
  Args args;
  if (!get_args(env, info, &args, 7, "segmentSum")) return NULL;
  Heap heap = arg_heap(&args, 0);
  int64_t x_offset = arg_int(&args, 1), ids_offset = arg_int(&args, 2), out_offset = arg_int(&args, 3);
  int64_t rows = arg_int(&args, 4), row_size = arg_int(&args, 5), segments = arg_int(&args, 6);
  const float *x = heap_floats(&args, heap, x_offset, rows * row_size, "x");
  const int32_t *ids = (const int32_t *)heap_floats(&args, heap, ids_offset, rows, "the segment ids");
  float *out = heap_floats(&args, heap, out_offset, segments * row_size, "the output");
  if (args.failed) return NULL;
  memset(out, 0, (size_t)(segments * row_size) * sizeof(float));
  for (int64_t r = 0; r < rows; r++) {
    if (ids[r] < 0 || ids[r] >= segments) continue;
    float *to = out + (int64_t)ids[r] * row_size;
    const float *from = x + r * row_size;
    for (int64_t c = 0; c < row_size; c++) to[c] += from[c];
  }
  return NULL;
}

// ---- LayerNorm over the last axis (biased variance, eps inside the root, as BERT) ----

// layerNorm(heap, xOffset, gammaOffset, betaOffset, outOffset, rows, cols, eps)
HOT_LOOP napi_value layer_norm(napi_env env, napi_callback_info info) {
  Args args;
  if (!get_args(env, info, &args, 8, "layerNorm")) return NULL;
  Heap heap = arg_heap(&args, 0);
  int64_t x_offset = arg_int(&args, 1), gamma_offset = arg_int(&args, 2), beta_offset = arg_int(&args, 3), out_offset = arg_int(&args, 4);
  int64_t rows = arg_int(&args, 5), cols = arg_int(&args, 6);
  double eps = arg_number(&args, 7);
  const float *x = heap_floats(&args, heap, x_offset, rows * cols, "x");
  const float *gamma = heap_floats(&args, heap, gamma_offset, cols, "gamma");
  const float *beta = heap_floats(&args, heap, beta_offset, cols, "beta");
  float *out = heap_floats(&args, heap, out_offset, rows * cols, "the output");
  if (args.failed || cols == 0) return NULL;
  for (int64_t r = 0; r < rows; r++) {
    const float *xr = x + r * cols;
    float *yr = out + r * cols;
    float sum = 0;
    for (int64_t c = 0; c < cols; c++) sum += xr[c];
    const float mean = sum / (float)cols;
    float squares = 0;
    for (int64_t c = 0; c < cols; c++) squares += (xr[c] - mean) * (xr[c] - mean);
    const float rstd = 1.0f / sqrtf(squares / (float)cols + (float)eps);
    for (int64_t c = 0; c < cols; c++) yr[c] = (xr[c] - mean) * rstd * gamma[c] + beta[c];
  }
  return NULL;
}

// layerNormGrad(heap, xOffset, gammaOffset, dyOffset, dxOffset, dgammaOffset, dbetaOffset, rows, cols, eps)
// With x̂ = (x − μ)·r and g = dy·γ: dx = r·(g − mean(g) − x̂·mean(g·x̂)), dγ = Σ dy·x̂, dβ = Σ dy.
HOT_LOOP napi_value layer_norm_grad(napi_env env, napi_callback_info info) {
  Args args;
  if (!get_args(env, info, &args, 10, "layerNormGrad")) return NULL;
  Heap heap = arg_heap(&args, 0);
  int64_t x_offset = arg_int(&args, 1), gamma_offset = arg_int(&args, 2), dy_offset = arg_int(&args, 3);
  int64_t dx_offset = arg_int(&args, 4), dgamma_offset = arg_int(&args, 5), dbeta_offset = arg_int(&args, 6);
  int64_t rows = arg_int(&args, 7), cols = arg_int(&args, 8);
  double eps = arg_number(&args, 9);
  const float *x = heap_floats(&args, heap, x_offset, rows * cols, "x");
  const float *gamma = heap_floats(&args, heap, gamma_offset, cols, "gamma");
  const float *dy = heap_floats(&args, heap, dy_offset, rows * cols, "dy");
  float *dx = heap_floats(&args, heap, dx_offset, rows * cols, "dx");
  float *dgamma = heap_floats(&args, heap, dgamma_offset, cols, "dgamma");
  float *dbeta = heap_floats(&args, heap, dbeta_offset, cols, "dbeta");
  if (args.failed) return NULL;
  memset(dgamma, 0, (size_t)cols * sizeof(float));
  memset(dbeta, 0, (size_t)cols * sizeof(float));
  if (cols == 0) return NULL;
  const float inv_cols = 1.0f / (float)cols;
  for (int64_t r = 0; r < rows; r++) {
    const float *xr = x + r * cols;
    const float *dyr = dy + r * cols;
    float *dxr = dx + r * cols;
    float sum = 0;
    for (int64_t c = 0; c < cols; c++) sum += xr[c];
    const float mean = sum * inv_cols;
    float squares = 0;
    for (int64_t c = 0; c < cols; c++) squares += (xr[c] - mean) * (xr[c] - mean);
    const float rstd = 1.0f / sqrtf(squares * inv_cols + (float)eps);
    float g_sum = 0, gx_sum = 0;
    for (int64_t c = 0; c < cols; c++) {
      const float xhat = (xr[c] - mean) * rstd;
      const float g = dyr[c] * gamma[c];
      g_sum += g;
      gx_sum += g * xhat;
      dgamma[c] += dyr[c] * xhat;
      dbeta[c] += dyr[c];
    }
    const float g_mean = g_sum * inv_cols, gx_mean = gx_sum * inv_cols;
    for (int64_t c = 0; c < cols; c++) {
      const float xhat = (xr[c] - mean) * rstd;
      dxr[c] = rstd * (dyr[c] * gamma[c] - g_mean - xhat * gx_mean);
    }
  }
  return NULL;
}

// softmaxGrad(heap, yOffset, dyOffset, dxOffset, rows, cols): dx = y·(dy − Σ dy·y), per row.
HOT_LOOP napi_value softmax_grad(napi_env env, napi_callback_info info) {
  Args args;
  if (!get_args(env, info, &args, 6, "softmaxGrad")) return NULL;
  Heap heap = arg_heap(&args, 0);
  int64_t y_offset = arg_int(&args, 1), dy_offset = arg_int(&args, 2), dx_offset = arg_int(&args, 3);
  int64_t rows = arg_int(&args, 4), cols = arg_int(&args, 5);
  const float *y = heap_floats(&args, heap, y_offset, rows * cols, "y");
  const float *dy = heap_floats(&args, heap, dy_offset, rows * cols, "dy");
  float *dx = heap_floats(&args, heap, dx_offset, rows * cols, "dx");
  if (args.failed) return NULL;
  for (int64_t r = 0; r < rows; r++) {
    const float *yr = y + r * cols;
    const float *dyr = dy + r * cols;
    float *dxr = dx + r * cols;
    float dot = 0;
    for (int64_t c = 0; c < cols; c++) dot += dyr[c] * yr[c];
    for (int64_t c = 0; c < cols; c++) dxr[c] = yr[c] * (dyr[c] - dot);
  }
  return NULL;
}

// biasAdd(heap, yOffset, biasOffset, outOffset, rows, cols): out[r, c] = y[r, c] + bias[c].
HOT_LOOP napi_value bias_add(napi_env env, napi_callback_info info) {
  Args args;
  if (!get_args(env, info, &args, 6, "biasAdd")) return NULL;
  Heap heap = arg_heap(&args, 0);
  int64_t y_offset = arg_int(&args, 1), bias_offset = arg_int(&args, 2), out_offset = arg_int(&args, 3);
  int64_t rows = arg_int(&args, 4), cols = arg_int(&args, 5);
  const float *y = heap_floats(&args, heap, y_offset, rows * cols, "y");
  const float *bias = heap_floats(&args, heap, bias_offset, cols, "the bias");
  float *out = heap_floats(&args, heap, out_offset, rows * cols, "the output");
  if (args.failed) return NULL;
  for (int64_t r = 0; r < rows; r++) {
    const float *yr = y + r * cols;
    float *outr = out + r * cols;
    for (int64_t c = 0; c < cols; c++) outr[c] = yr[c] + bias[c];
  }
  return NULL;
}

// columnSum(heap, xOffset, outOffset, rows, cols): out[c] = Σ_r x[r, c] (a bias's gradient),
// summed row after row in float32, as a reduction over the leading axis.
HOT_LOOP napi_value column_sum(napi_env env, napi_callback_info info) {
  Args args;
  if (!get_args(env, info, &args, 5, "columnSum")) return NULL;
  Heap heap = arg_heap(&args, 0);
  int64_t x_offset = arg_int(&args, 1), out_offset = arg_int(&args, 2), rows = arg_int(&args, 3), cols = arg_int(&args, 4);
  const float *x = heap_floats(&args, heap, x_offset, rows * cols, "x");
  float *out = heap_floats(&args, heap, out_offset, cols, "the output");
  if (args.failed) return NULL;
  memset(out, 0, (size_t)cols * sizeof(float));
  for (int64_t r = 0; r < rows; r++) {
    const float *xr = x + r * cols;
    for (int64_t c = 0; c < cols; c++) out[c] += xr[c];
  }
  return NULL;
}
