#!/usr/bin/env bash
# The arm64 leg of the native kernels, emulated with qemu-aarch64, two ways:
#  1. a plain C++ test program (test/arm/kernels_test.cc, float64 references) cross-compiled with the kernels;
#  2. the addon itself cross-built for arm64 and loaded by Debian's arm64 Node 18 (unpacked into
#     out/arm64/root from .debs fetched with `apt-get download`; nothing is installed for arm64), running
#     test/arm/addon.node-test.ts (bundled by esbuild) against the same TypeScript references as test/native.
# Each runs on qemu's default CPU ("max", has FP16: neon-fp16, neon and scalar are all tested) and on
# -cpu cortex-a53 (no FP16: the HWCAP_ASIMDHP check must fall back to neon).
# Needs g++-aarch64-linux-gnu and qemu-user (.ci/apt-packages.txt). binfmt is not available in the CI sandbox,
# so qemu is called explicitly with a sysroot. Everything it fetches or builds stays in out/arm64.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
out=$repo/out/arm64
mkdir -p "$out"
cxx=aarch64-linux-gnu-g++

echo "== arm64 (1/2): C++ kernel test program"
flags=(-std=c++17 -O2 -pthread -Wall -Inative/src)
# the fp16 kernels alone are compiled for ARMv8.2-A+fp16, exactly as binding.gyp does
"$cxx" "${flags[@]}" -march=armv8.2-a+fp16 -c native/src/kernels_neon_fp16.cc -o "$out/kernels_neon_fp16.o"
"$cxx" "${flags[@]}" -o "$out/kernels_test" test/arm/kernels_test.cc \
  native/src/decoder_block.cc native/src/dispatch.cc native/src/elastic_linear.cc \
  native/src/kernels_scalar.cc native/src/kernels_neon.cc native/src/thread_pool.cc "$out/kernels_neon_fp16.o"
qemu-aarch64 -L /usr/aarch64-linux-gnu "$out/kernels_test" --expect-best neon-fp16
qemu-aarch64 -L /usr/aarch64-linux-gnu -cpu cortex-a53 "$out/kernels_test" --expect-best neon

echo "== arm64 (2/2): the addon under arm64 Node"
root=$out/root
if [ ! -x "$root/usr/bin/node" ]; then
  mkdir -p "$out/debs" && rm -f "$out"/debs/*.deb
  arm=(nodejs libnode108 libuv1 libicu72 libssl3 libc-ares2 libbrotli1 libnghttp2-14 zlib1g libc6 libstdc++6 libgcc-s1)
  dpkg --add-architecture arm64
  trap 'dpkg --remove-architecture arm64 || true' EXIT
  apt-get update -qq -o DPkg::Lock::Timeout=120
  (cd "$out/debs" && apt-get download -qq "${arm[@]/%/:arm64}" node-acorn node-cjs-module-lexer node-undici)
  dpkg --remove-architecture arm64 && trap - EXIT
  apt-get update -qq -o DPkg::Lock::Timeout=120 || true # drop the arm64 lists again
  for deb in "$out"/debs/*.deb; do dpkg-deb -x "$deb" "$root"; done
fi
build=$out/addon
rm -rf "$build" && mkdir -p "$build/native"
cp -r native/binding.gyp native/src "$build/native/" && cp package.json "$build/"
(cd "$build/native" && CC=aarch64-linux-gnu-gcc CXX=$cxx LINK=$cxx AR=aarch64-linux-gnu-ar \
  "$repo/node_modules/.bin/node-gyp" rebuild --arch=arm64 --nodedir=/usr -j 2 >"$out/addon-build.log" 2>&1) ||
  { cat "$out/addon-build.log"; exit 1; }
node_modules/.bin/esbuild test/arm/addon.node-test.ts --bundle --platform=node --format=esm --target=node18 \
  --log-level=warning --outfile="$out/addon.node-test.mjs"
export ELASTITWIN_ADDON=$build/native/build/Release/elastitwin_kernels.node
node_arm() { qemu-aarch64 -L "$root" "$@" "$root/usr/bin/node" "$out/addon.node-test.mjs"; }
ELASTITWIN_EXPECT_BEST=neon-fp16 node_arm
ELASTITWIN_EXPECT_BEST=neon node_arm -cpu cortex-a53
