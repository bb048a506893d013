/**
 * The sweep's report.html: one self-contained page (inline CSS and SVG, no scripts) with the sweep charts
 * (reports/sweep-charts.ts) and a table of means and confidence intervals over seeds. Rendered with the same
 * vega-lite helper and theme as the run report, so both look alike; same input → same bytes.
 */
import { renderSvg, type ChartSpec, type WarningSink } from './charts/index.ts';
import { aggregateOverSeeds, CI_METHOD, type SweepReportInput } from './sweep-aggregate.ts';
import { sweepCharts, label, SWEEP_CHART_METRICS } from './sweep-charts.ts';

export type { SweepReportInput } from './sweep-aggregate.ts';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const PAGE_STYLE = `
body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;margin:0 auto;max-width:1180px;padding:16px 28px;color:#222;line-height:1.4}
h1{font-size:24px;margin:8px 0 4px}h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
h3{font-size:15px;margin:0 0 6px}p.lead,p.note,figcaption{color:#444;font-size:13px}
figure.chart{margin:18px 0;padding:12px;border:1px solid #e4e4e4;border-radius:6px;overflow-x:auto}
figure.chart svg{display:block;max-width:none}
table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #ddd;padding:4px 8px}th{background:#f4f6f9;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}
`;

async function chartFigure(chart: ChartSpec, warn?: WarningSink): Promise<string> {
  const svg = await renderSvg(chart.spec, chart.id, warn);
  return `<figure class="chart" id="${chart.id}" data-chart="${chart.id}"><h3>${esc(chart.title)}</h3>${svg}` +
    `<figcaption>${esc(chart.caption)}</figcaption></figure>`;
}

const fmt = (x: number, share: boolean): string => (share ? `${(x * 100).toFixed(1)}%` : x.toFixed(1));

/** Policy × axis setting → "mean [lo, hi]" of each chart metric. */
function meansTable(input: SweepReportInput): string {
  const stats = SWEEP_CHART_METRICS.map((m) => new Map(aggregateOverSeeds(input, m.column).map((g) => [JSON.stringify([g.policy, g.setting]), g])));
  const keys = [...stats[0]!.keys()];
  const head = ['policy', ...input.axes.map((a) => a.path), 'seeds', ...SWEEP_CHART_METRICS.map((m) => `${m.title} (mean [95% CI])`)];
  const body = keys.map((key) => {
    const first = stats[0]!.get(key)!;
    const cells = SWEEP_CHART_METRICS.map((m, k) => {
      const g = stats[k]!.get(key);
      return g ? `<td class="num">${fmt(g.mean, m.share)} [${fmt(g.lo, m.share)}, ${fmt(g.hi, m.share)}]</td>` : '<td></td>';
    });
    return `<tr><td>${esc(first.policy)}</td>${first.setting.map((v) => `<td>${esc(label(v))}</td>`).join('')}` +
      `<td class="num">${first.n}</td>${cells.join('')}</tr>`;
  });
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${body.join('\n')}</tbody></table>`;
}

export async function renderSweepHtml(input: SweepReportInput, onWarning?: WarningSink): Promise<string> {
  const title = `ElastiTwin sweep: ${input.name}`;
  // all at once: the chart render workers share them out; Promise.all keeps the order
  const figures = await Promise.all(sweepCharts(input).map((chart) => chartFigure(chart, onWarning)));
  const axes = input.axes.map((a) => `${esc(a.path)} ∈ {${a.values.map((v) => esc(label(v))).join(', ')}}`).join(' × ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${esc(title)}</title>
<style>${PAGE_STYLE}</style></head>
<body>
<header><h1>${esc(title)}</h1>
${input.description ? `<p class="lead">${esc(input.description)}</p>` : ''}
<p class="lead">${axes || 'no axes'} × seeds {${input.seeds.join(', ')}} · ${input.rows.length} rows (run × policy) · elastitwin ${esc(input.toolVersion)}</p></header>
<main>
<section id="charts"><h2>Charts</h2>
${figures.join('\n')}</section>
<section id="means"><h2>Means over seeds</h2>
<p class="note">${esc(CI_METHOD)}. The full per-run table is results.csv / results.json beside this page.</p>
${meansTable(input)}</section>
</main></body></html>
`;
}
