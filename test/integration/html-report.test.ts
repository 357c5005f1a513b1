import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findScenario } from '../../scenarios/index.ts';
import { writeHtmlReport } from '../../src/report/publish.ts';
import type { RunResult } from '../../src/runner/run-result.ts';
import { runScenario } from '../../src/runner/run-scenario.ts';
import { sharedBroker } from './shared-broker.ts';

/**
 * report.html in a real browser: Debian's chromium driven by playwright-core (no browser
 * download). One real crash-mid-batch run on the suite's broker; the page must load from
 * file:// with no console error and no request that fails (nothing is fetched from anywhere),
 * and show the numbers of the run's result.json.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const resultsRoot = mkdtempSync(join(tmpdir(), 'kol-html-report-'));
const profile = mkdtempSync(join(tmpdir(), 'kol-chromium-profile-'));
let browser: BrowserContext;

beforeAll(async () => {
  // A fresh profile (--user-data-dir) per run: playwright passes it for a persistent context.
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1200, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  rmSync(profile, { recursive: true, force: true });
});

describe('report.html of a real run, in Chromium', () => {
  test('loads offline without errors and shows the rows and numbers of result.json', async () => {
    const scenario = findScenario('crash-mid-batch')!;
    const run = await runScenario(scenario, scenario.defaults, { broker: sharedBroker(), resultsRoot });
    const path = writeHtmlReport(run, scenario);
    const result = JSON.parse(readFileSync(join(run.resultsDir, 'result.json'), 'utf8')) as RunResult;

    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });

    expect(problems).toEqual([]);
    // Only the page itself was requested.
    expect(requests).toEqual([pathToFileURL(path).href]);
    await expect(page.title()).resolves.toContain('crash-mid-batch');

    const rows = await page.locator('table.results tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({
        name: tr.querySelector('th')!.textContent,
        fields: Object.fromEntries([...tr.querySelectorAll('td[data-field]')].map((td) => [td.getAttribute('data-field'), td.textContent])),
      })),
    );
    expect(rows.map((r) => r.name)).toEqual(result.strategies.map((s) => s.name));
    for (const s of result.strategies) {
      const fields = rows.find((r) => r.name === s.name)!.fields;
      expect(fields).toEqual({ produced: String(s.produced), processed: String(s.processed), lost: String(s.lost), duplicated: String(s.duplicated), restarts: String(s.restarts) });
    }
    // The page shows the strategies' real counts: crash 37 into batch 3 of 100.
    expect(result.strategies.map((s) => [s.name, s.duplicated])).toEqual([
      ['auto-commit', 237],
      ['manual-commit', 37],
      ['file-checkpoint', 37],
    ]);

    // One SVG timeline per row, drawn (non-zero size), with a lane per process lifetime.
    const timelines = page.locator('svg.timeline');
    await expect(timelines.count()).resolves.toBe(result.strategies.length);
    for (const s of result.strategies) {
      const svg = page.locator(`svg.timeline[data-row="${s.name}"]`);
      const box = await svg.boundingBox();
      expect(box!.width).toBeGreaterThan(600);
      await expect(svg.locator('g.lane').count()).resolves.toBe(1 + s.restarts);
      await expect(svg.locator('g.mark-crash').count()).resolves.toBe(s.crashes.length);
    }
    // Kafka's own view per group, as the broker reported it (result.json) next to what the strategy saved.
    const groups = await page.locator('ul.kafka-view li').evaluateAll((lis) => lis.map((li) => [li.getAttribute('data-group'), li.textContent]));
    expect(groups.map(([group]) => group)).toEqual(result.kafka!.map((v) => v.group));
    expect(result.kafka!.map((v) => [v.row, v.committed, v.lag])).toEqual([
      ['auto-commit', { 0: 1000 }, 0],
      ['manual-commit', { 0: 1000 }, 0],
      ['file-checkpoint', {}, null],
    ]);
    // Once the killed processes had died: the last commit (manual) and checkpoint (file) were at the end of batch 2.
    expect(result.kafkaAtCrash!.map((v) => [v.row, v.committed, v.lag])).toEqual([
      ['auto-commit', {}, null],
      ['manual-commit', { 0: 200 }, 800],
      ['file-checkpoint', {}, null],
    ]);
    expect(groups[1]![1]).toContain('at the crash: Kafka: committed 200 of 1000, lag 800 · its last commit says 200');
    expect(groups[1]![1]).toContain('after the run: Kafka: committed 1000 of 1000, lag 0 · its last commit says 1000');
    expect(groups[2]![1]).toContain('at the crash: Kafka: no commit (the file says 200)');
    expect(groups[2]![1]).toContain('after the run: Kafka: no commit (the file says 1000)');
    const bodyText = await page.locator('body').innerText();
    expect(bodyText).toContain('Why');
    expect(bodyText).toContain('原因');

    if (process.env.KOL_SCREENSHOT === '1') {
      await page.screenshot({ path: join(import.meta.dirname, '../../docs/report-screenshot.png'), fullPage: true });
    }
    await page.close();
  });
});
