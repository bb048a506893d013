/**
 * The loader without a build: a copy of native/index.ts in a folder with no binary must say how to build
 * the addon (loadKernels) or return null (tryLoadKernels), so the simulator never depends on the addon.
 */
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { addonCandidates, NOT_BUILT_MESSAGE } from '../../native/index.ts';

describe('native loader', () => {
  it('without a build: loadKernels throws the build hint and tryLoadKernels returns null', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'et-native-'));
    try {
      for (const f of ['index.ts', 'api.ts']) copyFileSync(path.resolve('native', f), path.join(dir, f));
      const saved = process.env.ELASTITWIN_ADDON;
      delete process.env.ELASTITWIN_ADDON;
      const loader = (await import(pathToFileURL(path.join(dir, 'index.ts')).href)) as typeof import('../../native/index.ts');
      expect(() => loader.loadKernels()).toThrow(NOT_BUILT_MESSAGE);
      expect(loader.tryLoadKernels()).toBeNull();
      if (saved !== undefined) process.env.ELASTITWIN_ADDON = saved;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('looks at $ELASTITWIN_ADDON first, then the platform prebuild, then the local builds', () => {
    process.env.ELASTITWIN_ADDON = '/opt/elastitwin/kernels.node';
    try {
      const c = addonCandidates();
      expect(c[0]).toBe('/opt/elastitwin/kernels.node');
      expect(c[1]).toMatch(new RegExp(`prebuilds/${process.platform}-${process.arch}\\.node$`));
      expect(c.slice(2).map((f) => path.basename(path.dirname(f)))).toEqual(['Release', 'Debug']);
    } finally {
      delete process.env.ELASTITWIN_ADDON;
    }
  });

  it('ELASTITWIN_SIMD at load forces a lower path; an unavailable one is ignored', () => {
    const addon = addonCandidates().find((f) => existsSync(f))!;
    const simdWith = (value: string) =>
      spawnSync(process.execPath, ['-e', `console.log(require(${JSON.stringify(addon)}).info().simd)`], {
        env: { ...process.env, ELASTITWIN_SIMD: value },
        encoding: 'utf8',
      }).stdout.trim();
    expect(simdWith('scalar')).toBe('scalar');
    const best = simdWith('');
    expect(simdWith(process.arch === 'arm64' ? 'avx2' : 'neon')).toBe(best);
  });
});
