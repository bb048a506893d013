/**
 * report.html: one self-contained page (inline CSS and SVG, no scripts, no fonts or images fetched) that
 * works offline and from a file:// URL. Charts are rendered to SVG at build time, so the browser only draws.
 */
import type { RunSummary } from '../sim/results.ts';
import type { RequestRow } from '../sim/results.ts';
import type { CalibrationFile } from './calibration-types.ts';
import { runCharts, calibrationCharts, renderSvg, type ChartSpec, type WarningSink } from './charts/index.ts';
import { stableJson } from '../base/stable-json.ts';
import { comparisonTable, perClassTable, type Table } from './tables.ts';

export interface ReportExtras {
  /** Predicted vs measured latencies from a HIL calibration (calibration.json of the run directory). */
  calibration?: CalibrationFile;
  /** Receives chart warnings from vega/vega-lite (default: printed on stderr). */
  onWarning?: WarningSink;
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function htmlTable(table: Table, caption = table.title): string {
  const head = table.headers.map((h, i) => `<th${table.numeric[i] ? ' class="num"' : ''}>${escapeHtml(h)}</th>`);
  const body = table.rows.map(
    (row) => `<tr>${row.map((c, i) => `<td${table.numeric[i] ? ' class="num"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`,
  );
  return `<table><caption>${escapeHtml(caption)}</caption><thead><tr>${head.join('')}</tr></thead>` +
    `<tbody>${body.join('\n')}</tbody></table>`;
}

/** Scalars as text; nested objects and arrays as compact JSON with sorted keys (same bytes for the same data). */
function valueText(v: unknown): string {
  return v !== null && typeof v === 'object' ? JSON.stringify(JSON.parse(stableJson(v))) : String(v);
}

function keyValueTable(title: string, entries: Record<string, unknown>): string {
  const rows = Object.keys(entries).sort().map((k) => [k, valueText(entries[k])]);
  return htmlTable({ title, headers: ['member', 'value'], numeric: [false, false], rows });
}

/** Records with possibly different members (accuracy surface provenance) → one table over their union. */
function recordsTable(title: string, records: Array<Record<string, unknown>>): string {
  const columns = [...new Set(records.flatMap((r) => Object.keys(r)))].sort();
  const rows = records.map((r) => columns.map((c) => (r[c] === undefined ? '' : valueText(r[c]))));
  return htmlTable({ title, headers: columns, numeric: columns.map(() => false), rows });
}

async function figure(chart: ChartSpec, warn?: WarningSink): Promise<string> {
  const svg = await renderSvg(chart.spec, chart.id, warn);
  return `<figure class="chart" id="${chart.id}" data-chart="${chart.id}"><h3>${escapeHtml(chart.title)}</h3>` +
    `${svg}<figcaption>${escapeHtml(chart.caption)}</figcaption></figure>`;
}

async function figures(charts: ChartSpec[], warn?: WarningSink): Promise<string> {
  // all at once: the render workers share them out and answer in any order; Promise.all keeps the order
  return (await Promise.all(charts.map((chart) => figure(chart, warn)))).join('\n');
}

const STYLE = `
body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;margin:0 auto;max-width:1180px;padding:16px 28px;color:#222;line-height:1.4}
h1{font-size:24px;margin:8px 0 4px}h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
h3{font-size:15px;margin:0 0 6px}.lead{color:#444;margin:0 0 12px}
nav a{margin-right:14px;color:#2458a6}
figure.chart{margin:18px 0;padding:12px;border:1px solid #e4e4e4;border-radius:6px;overflow-x:auto}
figure.chart svg{display:block;max-width:none}figcaption{color:#444;font-size:13px;margin-top:6px;max-width:900px}
table{border-collapse:collapse;margin:10px 0 18px;font-size:13px}caption{text-align:left;font-weight:bold;padding:4px 0}
th,td{border:1px solid #ddd;padding:4px 8px;vertical-align:top}th{background:#f4f6f9;text-align:left}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
pre{background:#f7f7f7;padding:10px;overflow-x:auto;font-size:12px}.note{color:#555;font-size:13px}
`;

export async function renderReportHtml(
  summary: RunSummary,
  requestRows: readonly RequestRow[],
  extra: ReportExtras = {},
): Promise<string> {
  const s = summary.scenario;
  const title = `ElastiTwin report: ${s.name}`;
  const charts = await figures(runCharts(summary, requestRows), extra.onWarning);
  const calibration = extra.calibration
    ? `<section id="calibration"><h2>Calibration</h2>` +
      `<p class="note">${extra.calibration.rows.length} measured configurations from calibration.json.</p>` +
      (await figures(calibrationCharts(extra.calibration), extra.onWarning)) +
      (extra.calibration.provenance ? keyValueTable('Calibration provenance', extra.calibration.provenance) : '') +
      `</section>`
    : '';
  const scenarioFacts = {
    name: s.name, mode: s.mode, device: s.device, model: s.model, seed: s.seed, requests: s.requests,
  };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style></head>
<body>
<header><h1>${escapeHtml(title)}</h1>
<p class="lead">Mode <b>${escapeHtml(s.mode)}</b> · model ${escapeHtml(s.model)} on ${escapeHtml(s.device)} · ${s.requests} requests · seed ${s.seed} · latency model ${escapeHtml(summary.latency.kind)} · ${escapeHtml(summary.tool.name)} ${escapeHtml(summary.tool.version)}</p>
<nav><a href="#results">Results</a><a href="#charts">Charts</a><a href="#classes">Per SLO class</a>${calibration ? '<a href="#calibration">Calibration</a>' : ''}<a href="#provenance">Scenario and provenance</a></nav></header>
<main>
<section id="results"><h2>Results</h2>
<p class="note">Accuracy under SLO = share of requests answered correctly and within both SLOs; accuracy = share answered correctly at any latency. Percentiles: ${escapeHtml(summary.quantileMethod)}.</p>
${htmlTable(comparisonTable(summary))}</section>
<section id="charts"><h2>Charts</h2>
${charts}</section>
<section id="classes"><h2>Per SLO class</h2>
${htmlTable(perClassTable(summary))}</section>
${calibration}
<section id="provenance"><h2>Scenario and provenance</h2>
${keyValueTable('Scenario', scenarioFacts)}
${keyValueTable(`Latency model: ${summary.latency.kind} (${summary.latency.device})`, summary.latency.detail)}
${summary.accuracy.length ? recordsTable('Accuracy surfaces', summary.accuracy) : '<p class="note">No accuracy surface provenance recorded.</p>'}
<details><summary>Scenario as run (JSON)</summary><pre>${escapeHtml(stableJson(s.spec))}</pre></details>
</section>
</main></body></html>
`;
}
