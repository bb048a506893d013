/**
 * Vega-Lite spec → standalone SVG string, headlessly: vega's 'none' renderer needs no canvas and no DOM.
 * The rendering runs in long-lived worker threads (render-worker.mjs, plain JavaScript, which loads vega's
 * single-file bundles: see there), for reasons measured on the project's 2-core machines: the main thread's
 * TypeScript loader makes loading vega ~3× dearer; two workers render the charts in parallel; and workers
 * started early (warmUpChartRenderer) load vega while the simulation still runs. Idle workers do not keep the
 * process alive.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { TopLevelSpec, Config } from 'vega-lite';

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

/** Where vega-lite's and vega's warnings go (a warning means a spec or its data is off: never hide them). */
export type WarningSink = (message: string) => void;
const toStderr: WarningSink = (message) => process.stderr.write(`report: ${message}\n`);

type Reply = { id: number; svg?: string; error?: string; warnings: string[] };
type Pending = { resolve: (r: Reply) => void; reject: (e: Error) => void };

/** One worker thread and the requests it has not answered yet. */
class RenderWorker {
  private readonly worker = new Worker(new URL('./render-worker.mjs', import.meta.url));
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor() {
    this.worker.unref();
    this.worker.on('message', (m: Reply | { ready: true }) => {
      if (!('id' in m)) return;
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (this.pending.size === 0) this.worker.unref();
      p?.resolve(m);
    });
    this.worker.on('error', (e) => this.failAll(e));
    this.worker.on('exit', (code) => this.failAll(new Error(`chart renderer exited with code ${code}`)));
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    pool = pool?.filter((w) => w !== this);
  }

  async terminate(): Promise<void> {
    this.worker.removeAllListeners('exit');
    this.failAll(new Error('chart renderer stopped'));
    await this.worker.terminate();
  }

  get load(): number {
    return this.pending.size;
  }

  render(spec: TopLevelSpec): Promise<Reply> {
    const id = this.nextId++;
    this.worker.ref(); // keep the process alive until the answer is in
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, spec, config: THEME });
    });
  }
}

/** Workers of the process: two where two cores are available (the project's machine kind), else one. */
const POOL_SIZE = Math.min(2, availableParallelism());
let pool: RenderWorker[] | undefined;

/** Starts the chart renderers (each loads vega in its thread) if they are not running yet; returns at once. */
export function warmUpChartRenderer(): void {
  if (!pool || pool.length === 0) pool = Array.from({ length: POOL_SIZE }, () => new RenderWorker());
}

/** Ends the chart renderers (the next render starts new ones); for benchmarks and long-lived hosts. */
export async function stopChartRenderer(): Promise<void> {
  const workers = pool ?? [];
  pool = undefined;
  await Promise.all(workers.map((w) => w.terminate()));
}

function leastBusyWorker(): RenderWorker {
  warmUpChartRenderer();
  return pool!.reduce((best, w) => (w.load < best.load ? w : best));
}

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

export async function renderSvg(spec: TopLevelSpec, idPrefix: string, warn: WarningSink = toStderr): Promise<string> {
  const reply = await leastBusyWorker().render(spec);
  for (const w of reply.warnings) warn(`chart ${idPrefix}: ${w}`);
  if (reply.error !== undefined || reply.svg === undefined) {
    throw new Error(`chart ${idPrefix} did not render: ${reply.error ?? 'no SVG returned'}`);
  }
  return renumberIds(reply.svg, idPrefix);
}
