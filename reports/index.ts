/** Public API of the reports: what the simulator and the CLI call. */
export { formatSummaryMarkdown } from './markdown.ts';
export { writeRunOutputs, buildHtmlReport, readRunDir, RUN_FILES } from './write.ts';
export { renderReportHtml, type ReportExtras } from './html.ts';
export { warmUpChartRenderer, stopChartRenderer } from './charts/index.ts';
export { formatRequestsCsv, parseRequestsCsv } from './requests-csv.ts';
export type { RequestRow } from '../sim/results.ts';
export {
  assertRunSummary, assertCalibration, readRunSummary, readCalibration, SUMMARY_SCHEMA, CALIBRATION_SCHEMA,
} from './validate.ts';
export { stableJson } from '../base/stable-json.ts';
export type { CalibrationFile, CalibrationRow } from './calibration-types.ts';
export type * from '../sim/results.ts';
export { QUANTILE_METHOD, REQUEST_CSV_COLUMNS } from '../sim/results.ts';
export { renderSweepHtml, type SweepReportInput } from './sweep-html.ts';
