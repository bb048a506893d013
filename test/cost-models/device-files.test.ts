/** SoCs and devices as data: shipped files, a user's device file inheriting a shipped SoC, bad files. */
import { describe, it, expect } from 'vitest';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { getDevice, listDevices } from '../../cost-models/index.ts';
import { getSoc, shippedSocs } from '../../cost-models/socs.ts';
import { tmp, writeJson } from './helpers.ts';

const GiB = 2 ** 30;

describe('SoC and device files', () => {
  it('ships the two SoCs and builds every phone from its SoC', () => {
    expect([...shippedSocs().keys()]).toEqual(['snapdragon-8-gen-2', 'snapdragon-8-gen-3']);
    const k60 = getDevice('k60-champion');
    expect(k60.socSpec!.id).toBe('snapdragon-8-gen-2');
    expect(k60.roofline!.dramPeakGBps).toBe(67.2);
    expect(k60.roofline!.clusters).toBe(getSoc('snapdragon-8-gen-2').cpu.clusters);
    for (const d of listDevices().filter((x) => x.socSpec)) expect(d.usableMemoryBytes).toBe(d.memoryBytes - 3 * GiB);
  });

  it('lets a user device file name a shipped SoC, inherit its profiles and override what it states', () => {
    const plain = writeJson('my-phone.json', { schemaVersion: 1, id: 'my-phone', name: 'My phone', soc: 'snapdragon-8-gen-2', memoryGiB: 8 });
    const d = getDevice(plain);
    expect([d.id, d.soc, d.memoryBytes, d.usableMemoryBytes]).toEqual(['my-phone', 'Snapdragon 8 Gen 2', 8 * GiB, 5 * GiB]);
    expect(d.roofline).toEqual(getDevice('k60-champion').roofline);
    expect(d.sources.dramEfficiency).toMatch(/prior/);
    const tuned = writeJson('tuned.json', {
      schemaVersion: 1, id: 'tuned', name: 'Tuned', soc: 'snapdragon-8-gen-2', memoryGiB: 12, dramPeakGBps: 60,
      engines: { mllm: { dramEfficiency: 0.6 } }, sources: { dramEfficiency: 'my own stream benchmark' },
    });
    const t = getDevice(tuned);
    expect([t.roofline!.dramEfficiency, t.roofline!.perCoreGBps, t.roofline!.dramPeakGBps]).toEqual([0.6, 12, 60]);
    expect(t.sources.dramEfficiency).toBe('my own stream benchmark');
  });

  it('resolves a device path against the folder given (a scenario file\'s)', () => {
    const dir = path.join(tmp, 'scenario-dir');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'phone.json'), JSON.stringify({ schemaVersion: 1, id: 'rel', name: 'Rel', soc: 'snapdragon-8-gen-3', memoryGiB: 16 }));
    expect(getDevice('./phone.json', dir).id).toBe('rel');
  });

  it('refuses bad files naming the file and the JSON path', () => {
    const overBound = writeJson('over.json', { schemaVersion: 1, id: 'x', name: 'X', soc: 'snapdragon-8-gen-2', memoryGiB: 8, engines: { mllm: { dramEfficiency: 1.5 } } });
    expect(() => getDevice(overBound)).toThrow(/over\.json.*\/engines\/mllm\/dramEfficiency must be <= 1/);
    const badSoc = writeJson('badsoc.json', { schemaVersion: 1, id: 'x', name: 'X', soc: 'exynos-9', memoryGiB: 8 });
    expect(() => getDevice(badSoc)).toThrow(/badsoc\.json: \/soc: unknown SoC "exynos-9"; shipped: snapdragon-8-gen-2, snapdragon-8-gen-3/);
    const missing = writeJson('missing.json', { schemaVersion: 1, id: 'x', name: 'X', soc: 'snapdragon-8-gen-2' });
    expect(() => getDevice(missing)).toThrow(/missing\.json: invalid device: \(root\) must have required property 'memoryGiB'/);
  });
});
