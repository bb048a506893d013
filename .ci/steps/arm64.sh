#!/usr/bin/env bash
# The arm64 leg of the native kernels: cross-compile the kernels with a plain C++ test program
# (test/arm/kernels_test.cc, float64 references) and run it under qemu-aarch64 twice:
#   - qemu's default CPU ("max": has FP16) -> the neon-fp16, neon and scalar paths are all tested;
#   - -cpu cortex-a53 (no FP16)            -> the HWCAP_ASIMDHP check must fall back to neon.
# Needs g++-aarch64-linux-gnu and qemu-user (.ci/apt-packages.txt). binfmt is not available in the CI
# sandbox, so qemu is called explicitly with the cross sysroot. Takes well under a minute.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=out/arm64
mkdir -p "$out"
cxx=aarch64-linux-gnu-g++
flags=(-std=c++17 -O2 -pthread -Wall -Inative/src)
# the fp16 kernels alone are compiled for ARMv8.2-A+fp16, exactly as binding.gyp does
"$cxx" "${flags[@]}" -march=armv8.2-a+fp16 -c native/src/kernels_neon_fp16.cc -o "$out/kernels_neon_fp16.o"
"$cxx" "${flags[@]}" -o "$out/kernels_test" test/arm/kernels_test.cc \
  native/src/decoder_block.cc native/src/dispatch.cc native/src/elastic_linear.cc \
  native/src/kernels_scalar.cc native/src/kernels_neon.cc native/src/thread_pool.cc "$out/kernels_neon_fp16.o"
run() { qemu-aarch64 -L /usr/aarch64-linux-gnu "$@"; }
echo "arm64 kernels, qemu default CPU (FP16):"
run "$out/kernels_test" --expect-best neon-fp16
echo "arm64 kernels, qemu -cpu cortex-a53 (no FP16: fallback):"
run -cpu cortex-a53 "$out/kernels_test" --expect-best neon
