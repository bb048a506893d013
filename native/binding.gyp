{
  # Built by `npm install` (package.json "install" script) with `node-gyp rebuild --nodedir=/usr` in this
  # folder. No -march=native and no global -mavx2: the x86 SIMD functions carry their own target
  # attributes and are selected at load time; on arm64 only the fp16 TU gets armv8.2-a+fp16.
  "targets": [
    {
      "target_name": "elastitwin_kernels",
      "sources": [
        "src/addon.cc",
        "src/block_binding.cc",
        "src/decoder_block.cc",
        "src/dispatch.cc",
        "src/elastic_linear.cc",
        "src/kernels_scalar.cc",
        "src/kernels_x86.cc",
        "src/kernels_neon.cc",
        "src/thread_pool.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_CPP_EXCEPTIONS",
        "ELASTITWIN_VERSION=\"<!(node -p \"require('../package.json').version\")\""
      ],
      "cflags": ["-O3", "-fvisibility=hidden"],
      "cflags_cc": ["-std=c++17", "-fexceptions"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "ldflags": ["-pthread"],
      "conditions": [
        ["target_arch=='arm64'", { "dependencies": ["elastitwin_neon_fp16"] }]
      ]
    }
  ],
  "conditions": [
    ["target_arch=='arm64'", {
      "targets": [
        {
          "target_name": "elastitwin_neon_fp16",
          "type": "static_library",
          "sources": ["src/kernels_neon_fp16.cc"],
          "cflags": ["-O3", "-fPIC", "-march=armv8.2-a+fp16"],
          "cflags_cc": ["-std=c++17"]
        }
      ]
    }]
  ]
}
