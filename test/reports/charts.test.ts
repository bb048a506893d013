import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { renderReportHtml } from '../../reports/index.ts';
import { empiricalCdf, latencyCdf } from '../../reports/charts/latency.ts';
import { downsampleTimeline, elasticPolicies } from '../../reports/charts/configs.ts';
import { makeFixtureRun, makeFixtureCalibration } from './fixtures/run-fixture.ts';

const run = makeFixtureRun({ requestsPerClass: 15 });

describe('empiricalCdf', () => {
  it('is a non-decreasing step curve from the minimum to the maximum with at most maxPoints points', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.01, max: 1e5, noNaN: true }), { minLength: 1, maxLength: 500 }), fc.integer({ min: 2, max: 50 }), (xs, max) => {
        const cdf = empiricalCdf(xs, max);
        expect(cdf.length).toBeLessThanOrEqual(max);
        expect(cdf[0]!.x).toBe(Math.min(...xs));
        expect(cdf.at(-1)).toEqual({ x: Math.max(...xs), p: 1 });
        for (let i = 1; i < cdf.length; i++) {
          expect(cdf[i]!.x).toBeGreaterThanOrEqual(cdf[i - 1]!.x);
          expect(cdf[i]!.p).toBeGreaterThan(cdf[i - 1]!.p);
        }
        // p is the exact share of values at or below a kept order statistic's rank
        for (const { x, p } of cdf) expect(p).toBeLessThanOrEqual(xs.filter((v) => v <= x).length / xs.length);
      }),
    );
  });
});

describe('chart data', () => {
  it('keeps the busiest sample of every timeline bucket', () => {
    const t = run.summary.policies[2]!.timeline!;
    const down = downsampleTimeline(t, 10);
    expect(down).toHaveLength(10);
    expect(Math.max(...down.map((d) => d.queue))).toBe(Math.max(...t.queueLength));
  });

  it('marks each class target in ms when SLOs are absolute, and x = 1 of the own budget when they are ratios', () => {
    const ratio = latencyCdf(run.summary, run.rows, 'ttft');
    const targets = (spec: typeof ratio) => ((spec.spec as { layer: Array<{ data: { values: unknown[] } }> }).layer[0]!.data.values);
    expect(targets(ratio)).toEqual([{ x: 1, label: 'SLO budget (all classes)' }]);

    const absolute = structuredClone(run.summary);
    for (const p of absolute.policies) for (const c of p.perClass) c.slo = { ttft: c.slo.ttft * 4000, tpot: c.slo.tpot * 200, unit: 'ms' };
    const ms = latencyCdf(absolute, run.rows, 'tpot');
    expect(targets(ms)).toEqual(absolute.policies[0]!.perClass.map((c) => ({ x: c.slo.tpot, label: c.app })));
  });

  it('draws heatmaps only for policies that ran more than one configuration', () => {
    expect(elasticPolicies(run.summary).map((p) => p.policy)).toEqual(['elastilm', 'pfs']);
  });
});

describe('renderReportHtml', () => {
  it('renders every chart to inline SVG with no warnings and nothing to fetch', async () => {
    const warnings: string[] = [];
    const html = await renderReportHtml(run.summary, run.rows, { calibration: makeFixtureCalibration(), onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([]);
    const ids = [...html.matchAll(/data-chart="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual([
      'accuracy-by-policy', 'accuracy-by-class', 'ttft-cdf', 'tpot-cdf', 'config-heatmap', 'timeline', 'switch-share',
      'calibration-scatter', 'calibration-errors',
    ]);
    expect(html.match(/<svg /g)).toHaveLength(ids.length);
    expect(html).not.toMatch(/<script|<img|<iframe|@import|@font-face/i);
    // the only URLs are SVG namespace names, which are identifiers and never fetched
    const urls = [...html.matchAll(/(?:https?:)?\/\/[^\s"')<]+/g)].map((m) => m[0]);
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink']));
    // element ids are unique on the page (vega numbers clip paths per process, the report renumbers them)
    const elementIds = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(elementIds).size).toBe(elementIds.length);
  });

  it('leaves out the timeline in isolated mode and the calibration section without calibration data', async () => {
    const isolated = structuredClone(run.summary);
    isolated.scenario.mode = 'isolated';
    for (const p of isolated.policies) delete p.timeline;
    const html = await renderReportHtml(isolated, run.rows);
    expect(html).not.toContain('data-chart="timeline"');
    expect(html).not.toContain('id="calibration"');
    expect(html).toContain('data-chart="ttft-cdf"');
  });
});
