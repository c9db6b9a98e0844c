// The pages in a real browser: Debian's Chromium, headless, no sandbox and no network beyond the app on
// loopback. Loads the front page, a search from its box (and another within its filters), and several claim pages
// from the real server, checks the text a person sees, that nothing logs an error, and saves screenshots under
// test-artifacts/pages/. CI installs Chromium with `apt-get install -y --no-install-recommends chromium`; the test
// skips (saying why) only when no binary exists.
import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { renderClaimPage } from '../src/pages/claim.page.js';
import { createTestStore, TEST_LIMITS } from './helpers.js';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => Boolean(p));
const executablePath = CANDIDATES.find((p) => existsSync(p));
if (!executablePath) console.warn(`browser test skipped: no Chromium at ${CANDIDATES.join(', ')} (apt-get install -y chromium)`);

const ARTIFACTS = 'test-artifacts/pages';

describe.skipIf(!executablePath)('pages in Chromium', () => {
  const { store } = createTestStore();
  let app: Awaited<ReturnType<typeof buildApp>>;
  let browser: Browser;
  let origin: string;
  const blocked: string[] = [];

  beforeAll(async () => {
    // Test limits: no load shedding, which a busy CI machine can trip (a 503 once, with Chromium starting beside).
    app = await buildApp({ store, limits: TEST_LIMITS });
    origin = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({
      executablePath: executablePath!,
      headless: true,
      // No sandbox (CI runs as root in a container); no name resolves except loopback, so nothing leaves the machine.
      args: ['--no-sandbox', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1', '--no-first-run', '--disable-background-networking'],
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** A fresh page that records console errors and refuses every request not to our server. */
  async function open(): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } }); // a phone
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith('about:') || url.startsWith('data:')) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    return { page, errors };
  }

  async function visit(path: string, shot: string) {
    const { page, errors } = await open();
    const res = await page.goto(`${origin}${path}`, { waitUntil: 'load' });
    expect(res?.status()).toBe(200);
    await page.screenshot({ path: `${ARTIFACTS}/${shot}.png`, fullPage: true });
    const text = await page.locator('body').innerText();
    return { page, errors, text };
  }

  it('shows the front page with its claims and links to the docs', async () => {
    const { page, errors, text } = await visit('/', 'index');
    expect(text).toContain('Structured, sourced claims');
    expect(await page.locator('a[href="/docs"]').count()).toBeGreaterThan(0);
    expect(await page.locator('a[href^="/c/"]').count()).toBeGreaterThan(10);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("searches from the front page's box, under the pages' policy, and shows where each claim matched", async () => {
    const { page, errors } = await visit('/', 'index-search');
    await page.locator('input[name="q"]').fill('what did SemiAnalysis claim');
    await Promise.all([page.waitForURL(/\/search\?q=/), page.locator('form.search button').click()]);
    await page.screenshot({ path: `${ARTIFACTS}/search.png`, fullPage: true });
    const text = await page.locator('body').innerText();
    expect(text).toContain('No claim holds every word of this search');
    expect(await page.locator('#main li a[href^="/c/semianalysis-"]').count()).toBeGreaterThan(5);
    expect(await page.locator('#main li mark').count()).toBeGreaterThan(5);
    // A search with more than a page of claims (the one above has 19), then its next page.
    await page.locator('input[name="q"]').fill('deepseek');
    await Promise.all([page.waitForURL(/q=deepseek/), page.locator('form.search button').click()]);
    await Promise.all([page.waitForURL(/cursor=/), page.locator('a[rel="next"]').click()]);
    expect(await page.locator('#main li a[href^="/c/"]').count()).toBeGreaterThan(0);
    // A question read as filters, followed; a new search from the box stays within the filter until it is lifted.
    await page.locator('input[name="q"]').fill('what did SemiAnalysis claim');
    await Promise.all([page.waitForURL(/q=what/), page.locator('form.search button').click()]);
    await Promise.all([page.waitForURL(/\/search\?claimant=semianalysis$/), page.getByRole('link', { name: 'claimed by SemiAnalysis' }).click()]);
    await page.locator('input[name="q"]').fill('gpu');
    await Promise.all([page.waitForURL(/\/search\?q=gpu&claimant=semianalysis$/), page.locator('form.search button').click()]);
    expect(await page.locator('#main').innerText()).toContain('Claimed by: SemiAnalysis');
    await Promise.all([page.waitForURL(/\/search\?q=gpu$/), page.getByRole('link', { name: 'Lift every filter' }).click()]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens a claim found beyond its statement where it matched, scrolled to the words', async () => {
    const { page, errors } = await visit(`/search?q=${encodeURIComponent('DeepSeek $6 million')}`, 'search-fragment');
    // "$6 million" is in the V3 cost claim's caveat on rounding, not in its statement.
    const link = page.locator('#main li a[href^="/c/deepseek-v3-training-cost"]');
    expect(await link.getAttribute('href')).toBe('/c/deepseek-v3-training-cost#:~:text=6%20million');
    await Promise.all([page.waitForURL(/deepseek-v3-training-cost/), link.click()]);
    // Run in the browser; this file's types have no DOM.
    await page.waitForFunction(() => (globalThis as unknown as { scrollY: number }).scrollY > 0);
    // The caveat that holds the words is in view.
    const top = await page.locator('li', { hasText: 'Media rounding' }).evaluate((el) => el.getBoundingClientRect().top);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(await page.evaluate(() => (globalThis as unknown as { innerHeight: number }).innerHeight));
    await page.screenshot({ path: `${ARTIFACTS}/search-fragment.png` });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the SemiAnalysis floor as a floor, with its verdict, caveats and sources', async () => {
    const claim = store.claims.get('semianalysis-deepseek-hardware-spend')!;
    const { page, errors, text } = await visit('/c/semianalysis-deepseek-hardware-spend', 'semianalysis-deepseek-hardware-spend');
    expect(await page.locator('h1').innerText()).toBe(claim.statement);
    expect(text).toContain('more than $500 million');
    expect(text).toContain('Accurate, with caveats');
    for (const c of claim.caveats) expect(text).toContain(c.text);
    expect(text).toContain('Cite this claim');
    // The page fits a phone: nothing wider than the viewport.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    const ld = await page.locator('script[type="application/ld+json"]').textContent();
    expect(JSON.parse(ld!)['@type']).toBe('ClaimReview');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows other claims: a market loss, a misleading quote, a disclosed cost', async () => {
    const cases = [
      ['nvidia-broadcom-combined-market-cap-loss-2025-01-27', 'about -$800 billion'],
      ['semianalysis-r1-reasoning-edge-quote', 'Misleading'],
      ['deepseek-v3-training-cost', '$5.576 million'],
    ] as const;
    for (const [id, expected] of cases) {
      const claim = store.claims.get(id)!;
      const { page, errors, text } = await visit(`/c/${id}`, id);
      expect(await page.locator('h1').innerText()).toBe(claim.statement);
      expect(text).toContain(expected);
      if (claim.caveats[0]) expect(text).toContain(claim.caveats[0].text);
      expect(errors, id).toEqual([]);
      await page.close();
    }
  });

  it('shows a retraction banner with a link to the successor', async () => {
    // Rendered directly: retracting through the API belongs to the editorial-writes work.
    const base = store.claims.get('deepseek-v3-training-cost')!;
    const retracted = { ...base, retraction: { reason: 'Superseded by the per-stage figures.', retractedAt: '2026-02-01T09:00:00.000Z', supersededBy: 'deepseek-v3-pretraining-cost' } };
    const { page, errors } = await open();
    await page.goto(`${origin}/openapi.json`); // any page of ours, so relative links resolve against the server
    await page.setContent(await renderClaimPage(retracted, { baseUrl: origin, serviceName: 'claims-api', now: new Date() }), { waitUntil: 'load' });
    const banner = page.locator('section.retraction');
    expect(await banner.isVisible()).toBe(true);
    expect(await banner.innerText()).toContain('This claim has been retracted');
    expect(await banner.innerText()).toContain('Superseded by the per-stage figures.');
    expect(await banner.locator('a').first().getAttribute('href')).toBe('/c/deepseek-v3-pretraining-cost');
    expect(await banner.locator('a').nth(1).getAttribute('href')).toMatch(/^\/v1\/claims\/deepseek-v3-training-cost\/revisions\/\d+$/);
    await page.screenshot({ path: `${ARTIFACTS}/retracted.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('made no request outside the server', () => {
    expect(blocked).toEqual([]);
  });
});
