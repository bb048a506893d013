// Renders Vega-Lite specs to SVG strings in a worker thread (see render.ts for why a worker).
// Protocol: in { id, spec, config } → out { id, svg, warnings } or { id, error }.
//
// vega and vega-lite are loaded from the single-file bundles both packages ship (build/vega.min.js,
// build/vega-lite.min.js: the same code as their ES modules, built by the same release). Their ES module
// entries pull in hundreds of modules: ~300 ms of CPU to load here, ~860 ms through the main thread's
// TypeScript loader, against ~60 ms for the two bundles. The charts they draw are identical.
// The bundles are UMD scripts: run as plain scripts, they define the globals `vega` and `vegaLite`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { parentPort } from 'node:worker_threads';

const buildDir = (pkg) => path.dirname(fileURLToPath(import.meta.resolve(pkg)));
for (const file of [path.join(buildDir('vega'), 'vega.min.js'), path.join(buildDir('vega-lite'), 'vega-lite.min.js')]) {
  vm.runInThisContext(readFileSync(file, 'utf8'), { filename: file });
}
const { vega, vegaLite } = globalThis;

function collectingLogger(warnings) {
  let level = 0;
  const say = (...args) => {
    warnings.push(args.map(String).join(' '));
    return log;
  };
  const log = {
    level(l) {
      if (l === undefined) return level;
      level = l;
      return log;
    },
    error: say,
    warn: say,
    info: () => log,
    debug: () => log,
  };
  return log;
}

parentPort.on('message', async ({ id, spec, config }) => {
  const warnings = [];
  try {
    const logger = collectingLogger(warnings);
    const compiled = vegaLite.compile({ ...spec, config: { ...config, ...spec.config } }, { logger }).spec;
    const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger });
    try {
      parentPort.postMessage({ id, svg: await view.toSVG(), warnings });
    } finally {
      view.finalize();
    }
  } catch (e) {
    parentPort.postMessage({ id, error: e instanceof Error ? e.message : String(e), warnings });
  }
});
parentPort.postMessage({ ready: true });
