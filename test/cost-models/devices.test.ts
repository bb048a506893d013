import { describe, it, expect } from 'vitest';
import { getDevice, listDevices, peakFlops } from '../../cost-models/index.ts';

describe('device catalogue', () => {
  it('gives every roofline and switching number a source or marks it a prior', () => {
    for (const d of listDevices().filter((x) => x.roofline)) {
      for (const key of [...Object.keys(d.roofline!), ...Object.keys(d.speeds!), 'memory', 'usableMemory', 'tlm']) {
        const source = d.sources[key];
        expect(source, `${d.id}.${key}`).toBeTruthy();
        expect(source!.length).toBeGreaterThan(8);
      }
    }
  });

  it('has the paper’s phones with their printed memory, and a host with no priors', () => {
    expect(listDevices().map((d) => [d.id, d.soc])).toEqual([
      ['k60-champion', 'Snapdragon 8 Gen 2'], ['k70-pro', 'Snapdragon 8 Gen 3'], ['mi14', 'Snapdragon 8 Gen 3'], ['host', 'unknown until calibrated'],
    ]);
    expect(getDevice('k60-champion').memoryBytes).toBe(19 * 2 ** 30);
    const host = getDevice('host');
    expect([host.roofline, host.speeds]).toEqual([null, null]);
    expect(host.sources.all).toMatch(/only a calibrated profile/);
    expect(() => getDevice('pixel-9')).toThrow(/unknown device; known: k60-champion, k70-pro, mi14, host/);
  });

  it('adds cores fastest first when pricing a thread count', () => {
    const r = getDevice('k60-champion').roofline!;
    expect(peakFlops(r, 1, 'fp16')).toBeCloseTo(3.2e9 * 64, 0);
    expect(peakFlops(r, 4, 'fp16')).toBeCloseTo(3.2e9 * 64 + 3 * 2.8e9 * 32, 0);
    expect(peakFlops(r, 4, 'fp32')).toBeCloseTo(peakFlops(r, 4, 'fp16') / 2, 0);
  });
});
