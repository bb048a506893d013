/**
 * The project's import graph, read with TypeScript's own pre-processor (no regexes over source text), and the
 * layer rule it must obey: imports point down only.
 *
 *   base/ <- cost-models/ <- sim/ <- hil/, reports/ <- cli/
 *
 * hil/ and reports/ are siblings and import neither each other; only hil/ may load native/.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const LAYERS: Readonly<Record<string, number>> = {
  base: 0,
  'cost-models': 1,
  sim: 2,
  hil: 3,
  reports: 3,
  cli: 4,
};

export interface ImportEdge {
  from: string;
  to: string;
  line: number;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** Every relative import (static, dynamic with a literal, `export … from`) of the layered folders. */
export function importEdges(root: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const folder of [...Object.keys(LAYERS), 'native']) {
    for (const file of sourceFiles(path.join(root, folder))) {
      const text = readFileSync(file, 'utf8');
      const info = ts.preProcessFile(text, true, true);
      for (const ref of info.importedFiles) {
        if (!ref.fileName.startsWith('.')) continue;
        const target = path.resolve(path.dirname(file), ref.fileName);
        const line = text.slice(0, ref.pos).split('\n').length;
        edges.push({ from: path.relative(root, file), to: path.relative(root, target), line });
      }
    }
  }
  return edges;
}

const topFolder = (relative: string): string => relative.split(path.sep)[0]!;

/** The edges that break the layer rule, each with the reason. */
export function layerViolations(edges: readonly ImportEdge[]): string[] {
  const bad: string[] = [];
  for (const e of edges) {
    const from = topFolder(e.from);
    const to = topFolder(e.to);
    if (from === to) continue;
    const where = `${e.from}:${e.line} imports ${e.to}`;
    if (to === 'native') {
      if (from !== 'hil') bad.push(`${where}: only hil/ loads the native addon`);
      continue;
    }
    const fromRank = LAYERS[from];
    const toRank = LAYERS[to];
    if (fromRank === undefined || toRank === undefined) continue;
    if (toRank > fromRank) bad.push(`${where}: ${from}/ may not import the higher layer ${to}/`);
    else if (toRank === fromRank) bad.push(`${where}: ${from}/ and ${to}/ are siblings and import neither each other`);
  }
  return bad;
}
