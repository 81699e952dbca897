{
  # Masklab's optional native kernels for the tfjs wasm backend (see masklab_kernels.c).
  # .ci/build-native.mjs picks the BLAS and passes it in through the environment, so one file
  # serves OpenBLAS and any other CBLAS; built by hand, it links against OpenBLAS.
  "targets": [
    {
      "target_name": "masklab_kernels",
      "sources": ["masklab_kernels.c", "kernel_args.c", "blas_kernels.c", "row_kernels.c", "elementwise_kernels.c"],
      "include_dirs": ["<!@(node -p \"process.env.MASKLAB_BLAS_INCLUDE || ''\")"],
      "libraries": ["<!@(node -p \"process.env.MASKLAB_BLAS_LIBS || '-lopenblas'\")"],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-O3", "-std=c11", "-Wall", "-Wextra", "-fno-math-errno", "-fno-trapping-math", "-fvisibility=hidden"],
      "cflags!": ["-O2"]
    }
  ]
}
