// Element-wise kernels: GELU forward and backward, the AdamW update, the sum of squares (the
// gradient norm), threshold masks and dropout. Each is one pass over memory, written so the loops vectorise.

#include <math.h>
#include <stdint.h>

#include "kernel_args.h"
#include "kernels.h"

// ---- GELU (erf form), forward and backward in one pass each ----
//
// erf by Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7), the formula tfjs's own Erf kernels use,
// and exp by range reduction and a polynomial: both branch-free (selects, copysignf and fabsf
// become SIMD instructions under -fno-math-errno -fno-trapping-math), so the loops vectorise.

static inline float exp_poly(float x) {
  // e^x = 2^n · e^r, n = round(x / ln 2), |r| ≤ ln2 / 2; Taylor to r^7 (relative error < 1e-8).
  x = x > -87.0f ? x : -87.0f;  // selects, not fminf/fmaxf: those keep NaN rules SIMD max/min lack
  x = x < 88.0f ? x : 88.0f;
  const float n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
  const float r = (x - n * 0.693359375f) + n * 2.12194440e-4f;
  float p = 1.0f / 5040.0f;
  p = p * r + 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  union {
    int32_t i;
    float f;
  } scale;
  scale.i = ((int32_t)n + 127) << 23;
  return p * scale.f;
}

/** erf(z) given |z| and e^{-z²}; sign applied by the caller. */
static inline float erf_abs(float abs_z, float exp_minus_z2) {
  const float t = 1.0f / (1.0f + 0.3275911f * abs_z);
  const float poly = t * (0.254829592f + t * (-0.284496736f + t * (1.421413741f + t * (-1.453152027f + t * 1.061405429f))));
  return 1.0f - poly * exp_minus_z2;
}

static inline float phi_cdf(float x, float *density) {
  // Φ(x) = ½(1 + erf(x/√2)); φ(x) = e^{-x²/2}/√(2π) shares the exponential.
  const float z = x * 0.70710678118654752f;
  const float e = exp_poly(-z * z);
  *density = e * 0.39894228040143268f;
  return 0.5f * (1.0f + copysignf(erf_abs(fabsf(z), e), z));
}

// gelu(heap, xOffset, outOffset, n): out = x·Φ(x).
HOT_LOOP napi_value gelu(napi_env env, napi_callback_info info) {
  Args args;
  if (!get_args(env, info, &args, 4, "gelu")) return NULL;
  Heap heap = arg_heap(&args, 0);
  int64_t x_offset = arg_int(&args, 1), out_offset = arg_int(&args, 2), n = arg_int(&args, 3);
  const float *x = heap_floats(&args, heap, x_offset, n, "x");
  float *out = heap_floats(&args, heap, out_offset, n, "the output");
  if (args.failed) return NULL;
  for (int64_t i = 0; i < n; i++) {
    float density;
    out[i] = x[i] * phi_cdf(x[i], &density);
  }
  return NULL;
}

// geluGrad(heap, xOffset, dyOffset, dxOffset, n): dx = dy·(Φ(x) + x·φ(x)).
HOT_LOOP napi_value gelu_grad(napi_env env, napi_callback_info info) {
  Args args;
  if (!get_args(env, info, &args, 5, "geluGrad")) return NULL;
  Heap heap = arg_heap(&args, 0);
  int64_t x_offset = arg_int(&args, 1), dy_offset = arg_int(&args, 2), dx_offset = arg_int(&args, 3), n = arg_int(&args, 4);
  const float *x = heap_floats(&args, heap, x_offset, n, "x");
  const float *dy = heap_floats(&args, heap, dy_offset, n, "dy");
  float *dx = heap_floats(&args, heap, dx_offset, n, "dx");
  if (args.failed) return NULL;
  for (int64_t i = 0; i < n; i++) {
    float density;
    const float cdf = phi_cdf(x[i], &density);
    dx[i] = dy[i] * (cdf + x[i] * density);
  }
  return NULL;
}

// sumSquares(heap, xOffset, outOffset, n): out[0] = Σ x² (accumulated in double).
napi_value sum_squares(napi_env env, napi_callback_info info) {
  Args args;
  if (!get_args(env, info, &args, 4, "sumSquares")) return NULL;
  Heap heap = arg_heap(&args, 0);
  int64_t x_offset = arg_int(&args, 1), out_offset = arg_int(&args, 2), n = arg_int(&args, 3);
  const float *x = heap_floats(&args, heap, x_offset, n, "x");
  float *out = heap_floats(&args, heap, out_offset, 1, "the output");
  if (args.failed) return NULL;
  // Four float partial sums per block, folded into a double: vectorises and stays accurate.
  double total = 0;
  const int64_t block = 4096;
  for (int64_t start = 0; start < n; start += block) {
    const int64_t end = start + block < n ? start + block : n;
    float partial = 0;
    for (int64_t i = start; i < end; i++) partial += x[i] * x[i];
    total += partial;
  }
  out[0] = (float)total;
  return NULL;
}

// Outputs are fresh allocations, never an input: restrict lets the loop vectorise. Multiplying by
// a scale or decay of exactly 1 changes no value, so no-clipping and no-decay need no branch.
HOT_LOOP static void adam_w_loop(const float *restrict p, const float *restrict g, const float *restrict m, const float *restrict v, float *restrict p_out,
                        float *restrict m_out, float *restrict v_out, int64_t n, float scale, float beta1, float one_minus_beta1, float beta2,
                        float one_minus_beta2, float epsilon_hat, float decay, float step_size) {
  for (int64_t i = 0; i < n; i++) {
    const float gi = g[i] * scale;
    const float mi = m[i] * beta1 + gi * one_minus_beta1;
    const float vi = v[i] * beta2 + (gi * gi) * one_minus_beta2;
    p_out[i] = p[i] * decay - (mi / (sqrtf(vi) + epsilon_hat)) * step_size;
    m_out[i] = mi;
    v_out[i] = vi;
  }
}

// adamW(heap, p, g, m, v, pOut, mOut, vOut, n, clipOffset, beta1, oneMinusBeta1, beta2, oneMinusBeta2,
//       epsilonHat, decay, stepSize) — offsets in bytes; clipOffset < 0: no clipping, else the byte
// offset of a float32 scalar the gradient is multiplied by. The composition in optim/adamW.ts,
// one float32 operation at a time in the same order, in one pass:
//   g ← g·clip;  m ← m·β₁ + g·(1 − β₁);  v ← v·β₂ + g²·(1 − β₂)
//   p ← p·decay − (m / (√v + ε̂))·stepSize        (decay = 1 − lr·wd; 1 without decay)
napi_value adam_w(napi_env env, napi_callback_info info) {
  Args args;
  if (!get_args(env, info, &args, 17, "adamW")) return NULL;
  Heap heap = arg_heap(&args, 0);
  int64_t offsets[7];
  for (int i = 0; i < 7; i++) offsets[i] = arg_int(&args, 1 + i);
  int64_t n = arg_int(&args, 8);
  double clip_offset = arg_number(&args, 9);
  const float beta1 = (float)arg_number(&args, 10), one_minus_beta1 = (float)arg_number(&args, 11);
  const float beta2 = (float)arg_number(&args, 12), one_minus_beta2 = (float)arg_number(&args, 13);
  const float epsilon_hat = (float)arg_number(&args, 14), decay = (float)arg_number(&args, 15), step_size = (float)arg_number(&args, 16);
  const char *names[7] = {"p", "g", "m", "v", "pOut", "mOut", "vOut"};
  float *t[7];
  for (int i = 0; i < 7; i++) t[i] = heap_floats(&args, heap, offsets[i], n, names[i]);
  const float *clip = clip_offset >= 0 ? heap_floats(&args, heap, (int64_t)clip_offset, 1, "the clip factor") : NULL;
  if (args.failed) return NULL;
  const float scale = clip ? clip[0] : 1.0f;
  adam_w_loop(t[0], t[1], t[2], t[3], t[4], t[5], t[6], n, scale, beta1, one_minus_beta1, beta2, one_minus_beta2, epsilon_hat, decay, step_size);
  return NULL;
}

// threshold(heap, xOffset, outOffset, n, tau): out = x > tau ? 1 : 0 (a mask from scores).
HOT_LOOP napi_value threshold(napi_env env, napi_callback_info info) {
  Args args;
  if (!get_args(env, info, &args, 5, "threshold")) return NULL;
  Heap heap = arg_heap(&args, 0);
  int64_t x_offset = arg_int(&args, 1), out_offset = arg_int(&args, 2), n = arg_int(&args, 3);
  const float tau = (float)arg_number(&args, 4);
  const float *x = heap_floats(&args, heap, x_offset, n, "x");
  float *out = heap_floats(&args, heap, out_offset, n, "the output");
  if (args.failed) return NULL;
  for (int64_t i = 0; i < n; i++) out[i] = x[i] > tau ? 1.0f : 0.0f;
  return NULL;
}

// dropout(heap, xOffset, outOffset, multiplierOffset, n, keepProb, c, s0, s1, s2): tfjs's
// dropout with its own random numbers. tfjs draws u ~ U[0, 1) from seedrandom's Alea generator
// (state c, s0, s1, s2 after seeding, taken in JavaScript) in doubles, stores them as float32, and
// computes multiplier = floor(u + keepProb) / keepProb and out = x·multiplier in float32. The same
// recurrence and the same float32 operations here give the same masks and values, without
// filling a JavaScript array with the draws first.
napi_value dropout(napi_env env, napi_callback_info info) {
  Args args;
  if (!get_args(env, info, &args, 10, "dropout")) return NULL;
  Heap heap = arg_heap(&args, 0);
  int64_t x_offset = arg_int(&args, 1), out_offset = arg_int(&args, 2), multiplier_offset = arg_int(&args, 3), n = arg_int(&args, 4);
  const float keep = (float)arg_number(&args, 5);
  double c = arg_number(&args, 6), s0 = arg_number(&args, 7), s1 = arg_number(&args, 8), s2 = arg_number(&args, 9);
  const float *x = heap_floats(&args, heap, x_offset, n, "x");
  float *out = heap_floats(&args, heap, out_offset, n, "the output");
  float *multiplier = heap_floats(&args, heap, multiplier_offset, n, "the multiplier");
  if (args.failed) return NULL;
  for (int64_t i = 0; i < n; i++) {
    // Alea: t = 2091639·s0 + c·2⁻³²; c = ToInt32(t) (t is in [0, 2091640), so truncation); the
    // draw is t − c.
    const double t = 2091639.0 * s0 + c * 2.3283064365386963e-10;
    s0 = s1;
    s1 = s2;
    c = (double)(int32_t)t;
    s2 = t - c;
    const float u = (float)s2;
    const float m = floorf(u + keep) / keep;
    multiplier[i] = m;
    out[i] = x[i] * m;
  }
  return NULL;
}

