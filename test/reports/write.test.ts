import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { writeRunOutputs, buildHtmlReport, SUMMARY_SCHEMA, stableJson, type RunSummary } from '../../reports/index.ts';
import { makeFixtureRun, makeFixtureCalibration } from './fixtures/run-fixture.ts';
import { scratchDir, inputErrorOf } from './helpers.ts';

const run = makeFixtureRun({ requestsPerClass: 12 });
const files = (dir: string) => readdirSync(dir).sort();

/** The same value with every object's members in reverse order. */
function reversedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversedKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversedKeys(x)]));
}

describe('writeRunOutputs', () => {
  it('writes the four files of a run, summary.json in schema order with a trailing newline', async () => {
    const dir = path.join(scratchDir(), 'run');
    await writeRunOutputs(dir, run.summary, run.csv, { html: true });
    expect(files(dir)).toEqual(['report.html', 'requests.csv', 'summary.json', 'summary.md']);
    const text = readFileSync(path.join(dir, 'summary.json'), 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(text))).toEqual(Object.keys(SUMMARY_SCHEMA.properties as object));
    expect(text).toContain('\n  "tool": {\n    "name": "elastitwin"');
    expect(JSON.parse(text)).toEqual(run.summary);
    expect(readFileSync(path.join(dir, 'requests.csv'), 'utf8')).toBe(run.csv);
  });

  it('is byte-identical for the same summary, whatever order its members were built in', async () => {
    const a = path.join(scratchDir(), 'a');
    const b = path.join(scratchDir(), 'b');
    await writeRunOutputs(a, run.summary, run.csv, { html: true });
    await writeRunOutputs(b, reversedKeys(run.summary) as RunSummary, run.csv, { html: true });
    for (const f of files(a)) expect(readFileSync(path.join(b, f)), f).toEqual(readFileSync(path.join(a, f)));
    // handing over the rows instead of letting the writer parse the CSV changes nothing either
    const c = path.join(scratchDir(), 'c');
    await writeRunOutputs(c, run.summary, run.csv, { html: true, requestRows: run.rows });
    expect(readFileSync(path.join(c, 'report.html'))).toEqual(readFileSync(path.join(a, 'report.html')));
  });

  it('rejects an invalid summary naming the JSON path, and writes nothing', async () => {
    const dir = path.join(scratchDir(), 'run');
    const bad = structuredClone(run.summary);
    bad.policies[1]!.overall.accuracy = 1.5;
    const message = await inputErrorOf(() => writeRunOutputs(dir, bad, run.csv, { html: true }));
    expect(message).toContain('summary.json');
    expect(message).toContain('/policies/1/overall/accuracy must be <= 1');
    expect(existsSync(dir)).toBe(false);
  });

  it('leaves an existing run untouched when rendering fails half-way', async () => {
    const dir = path.join(scratchDir(), 'run');
    await writeRunOutputs(dir, run.summary, run.csv, { html: true });
    const before = Object.fromEntries(files(dir).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
    const brokenCsv = run.csv.replace(/\n([^\n]*)\n$/, '\nnot,a,row\n');
    const other = structuredClone(run.summary);
    other.scenario.seed = 99;
    const message = await inputErrorOf(() => writeRunOutputs(dir, other, brokenCsv, { html: true }));
    expect(message).toMatch(/requests\.csv.*malformed CSV/);
    expect(files(dir)).toEqual(Object.keys(before).sort());
    for (const [f, content] of Object.entries(before)) expect(readFileSync(path.join(dir, f), 'utf8')).toBe(content);
  });

  it('with html: false writes no report and removes a stale one', async () => {
    const dir = path.join(scratchDir(), 'run');
    await writeRunOutputs(dir, run.summary, run.csv, { html: true });
    await writeRunOutputs(dir, run.summary, run.csv, { html: false });
    expect(files(dir)).toEqual(['requests.csv', 'summary.json', 'summary.md']);
  });
});

describe('buildHtmlReport', () => {
  async function writtenRun(): Promise<string> {
    const dir = path.join(scratchDir(), 'run');
    await writeRunOutputs(dir, run.summary, run.csv, { html: false });
    return dir;
  }

  it('rebuilds report.html from the run files, with a calibration section when calibration.json is there', async () => {
    const dir = await writtenRun();
    const file = await buildHtmlReport(dir);
    expect(file).toBe(path.join(dir, 'report.html'));
    expect(readFileSync(file, 'utf8')).not.toContain('id="calibration"');
    writeFileSync(path.join(dir, 'calibration.json'), JSON.stringify(makeFixtureCalibration()));
    const html = readFileSync(await buildHtmlReport(dir), 'utf8');
    expect(html).toContain('id="calibration"');
    expect(html).toContain('data-chart="calibration-scatter"');
  });

  it('names a missing run directory and a missing file', async () => {
    const missing = path.join(scratchDir(), 'nope');
    expect(await inputErrorOf(() => buildHtmlReport(missing))).toContain(`${missing}: not a run directory`);
    const empty = scratchDir();
    expect(await inputErrorOf(() => buildHtmlReport(empty))).toBe(`${path.join(empty, 'summary.json')}: cannot read run summary: file not found`);
  });

  it('names malformed JSON, schema violations with their path, and bad CSV cells with line and column', async () => {
    const dir = await writtenRun();
    const summaryFile = path.join(dir, 'summary.json');
    writeFileSync(summaryFile, '{"schemaVersion": 1,');
    expect(await inputErrorOf(() => buildHtmlReport(dir))).toMatch(/summary\.json: run summary is not valid JSON/);

    const bad = structuredClone(run.summary) as unknown as { policies: Array<Record<string, unknown>> };
    delete bad.policies[0]!.configHistogram;
    writeFileSync(summaryFile, JSON.stringify(bad));
    expect(await inputErrorOf(() => buildHtmlReport(dir))).toContain("/policies/0 must have required property 'configHistogram'");

    writeFileSync(summaryFile, stableJson(run.summary, SUMMARY_SCHEMA));
    const csvFile = path.join(dir, 'requests.csv');
    const lines = run.csv.split('\n');
    lines[3] = lines[3]!.replace(/,[01],[01]$/, ',maybe,0');
    writeFileSync(csvFile, lines.join('\n'));
    expect(await inputErrorOf(() => buildHtmlReport(dir))).toBe(`${csvFile}:4 column correct: expected 0 or 1, got "maybe"`);

    writeFileSync(csvFile, run.csv.replace('policy,id,', 'policy,ident,'));
    expect(await inputErrorOf(() => buildHtmlReport(dir))).toMatch(/requests\.csv:1: header must be .*missing id; unknown ident/);
    expect(existsSync(path.join(dir, 'report.html'))).toBe(false);
  });

  it('names a calibration.json that does not fit its schema', async () => {
    const dir = await writtenRun();
    const cal = makeFixtureCalibration();
    (cal.rows[2] as unknown as Record<string, unknown>).measuredMs = 'fast';
    writeFileSync(path.join(dir, 'calibration.json'), JSON.stringify(cal));
    expect(await inputErrorOf(() => buildHtmlReport(dir))).toBe(
      `${path.join(dir, 'calibration.json')}: /rows/2/measuredMs must be number`,
    );
  });

  it('refuses CSV rows of a policy the summary does not know', async () => {
    const dir = await writtenRun();
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'requests.csv'), run.csv.replace('\nfull,', '\nmystery,'));
    expect(await inputErrorOf(() => buildHtmlReport(dir))).toMatch(/requests\.csv:\d+: policy "mystery" is not in summary\.json/);
  });
});
