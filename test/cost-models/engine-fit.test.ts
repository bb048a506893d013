/** The measurements, the fit and its validation on the shipped data (the fidelity bar). */
import { describe, it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fitProfiles } from '../../cost-models/engine-fit.ts';
import { validateEngines } from '../../cost-models/engine-validate.ts';
import { MEASUREMENTS_CSV, readMeasurements } from '../../cost-models/measurements.ts';
import { shippedSocs, type EngineProfile } from '../../cost-models/socs.ts';
import { readFileSync } from 'node:fs';
import { tmp } from './helpers.ts';

const rows = readMeasurements();
const shipped = (soc: string, engine: string) => shippedSocs().get(soc)!.engines[engine] as EngineProfile;
const undated = (p: EngineProfile) => ({ ...p, provenance: { ...p.provenance, fittedOn: undefined } });

describe('measurements, engines fit and validate', () => {
  it('reads every row with a citation and a source', () => {
    expect(rows.length).toBeGreaterThanOrEqual(25);
    for (const r of rows) expect([r.citation.length > 0, r.source.length > 0]).toEqual([true, true]);
  });

  it('refuses a bad row naming its line and column', () => {
    const lines = readFileSync(MEASUREMENTS_CSV, 'utf8').split('\n');
    const bad = path.join(tmp, 'bad-measurements.csv');
    writeFileSync(bad, [lines[0], lines[1]!.replace(',llama.cpp,q8_0,', ',llama.cpp,w4a16,')].join('\n'));
    expect(() => readMeasurements(bad)).toThrow(/bad-measurements\.csv: line 2, column precision.*engine llama\.cpp has no precision "w4a16"/);
  });

  it('refits exactly the shipped profiles (re-running the fit changes no file) within physical bounds', () => {
    const { profiles } = fitProfiles(rows);
    for (const [soc, engines] of profiles) {
      for (const [engine, p] of engines) {
        expect(undated(p), `${soc} ${engine}`).toEqual(undated(shipped(soc, engine)));
        const shares = [p.bandwidthShare, ...Object.values(p.prefillEfficiency), ...Object.values(p.decodeEfficiency)];
        for (const s of shares) expect(s > 0 && s <= 1, `${soc} ${engine}`).toBe(true);
      }
    }
  });

  it('predicts the published speeds: median error <= 20 % per phase, leave-one-source-out median <= 30 %', { timeout: 300_000 }, () => {
    const v = validateEngines(rows, (m) => shipped(m.soc, m.engine));
    expect(v.rows).toHaveLength(rows.length);
    expect(v.prefill.median).toBeLessThanOrEqual(0.2);
    expect(v.decode.median).toBeLessThanOrEqual(0.2);
    expect(v.leaveOneSourceOut.prefill.median).toBeLessThanOrEqual(0.3);
    expect(v.leaveOneSourceOut.decode.median).toBeLessThanOrEqual(0.3);
  });
});
