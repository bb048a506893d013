/**
 * Shape of `calibration.json`, which the HIL calibration writes into a run directory (its JSON Schema is
 * reports/schemas/calibration.schema.json). The report only needs, per measured configuration, what the
 * cost model predicted and what the device measured; everything else is optional provenance.
 */

export interface CalibrationRow {
  /** Human label of the measured configuration, e.g. "prefill w=0.5 n=256". */
  config: string;
  /** Model level (width ratio 0.2..1.0) the configuration ran at; the report groups errors by it. */
  level: number;
  predictedMs: number;
  measuredMs: number;
}

export interface CalibrationFile {
  schemaVersion: 1;
  rows: CalibrationRow[];
  /** Free-form facts about the measurement (device, kernel build, threads, date…), shown as a table. */
  provenance?: Record<string, unknown>;
}
