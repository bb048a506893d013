/**
 * Public API of the accuracy layer: load the shipped prior surfaces plus any user files (which replace
 * surfaces with the same method/model/dataset), and the two per-dataset facts other parts need.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { AccuracySurface } from './types.ts';
import { METHODS, chanceLevelOf } from './catalogue.ts';
import { GridSurfaceSet } from './grid-surface.ts';
import { readSurfaceFile } from './surface-file.ts';

export type { AccuracyQuery, AccuracySurface } from './types.ts';
export { DATASETS, ELASTIC_MODELS, PFS_MODELS, METHODS, BASELINES } from './catalogue.ts';
export { GridSurfaceSet } from './grid-surface.ts';

/** Folder of the checked-in prior surfaces (one `<method>.json` each). */
export const SHIPPED_SURFACES_DIR = fileURLToPath(new URL('./surfaces/', import.meta.url));

export function shippedSurfaceFiles(): string[] {
  return METHODS.map((m) => path.join(SHIPPED_SURFACES_DIR, `${m}.json`));
}

let shipped: GridSurfaceSet | undefined;

function loadInto(set: GridSurfaceSet, files: readonly string[]): void {
  for (const file of files) for (const rec of readSurfaceFile(file).surfaces) set.add(rec, file);
}

/**
 * The shipped priors, overridden key by key by `files` (JSON or CSV, see docs/accuracy.md). Throws an
 * InputError naming file and JSON path when a file is malformed.
 */
export function loadAccuracySurfaces(opts: { files?: string[] } = {}): GridSurfaceSet & AccuracySurface {
  const set = new GridSurfaceSet();
  loadInto(set, shippedSurfaceFiles());
  loadInto(set, opts.files ?? []);
  return set;
}

/** Accuracy of a uniform guess under the dataset's metric (2-choice, 4-choice, top-5 of 21, 1 of 77). */
export function chanceLevel(dataset: string): number {
  return chanceLevelOf(dataset);
}

/** The shipped prior's full-model accuracy (full model, full prompt) of an elastic or PFS model. */
export function fullModelAccuracy(model: string, dataset: string): number {
  if (!shipped) {
    shipped = new GridSurfaceSet();
    loadInto(shipped, shippedSurfaceFiles());
  }
  const method = model.startsWith('opt-') ? 'pfs' : 'full';
  return shipped.quality({ method, model, dataset, modelRatio: 1, promptRatio: 1 });
}
