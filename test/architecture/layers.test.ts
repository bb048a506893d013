import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importEdges, layerViolations } from './import-graph.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('layers', () => {
  it('every import of the sources points down: base <- cost-models <- sim <- hil / reports <- cli; native only under hil', () => {
    const edges = importEdges(ROOT);
    // the scan really reads the tree (hundreds of imports), so an empty pass cannot hide a violation
    expect(edges.length).toBeGreaterThan(300);
    expect(layerViolations(edges)).toEqual([]);
  });

  it('base/ imports nothing of the project', () => {
    const fromBase = importEdges(ROOT).filter((e) => e.from.startsWith(`base${path.sep}`) && !e.to.startsWith(`base${path.sep}`));
    expect(fromBase).toEqual([]);
  });

  it('catches an upward import, a sibling import and a native load outside hil/, with file and line', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'elastitwin-layers-'));
    const files: Record<string, string> = {
      'base/a.ts': "export const a = 1;\n",
      'sim/run.ts': "import { a } from '../base/a.ts';\nimport { h } from '../hil/agent.ts';\nexport const r = a + h;\n",
      'hil/agent.ts': "export const h = 2;\nconst lazy = () => import('../reports/x.ts');\n",
      'reports/x.ts': "export * from '../native/index.ts';\n",
      'native/index.ts': "export const n = 3;\n",
      'cli/main.ts': "import '../sim/run.ts';\n",
    };
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      writeFileSync(path.join(root, f), text);
    }
    const bad = layerViolations(importEdges(root));
    expect(bad).toEqual([
      expect.stringMatching(/^sim\/run\.ts:2 imports hil\/agent\.ts: sim\/ may not import the higher layer hil\//),
      expect.stringMatching(/^hil\/agent\.ts:2 imports reports\/x\.ts: hil\/ and reports\/ are siblings/),
      expect.stringMatching(/^reports\/x\.ts:1 imports native\/index\.ts: only hil\/ loads the native addon/),
    ]);
  });
});
