/**
 * The arm64 leg through the real addon: .ci/steps/arm64.sh cross-builds native/ for arm64, bundles this
 * file (with fast-check, the loader and the TypeScript references) into one .mjs, and runs it with Debian's
 * arm64 Node under qemu-aarch64 (Vitest needs Node 20, which does not run there, hence node:test).
 * Same cases and tolerances as test/native, on every path the emulated CPU offers.
 * Env: ELASTITWIN_ADDON (the arm64 binary), ELASTITWIN_EXPECT_BEST (the path the CPU must select),
 * ELASTITWIN_ARM_RUNS (fast-check runs per property; default 20, qemu is slow).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { loadKernels } from '../../native/index.ts';
import {
  blockCaseArb,
  checkDecodeCase,
  checkFp16Storage,
  checkLinearCase,
  checkPrefillCase,
  fp16ValuesArb,
  linearCaseArb,
} from '../native/cases.ts';

const kernels = loadKernels();
const info = kernels.info();
const runs = Number(process.env.ELASTITWIN_ARM_RUNS ?? 20);

test(`the addon loads on ${process.arch} and selects the expected path`, () => {
  assert.equal(info.arch, 'arm64');
  const expected = process.env.ELASTITWIN_EXPECT_BEST;
  if (expected) assert.equal(info.bestSimd, expected);
  assert.equal(info.fp16Native, info.simd === 'neon-fp16');
  console.log(`# ${info.version}: best ${info.bestSimd}, paths ${kernels.availablePaths().join(', ')}`);
});

for (const path of kernels.availablePaths()) {
  test(`${path}: elastic linear (reordered and gathered, GEMV and GEMM) matches the reference`, () => {
    kernels.setPath(path);
    fc.assert(fc.property(linearCaseArb, (c) => {
      assert.equal(checkLinearCase(kernels, path, c), null);
    }), { numRuns: runs * 3 });
  });

  test(`${path}: block prefill and decode match the reference`, () => {
    kernels.setPath(path);
    fc.assert(fc.property(blockCaseArb, (c) => {
      assert.equal(checkPrefillCase(kernels, path, c), null);
    }), { numRuns: runs });
    fc.assert(fc.property(blockCaseArb, (c) => {
      assert.equal(checkDecodeCase(kernels, path, c), null);
    }), { numRuns: runs });
  });
}

test('fp16 storage rounds to the nearest binary16', () => {
  fc.assert(fc.property(fp16ValuesArb, (values) => {
    assert.equal(checkFp16Storage(kernels, values), null);
  }), { numRuns: runs });
});
