// Renders Vega-Lite specs to SVG strings in a worker thread. Plain JavaScript on purpose: vega and vega-lite
// are hundreds of ES modules, and loading them through the TypeScript loader of the main thread (tsx) costs
// ~3× the CPU of a plain load; a worker also lets the load overlap a run's simulation (see render.ts).
// Protocol: in { id, spec, config } → out { id, svg, warnings } or { id, error }.
import { parentPort } from 'node:worker_threads';

const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);

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
