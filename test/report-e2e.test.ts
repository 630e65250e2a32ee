/**
 * End to end: the HTML report renders in headless Chromium (the build the @sparticuz/chromium
 * devDependency ships, or the binary PIPEFORM_CHROMIUM names; test/harness/chromium.ts)
 * without console errors and without a single request beyond its own file. Screenshots land
 * in test-artifacts/ (gitignored). With PIPEFORM_UPDATE_REPORT_PNG=1 the test also refreshes
 * docs/report.png, the README picture. A missing Chromium fails the test with what to do.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { advise } from '../src/advise';
import { analyzeSpec } from '../src/compiler';
import { costReport } from '../src/cost';
import { buildGraph, renderHtmlReport } from '../src/graph';
import { synthesize } from '../src/synth/synth';
import { findChromium } from './harness/chromium';
import { ROOT } from './harness/spec';

const ARTIFACTS = join(ROOT, 'test-artifacts');
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const REPORTS = [
  { name: 'fraud', file: join('test', 'fixtures', 'report', 'pipeline.yaml') },
  { name: 'secure-baseline', file: join('examples', 'secure-baseline', 'pipeline.yaml') },
];

let context: BrowserContext | undefined;
let profile: string;

beforeAll(async () => {
  const browser = findChromium();
  profile = mkdtempSync(join(tmpdir(), 'pipeform-chromium-profile-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: browser.executablePath,
    env: { ...process.env, ...browser.env },
    headless: true,
    args: ARGS,
    viewport: { width: 1200, height: 900 },
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  // The first run on a machine unpacks the browser (seconds; more on a busy machine).
}, 180000);

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('the HTML report in headless Chromium', () => {
  test.each(REPORTS)(
    '$name: diagram and tables render, no console errors, no requests',
    async ({ name, file }) => {
      const analyzed = analyzeSpec(file, readFileSync(join(ROOT, file)));
      const { resourcesByArea } = synthesize(analyzed.resolved, file);
      const html = renderHtmlReport(analyzed, resourcesByArea);
      const dir = mkdtempSync(join(tmpdir(), 'pipeform-report-'));
      const path = join(dir, `${name}.html`);
      writeFileSync(path, html);
      const url = pathToFileURL(path).href;

      const page = await context!.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('request', (r) => {
        if (r.url() !== url) problems.push(`request: ${r.url()}`);
      });
      await page.goto(url, { waitUntil: 'load' });

      // The diagram: an SVG with a column per stage (plus the foundation row), laid out.
      const graph = buildGraph(analyzed.resolved);
      const svg = page.locator('#diagram-svg');
      await svg.waitFor({ state: 'visible' });
      const box = await svg.boundingBox();
      expect(box!.width).toBeGreaterThan(150);
      expect(box!.height).toBeGreaterThan(150);
      // Text is drawn: a browser without a usable font lays labels out at zero width.
      const labelWidth = await page
        .locator('#diagram-svg .node text.label')
        .first()
        .evaluate((t) => (t as unknown as { getComputedTextLength(): number }).getComputedTextLength());
      expect(labelWidth).toBeGreaterThan(10);
      expect(await page.locator('#diagram-svg .stage').count()).toBe(
        graph.stages.length + (graph.foundation ? 1 : 0),
      );
      expect(await page.locator('#diagram-svg .node').count()).toBe(
        graph.stages.reduce((n, s) => n + s.nodes.length, 0) + (graph.foundation?.nodes.length ?? 0),
      );

      // The tables: one row per area, finding and cost component, the totals as computed.
      const findings = advise(analyzed);
      const cost = costReport(analyzed);
      expect(await page.locator('#resources-table tbody tr').count()).toBe(
        Object.keys(resourcesByArea).length,
      );
      expect(await page.locator('#cost-table tbody tr').count()).toBe(cost.lines.length);
      if (findings.length > 0)
        expect(await page.locator('#advice-table tbody tr').count()).toBe(findings.length);
      else await expect(page.locator('#advice-table').textContent()).resolves.toContain('No advice');
      const total = await page.locator('#cost-table tfoot td').nth(2).textContent();
      expect(total).toBe(cost.total.asSpecified.toLocaleString('en-US', { minimumFractionDigits: 2 }));
      const rendered = await page
        .locator('#cost-table')
        .evaluate((t) => (t as unknown as { offsetHeight: number }).offsetHeight);
      expect(rendered).toBeGreaterThan(100);

      // The Mermaid source opens in place.
      await page.locator('#mermaid summary').click();
      await expect(page.locator('#mermaid pre').textContent()).resolves.toContain('flowchart LR');

      await page.screenshot({ path: join(ARTIFACTS, `report-${name}.png`), fullPage: true });
      if (name === 'fraud' && process.env.PIPEFORM_UPDATE_REPORT_PNG === '1') {
        await page.locator('#mermaid summary').click();
        await page.screenshot({
          path: join(ROOT, 'docs', 'report.png'),
          fullPage: true,
          clip: { x: 0, y: 0, width: 1200, height: 1560 },
        });
      }
      await page.close();
      rmSync(dir, { recursive: true, force: true });
      expect(problems).toEqual([]);
    },
  );
});
