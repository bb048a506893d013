/**
 * Vega-Lite spec → standalone SVG string, headlessly: vega's 'none' renderer needs no canvas and no DOM.
 * vega and vega-lite are imported lazily so code that only writes JSON/CSV does not pay their ~250 ms load.
 */
import type { TopLevelSpec, Config } from 'vega-lite';

type Libs = { vega: typeof import('vega'); vegaLite: typeof import('vega-lite') };
let libs: Promise<Libs> | undefined;

function loadLibs(): Promise<Libs> {
  libs ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vegaLite]) => ({ vega, vegaLite }));
  return libs;
}

/** Readable defaults for every chart: larger labels than vega's 10 px and only locally available fonts. */
export const THEME: Config = {
  font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
  background: 'white',
  padding: 8,
  axis: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: 'normal', labelLimit: 220 },
  legend: { labelFontSize: 12, titleFontSize: 13, labelLimit: 240 },
  header: { labelFontSize: 13, titleFontSize: 13 },
  title: { fontSize: 15, anchor: 'start' },
  range: { category: { scheme: 'tableau10' } },
};

/**
 * Several SVGs inline in one page share one id namespace, and vega numbers its clip paths and gradients from
 * process-wide counters (so the same chart gets other ids on a second render). Renumber each chart's ids in
 * order of appearance under its own prefix: unique on the page and identical on every render.
 */
function renumberIds(svg: string, prefix: string): string {
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/\bid="([^"]+)"/g)) if (!ids.has(m[1]!)) ids.set(m[1]!, `${prefix}-${ids.size + 1}`);
  const to = (id: string) => ids.get(id) ?? id;
  return svg.replace(/(\bid="|href="#|url\(#)([^")]+)/g, (_all, lead: string, id: string) => lead + to(id));
}

/** Where vega-lite's and vega's warnings go (a warning means a spec or its data is off: never hide them). */
export type WarningSink = (message: string) => void;
const toStderr: WarningSink = (message) => process.stderr.write(`report: ${message}\n`);

function logger(chartId: string, warn: WarningSink) {
  const say = (...args: unknown[]) => warn(`chart ${chartId}: ${args.map(String).join(' ')}`);
  let level = 0;
  const log = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return log;
    },
    error: (...a: unknown[]) => (say(...a), log),
    warn: (...a: unknown[]) => (say(...a), log),
    info: () => log,
    debug: () => log,
  };
  return log;
}

export async function renderSvg(spec: TopLevelSpec, idPrefix: string, warn: WarningSink = toStderr): Promise<string> {
  const { vega, vegaLite } = await loadLibs();
  const log = logger(idPrefix, warn);
  const compiled = vegaLite.compile({ ...spec, config: { ...THEME, ...spec.config } }, { logger: log }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger: log });
  try {
    return renumberIds(await view.toSVG(), idPrefix);
  } finally {
    view.finalize();
  }
}
