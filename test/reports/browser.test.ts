/**
 * The report in a real browser: Debian's chromium driven by playwright-core opens report.html from a loopback
 * server and we check that every chart drew marks, nothing logged an error and no request left the server.
 * The page is the report of a real run of the default scenario, plus the calibration section drawn from the
 * test fixture's calibration.json. Saves out/screenshots/report.png for a human look.
 * Without /usr/bin/chromium the test is skipped locally
 * (with a message) but fails in CI, where .ci/run installs chromium (listed in .ci/apt-packages.txt).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { writeRunOutputs, formatRequestsCsv, type RunSummary } from '../../reports/index.ts';
import { runCharts, calibrationCharts } from '../../reports/charts/index.ts';
import { loadScenario } from '../../sim/scenario.ts';
import { runScenario } from '../../sim/run.ts';
import { makeFixtureCalibration } from './fixtures/run-fixture.ts';

const CHROMIUM = '/usr/bin/chromium';
// without the background-networking flags chromium keeps calling home, which the closed network refuses
const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && !process.env.CI) {
  console.warn(`browser test skipped: ${CHROMIUM} not found (install it: apt-get install -y chromium)`);
}

describe.skipIf(!haveChromium && !process.env.CI)('report.html in chromium', () => {
  let runDir: string;
  let userDataDir: string;
  let server: Server;
  let origin: string;
  let context: BrowserContext;
  let summary: RunSummary;
  let expectedCharts: string[];

  beforeAll(async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'elastitwin-report-'));
    runDir = path.join(tmp, 'run');
    mkdirSync(runDir);
    const calibration = makeFixtureCalibration();
    writeFileSync(path.join(runDir, 'calibration.json'), JSON.stringify(calibration));
    const run = await runScenario(loadScenario('default'));
    summary = run.summary;
    const rows = run.rows ?? [];
    await writeRunOutputs(runDir, summary, formatRequestsCsv(rows), { html: true });
    expectedCharts = [...runCharts(summary, rows), ...calibrationCharts(calibration)].map((c) => c.id);
    const html = readFileSync(path.join(runDir, 'report.html'));
    server = createServer((req, res) => {
      if (req.url === '/' || req.url === '/report.html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    userDataDir = path.join(tmp, 'profile');
    // a new, empty profile: no cached state or extensions from an earlier run
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1240, height: 900 },
    });
  }, 600_000);

  afterAll(async () => {
    await context?.close();
    await new Promise((resolve) => server?.close(resolve));
    if (runDir) rmSync(path.dirname(runDir), { recursive: true, force: true });
  });

  it('renders every chart with marks, no console errors and no request off the loopback server', async () => {
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    // see every request; anything not for our server is recorded and refused
    await context.route('**/*', (route) => {
      const url = route.request().url();
      requests.push(url);
      return url.startsWith(origin + '/') ? route.continue() : route.abort();
    });

    const response = await page.goto(`${origin}/report.html`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);

    const charts = await page.$$eval('figure.chart', (figures) =>
      figures.map((f) => {
        const marks = [...f.querySelectorAll('svg g.role-mark')];
        const drawn = marks.reduce((n, g) => n + g.children.length, 0);
        const box = f.querySelector('svg')?.getBoundingClientRect();
        return { id: f.getAttribute('data-chart'), drawn, width: box?.width ?? 0, height: box?.height ?? 0 };
      }),
    );
    expect(charts.map((c) => c.id)).toEqual(expectedCharts);
    // the default scenario is timed and has elastic policies: its report has every kind of chart
    expect(expectedCharts).toEqual(expect.arrayContaining(['config-heatmap', 'timeline', 'ttft-cdf', 'calibration-errors']));
    for (const c of charts) {
      expect(c.drawn, `${c.id} has no drawn marks`).toBeGreaterThan(0);
      expect(c.width, `${c.id} has no width`).toBeGreaterThan(100);
      expect(c.height, `${c.id} has no height`).toBeGreaterThan(50);
    }
    // the tables of summary.md are there too: one row per policy, one per class × policy
    expect(await page.locator('#results table tbody tr').count()).toBe(summary.policies.length);
    const classRows = summary.policies.reduce((n, p) => n + p.perClass.length, 0);
    expect(await page.locator('#classes table tbody tr').count()).toBe(classRows);

    mkdirSync('out/screenshots', { recursive: true });
    await page.screenshot({ path: 'out/screenshots/report.png', fullPage: true });
    await page.close();

    expect(problems).toEqual([]);
    expect(requests.filter((u) => !u.startsWith(origin + '/'))).toEqual([]);
    expect(requests).toContain(`${origin}/report.html`);
  }, 600_000);
});
