/** Calibration charts from calibration.json: how far the cost model's predictions are from the device. */
import type { CalibrationFile } from '../calibration-types.ts';
import type { ChartSpec } from './chart.ts';

const levelColor = { field: 'level', type: 'ordinal' as const, title: 'model level', scale: { scheme: 'viridis' } };

export function calibrationScatter(cal: CalibrationFile): ChartSpec {
  const values = cal.rows.map((r) => ({ ...r, level: r.level.toFixed(1) }));
  const all = cal.rows.flatMap((r) => [r.predictedMs, r.measuredMs]);
  // one square log domain for both axes, so y = x is the diagonal and distances compare across axes
  const domain = [Math.min(...all) / 1.25, Math.max(...all) * 1.25];
  return {
    id: 'calibration-scatter',
    title: 'Predicted vs measured latency',
    caption:
      'Each point is one measured configuration; on the dashed y = x line the cost model is exact. Points above ' +
      'it ran slower than predicted. Both axes are logarithmic, so equal distances are equal relative errors.',
    spec: {
      width: 420,
      height: 360,
      layer: [
        {
          data: { values: domain.map((v) => ({ v })) },
          mark: { type: 'line', strokeDash: [5, 4], color: '#555' },
          encoding: { x: { field: 'v', type: 'quantitative' }, y: { field: 'v', type: 'quantitative' } },
        },
        {
          data: { values },
          mark: { type: 'point', filled: true, size: 45, opacity: 0.8, tooltip: true },
          encoding: {
            x: { field: 'predictedMs', type: 'quantitative', title: 'predicted (ms, log)', scale: { type: 'log', domain, nice: false } },
            y: { field: 'measuredMs', type: 'quantitative', title: 'measured (ms, log)', scale: { type: 'log', domain, nice: false } },
            color: levelColor,
          },
        },
      ],
    },
  };
}

export function calibrationErrors(cal: CalibrationFile): ChartSpec {
  const values = cal.rows.map((r) => ({
    level: r.level.toFixed(1),
    errorPct: ((r.predictedMs - r.measuredMs) / r.measuredMs) * 100,
  }));
  return {
    id: 'calibration-errors',
    title: 'Prediction error per model level',
    caption:
      'Histogram of (predicted − measured) / measured per model level: centred on 0 means unbiased, a shift ' +
      'means the fit is biased at that level, width is the spread the twin adds to every latency it predicts.',
    spec: {
      data: { values },
      facet: { field: 'level', type: 'ordinal', title: 'model level' },
      columns: 3,
      spec: {
        width: 220,
        height: 110,
        layer: [
          {
            mark: { type: 'bar', tooltip: true },
            encoding: {
              x: { field: 'errorPct', type: 'quantitative', bin: { maxbins: 20 }, title: 'prediction error (%)' },
              y: { aggregate: 'count', type: 'quantitative', title: 'configs' },
              color: { ...levelColor, legend: null },
            },
          },
          { mark: { type: 'rule', color: '#555', strokeDash: [4, 3] }, encoding: { x: { datum: 0 } } },
        ],
      },
    },
  };
}
