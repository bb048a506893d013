/** summary.md: the run's tables for people who read results in a terminal or a pull request. */
import type { RunSummary } from '../sim/results.ts';
import { comparisonTable, perClassTable, type Table } from './tables.ts';

const escapeCell = (cell: string): string => cell.replace(/\|/g, '\\|');

function markdownTable(table: Table): string {
  const line = (cells: string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  const rule = `|${table.numeric.map((n) => (n ? ' ---: ' : ' --- ')).join('|')}|`;
  return [`## ${table.title}`, '', line(table.headers), rule, ...table.rows.map(line)].join('\n');
}

export function formatSummaryMarkdown(summary: RunSummary): string {
  const s = summary.scenario;
  const header = [
    `# ElastiTwin run: ${s.name}`,
    '',
    `Mode **${s.mode}**, model ${s.model} on ${s.device}, ${s.requests} requests, seed ${s.seed}; ` +
      `latency model ${summary.latency.kind}; ${summary.tool.name} ${summary.tool.version}.`,
    '',
    'Accuracy under SLO = share of requests answered correctly and within both SLOs (the headline metric); ' +
      'accuracy = share answered correctly regardless of time (the paper\'s metric).',
  ].join('\n');
  const footer = `Percentiles: ${summary.quantileMethod}.`;
  return [header, markdownTable(comparisonTable(summary)), markdownTable(perClassTable(summary)), footer]
    .join('\n\n') + '\n';
}
