// The addon's entry points (one per JavaScript function), defined in *_kernels.c. Hidden: a
// generic name (gelu, dropout) must never bind to a same-named symbol of another library.
#ifndef MASKLAB_KERNELS_H
#define MASKLAB_KERNELS_H

#include <node_api.h>

__attribute__((visibility("hidden"))) napi_value batch_mat_mul(napi_env env, napi_callback_info info);
__attribute__((visibility("hidden"))) napi_value gather_rows(napi_env env, napi_callback_info info);
__attribute__((visibility("hidden"))) napi_value segment_sum(napi_env env, napi_callback_info info);
__attribute__((visibility("hidden"))) napi_value gelu(napi_env env, napi_callback_info info);
__attribute__((visibility("hidden"))) napi_value gelu_grad(napi_env env, napi_callback_info info);
__attribute__((visibility("hidden"))) napi_value layer_norm(napi_env env, napi_callback_info info);
__attribute__((visibility("hidden"))) napi_value layer_norm_grad(napi_env env, napi_callback_info info);
__attribute__((visibility("hidden"))) napi_value softmax_grad(napi_env env, napi_callback_info info);
__attribute__((visibility("hidden"))) napi_value bias_add(napi_env env, napi_callback_info info);
__attribute__((visibility("hidden"))) napi_value column_sum(napi_env env, napi_callback_info info);
__attribute__((visibility("hidden"))) napi_value sum_squares(napi_env env, napi_callback_info info);
__attribute__((visibility("hidden"))) napi_value adam_w(napi_env env, napi_callback_info info);
__attribute__((visibility("hidden"))) napi_value threshold(napi_env env, napi_callback_info info);
__attribute__((visibility("hidden"))) napi_value dropout(napi_env env, napi_callback_info info);
__attribute__((visibility("hidden"))) napi_value blas_info(napi_env env, napi_callback_info info);
__attribute__((visibility("hidden"))) napi_value set_threads(napi_env env, napi_callback_info info);

#endif
