// Masklab's native kernels for the tfjs wasm backend: a Node-API addon that computes on the
// wasm heap in place. JavaScript passes the heap's ArrayBuffer and the byte offsets of the
// operands and of an output it has already allocated; nothing is copied.
//
// Why: the wasm backend sends a matrix product to XNNPACK only when no operand is transposed and
// there is no batch dimension; every gradient product and both attention products otherwise run
// a scalar loop at 1–2 GFLOP/s (design/engine.md). cblas_sgemm takes the transpose flags itself.
//
// Every entry point checks that the ranges it touches lie inside the heap, so a wrong offset is a
// JavaScript exception, never a write outside the buffer.
//
// Files: blas_kernels.c (products, BLAS settings), row_kernels.c (embedding rows, LayerNorm, softmax
// gradient, bias), elementwise_kernels.c (GELU, AdamW, sum of squares, masks), kernel_args.c
// (argument and heap checks). This file only names the functions JavaScript sees.

#include "kernel_args.h"
#include "kernels.h"

static napi_value init(napi_env env, napi_value exports) {
  const napi_property_descriptor properties[] = {
      {"batchMatMul", NULL, batch_mat_mul, NULL, NULL, NULL, napi_enumerable, NULL},
      {"gatherRows", NULL, gather_rows, NULL, NULL, NULL, napi_enumerable, NULL},
      {"segmentSum", NULL, segment_sum, NULL, NULL, NULL, napi_enumerable, NULL},
      {"gelu", NULL, gelu, NULL, NULL, NULL, napi_enumerable, NULL},
      {"geluGrad", NULL, gelu_grad, NULL, NULL, NULL, napi_enumerable, NULL},
      {"layerNorm", NULL, layer_norm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"layerNormGrad", NULL, layer_norm_grad, NULL, NULL, NULL, napi_enumerable, NULL},
      {"softmaxGrad", NULL, softmax_grad, NULL, NULL, NULL, napi_enumerable, NULL},
      {"biasAdd", NULL, bias_add, NULL, NULL, NULL, napi_enumerable, NULL},
      {"columnSum", NULL, column_sum, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sumSquares", NULL, sum_squares, NULL, NULL, NULL, napi_enumerable, NULL},
      {"adamW", NULL, adam_w, NULL, NULL, NULL, napi_enumerable, NULL},
      {"threshold", NULL, threshold, NULL, NULL, NULL, napi_enumerable, NULL},
      {"dropout", NULL, dropout, NULL, NULL, NULL, napi_enumerable, NULL},
      {"info", NULL, blas_info, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  CHECK(env, napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
