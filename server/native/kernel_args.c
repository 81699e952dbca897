// Argument and heap helpers (kernel_args.h).

#include "kernel_args.h"

#include <math.h>
#include <stdio.h>

bool get_args(napi_env env, napi_callback_info info, Args *args, size_t expected, const char *name) {
  args->env = env;
  args->argc = MAX_ARGS;
  args->failed = false;
  if (napi_get_cb_info(env, info, &args->argc, args->argv, NULL, NULL) != napi_ok || args->argc < expected) {
    char message[160];
    snprintf(message, sizeof message, "masklab_kernels.%s: expected %zu arguments, got %zu", name, expected, args->argc);
    napi_throw_type_error(env, NULL, message);
    return false;
  }
  return true;
}

double arg_number(Args *args, size_t i) {
  double value = 0;
  if (args->failed) return 0;
  if (napi_get_value_double(args->env, args->argv[i], &value) != napi_ok) {
    char message[96];
    snprintf(message, sizeof message, "masklab_kernels: argument %zu must be a number", i);
    napi_throw_type_error(args->env, NULL, message);
    args->failed = true;
  }
  return value;
}

int64_t arg_int(Args *args, size_t i) {
  double value = arg_number(args, i);
  if (args->failed) return 0;
  if (value < 0 || value != floor(value) || value > 9007199254740991.0) {
    char message[112];
    snprintf(message, sizeof message, "masklab_kernels: argument %zu must be a non-negative integer, got %g", i, value);
    napi_throw_range_error(args->env, NULL, message);
    args->failed = true;
    return 0;
  }
  return (int64_t)value;
}

bool arg_bool(Args *args, size_t i) {
  bool value = false;
  if (args->failed) return false;
  if (napi_get_value_bool(args->env, args->argv[i], &value) != napi_ok) {
    char message[96];
    snprintf(message, sizeof message, "masklab_kernels: argument %zu must be a boolean", i);
    napi_throw_type_error(args->env, NULL, message);
    args->failed = true;
  }
  return value;
}

Heap arg_heap(Args *args, size_t i) {
  Heap heap = {NULL, 0};
  bool is_buffer = false;
  if (args->failed) return heap;
  if (napi_is_arraybuffer(args->env, args->argv[i], &is_buffer) != napi_ok || !is_buffer ||
      napi_get_arraybuffer_info(args->env, args->argv[i], (void **)&heap.base, &heap.bytes) != napi_ok) {
    napi_throw_type_error(args->env, NULL, "masklab_kernels: the first argument must be the wasm heap's ArrayBuffer");
    args->failed = true;
  }
  return heap;
}

float *heap_floats(Args *args, Heap heap, int64_t offset, int64_t count, const char *what) {
  if (args->failed) return NULL;
  if (offset % 4 != 0 || (uint64_t)offset + (uint64_t)count * 4u > heap.bytes) {
    char message[200];
    snprintf(message, sizeof message, "masklab_kernels: %s (%lld floats at byte %lld) lies outside the %zu-byte wasm heap or is misaligned",
             what, (long long)count, (long long)offset, heap.bytes);
    napi_throw_range_error(args->env, NULL, message);
    args->failed = true;
    return NULL;
  }
  return (float *)(heap.base + offset);
}

