// Argument and heap helpers shared by the kernel files: every entry point takes the wasm heap
// (an ArrayBuffer) and byte offsets, and checks each range it touches before using it.
#ifndef MASKLAB_KERNEL_ARGS_H
#define MASKLAB_KERNEL_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <node_api.h>

#define MAX_ARGS 20

// Hot loops are compiled twice, for AVX2 and for the x86-64 baseline, and the loader picks one
// for the CPU at hand (GCC function multiversioning; AVX2 without FMA, so both give the same
// numbers). Elsewhere: one baseline build.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define HOT_LOOP __attribute__((target_clones("avx2", "default")))
#else
#define HOT_LOOP
#endif

#define CHECK(env, call)                                                   \
  do {                                                                     \
    if ((call) != napi_ok) {                                               \
      napi_throw_error((env), NULL, "masklab_kernels: " #call " failed"); \
      return NULL;                                                         \
    }                                                                      \
  } while (0)

typedef struct {
  napi_env env;
  napi_value argv[MAX_ARGS];
  size_t argc;
  bool failed;
} Args;

/** The heap: an ArrayBuffer (the wasm Memory's buffer). */
typedef struct {
  uint8_t *base;
  size_t bytes;
} Heap;

/** Reads the call's arguments; false (with a thrown TypeError) when fewer than `expected`. */
bool get_args(napi_env env, napi_callback_info info, Args *args, size_t expected, const char *name);
/** Each reader returns 0 / false once an earlier argument failed, so a kernel checks `failed` once. */
double arg_number(Args *args, size_t i);
int64_t arg_int(Args *args, size_t i);
bool arg_bool(Args *args, size_t i);
Heap arg_heap(Args *args, size_t i);
/** float32 view of `count` values at byte `offset`, or NULL (with a thrown RangeError) when outside the heap. */
float *heap_floats(Args *args, Heap heap, int64_t offset, int64_t count, const char *what);

#endif
