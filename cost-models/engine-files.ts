/**
 * Writing fitted profiles into the shipped SoC files (`engines fit`). A profile whose numbers did not change
 * keeps its file as it was (its `fittedOn` date included), so re-running the fit changes no tracked file.
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { writeJsonAtomic } from '../base/atomic-write.ts';
import { reloadDevices } from './devices.ts';
import type { FittedProfiles } from './engine-fit.ts';
import { reloadSocs, socFile, validateSoc, type EngineProfile } from './socs.ts';

/** The profile without its date, for comparing a refit with what the file holds. */
function undated(p: EngineProfile | undefined): unknown {
  if (!p) return undefined;
  const { fittedOn: _date, ...rest } = p.provenance as Record<string, unknown>;
  return { ...p, provenance: rest };
}

/** Writes every SoC's fitted profiles; returns the files whose content changed. `today` dates new fits. */
export function writeFittedProfiles(fitted: FittedProfiles, today: string): string[] {
  const changed: string[] = [];
  for (const [socId, engines] of fitted.profiles) {
    const file = socFile(socId);
    const json = JSON.parse(readFileSync(file, 'utf8')) as { engines: Record<string, EngineProfile> };
    let dirty = false;
    for (const [engineId, profile] of engines) {
      const old = json.engines[engineId];
      if (isDeepStrictEqual(undated(old), undated({ ...profile, provenance: { ...profile.provenance } }))) continue;
      json.engines[engineId] = { ...profile, provenance: { ...profile.provenance, fittedOn: today } };
      dirty = true;
    }
    if (!dirty) continue;
    validateSoc(structuredClone(json), file); // never write a file the reader would refuse
    writeJsonAtomic(file, json);
    changed.push(file);
  }
  reloadSocs();
  reloadDevices(); // devices hold their SoC as read: later lookups in this process see the new profiles
  return changed;
}
