import { describe, it, expect } from 'vitest';
import { formatSummaryMarkdown, QUANTILE_METHOD } from '../../reports/index.ts';
import { makeFixtureRun, FIXTURE_CLASSES } from './fixtures/run-fixture.ts';

const { summary } = makeFixtureRun({ requestsPerClass: 10 });
const md = formatSummaryMarkdown(summary);
const tableRows = (title: string) => {
  const section = md.split(`## ${title}\n\n`)[1]!.split('\n\n')[0]!;
  return section.split('\n').slice(2).map((l) => l.split(' | ').map((c) => c.replace(/^\| |\|$/g, '').trim()));
};

describe('summary.md', () => {
  it('has one comparison row per policy with the metrics formatted from the summary', () => {
    const rows = tableRows('Policies compared');
    expect(rows.map((r) => r[0])).toEqual(summary.policies.map((p) => p.policy));
    const elastilm = summary.policies[0]!.overall;
    expect(rows[0]!.slice(1, 7)).toEqual([
      `${(elastilm.accuracyUnderSlo * 100).toFixed(1)}%`,
      `${(elastilm.accuracy * 100).toFixed(1)}%`,
      `${(elastilm.sloAttainment.ttft * 100).toFixed(1)}%`,
      `${(elastilm.sloAttainment.tpot * 100).toFixed(1)}%`,
      `${(elastilm.sloAttainment.both * 100).toFixed(1)}%`,
      elastilm.ttftMs.p50.toFixed(1),
    ]);
    expect(rows[0]!.at(-3)).toBe(String(elastilm.switches));
  });

  it('has a per-SLO-class table (class × policy) and states the quantile method', () => {
    const rows = tableRows('Per SLO class');
    expect(rows).toHaveLength(FIXTURE_CLASSES.length * summary.policies.length);
    expect(rows[0]!.slice(0, 4)).toEqual(['Rewind', 'OBQA', '⟨1, 1⟩ × full', 'elastilm']);
    expect(rows.at(-1)!.slice(0, 4)).toEqual(['XiaoAi', 'SCIQ', '⟨0.2, 0.5⟩ × full', 'full']);
    expect(md).toContain(`Percentiles: ${QUANTILE_METHOD}.`);
    expect(md.endsWith('\n')).toBe(true);
  });
});
