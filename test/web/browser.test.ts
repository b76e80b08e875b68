/**
 * The pages in Debian's Chromium, headless (DESIGN §6, §11): axe-core finds no serious or
 * critical WCAG 2.1 A/AA violation on the consent, error and country pages in both languages;
 * the DSFR stylesheet applies under the app's CSP with no violation reported; keyboard only
 * and without JavaScript, the consent form posts; hostile values stay text (ATK-49).
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithPeer } from '../helpers/peers.ts';
import { HOSTILE, consentSample } from './support/samples.ts';
import { pageApp } from './support/page-app.ts';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SCREENSHOTS = new URL('../../var/web/', import.meta.url);
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const PAGES = [
  ['consent', '/web-test/consent'],
  ['error', '/web-test/error/session-expired'],
  ['country', '/web-test/country'],
] as const;

type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

describeWithPeer(['chromium'], 'citizen pages in Chromium', () => {
  let server: Server;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    server = createServer(pageApp());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  /** A fresh page that records console errors (CSP violations land there), failed requests and dialogs. */
  async function open(options: { javaScriptEnabled?: boolean; locale?: string } = {}): Promise<{ ctx: BrowserContext; page: Page; problems: string[] }> {
    const ctx = await browser.newContext({
      javaScriptEnabled: options.javaScriptEnabled ?? true,
      locale: options.locale ?? 'en-GB',
      viewport: { width: 1280, height: 900 },
    });
    const page = await ctx.newPage();
    const problems: string[] = [];
    // Error pages answer 4xx by design: only sub-resources (styles, fonts, icons, scripts) must load.
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(`console: ${m.text()}`));
    // The auto-post page leaves before its fonts arrive: a load cut by navigation is not a failure.
    page.on('requestfailed', (r) => r.failure()?.errorText !== 'net::ERR_ABORTED' && problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    page.on('response', (r) => r.status() >= 400 && r.request().resourceType() !== 'document' && problems.push(`HTTP ${r.status()}: ${r.url()}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    return { ctx, page, problems };
  }

  for (const [name, path] of PAGES) {
    for (const lang of ['fr', 'en'] as const) {
      it(`${name} (${lang}): no serious or critical axe violation (WCAG 2.1 A/AA), DSFR applied, no CSP violation`, async () => {
        const { ctx, page, problems } = await open();
        try {
          const response = await page.goto(`${base}${path}?lang=${lang}`);
          expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
          expect(await page.getAttribute('html', 'lang')).toBe(lang);
          const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
          expect(font).toContain('Marianne');
          await page.evaluate(AXE_SOURCE);
          const violations = await page.evaluate(async () => {
            const axe = (globalThis as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
            const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
            return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
          });
          const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
          expect(serious, JSON.stringify(serious, null, 1)).toEqual([]);
          await page.evaluate(() => document.fonts.ready);
          expect(problems).toEqual([]);
        } finally {
          await ctx.close();
        }
      });
    }
  }

  it('ATK-49: on the consent page every hostile value is text in the DOM, and no script runs', async () => {
    const { ctx, page, problems } = await open();
    try {
      await page.goto(`${base}/web-test/consent?lang=en`);
      const cells = await page.$$eval('td > .pont-value', (tds) => tds.map((td) => td.textContent));
      expect(cells).toEqual(consentSample('en').attributes.map((a) => a.value));
      expect(await page.$$eval('script, img, [onerror], [onfocus], [autofocus]', (els) => els.length)).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it('keyboard only: the first Tab reaches the skip link; Tab reaches Accept with a visible focus ring; Enter posts decision=accept', async () => {
    const { ctx, page } = await open();
    try {
      await page.goto(`${base}/web-test/consent?lang=fr`);
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Contenu');
      let reached = false;
      for (let i = 0; i < 30 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = await page.evaluate(() => (document.activeElement as HTMLButtonElement | null)?.value === 'accept');
      }
      expect(reached).toBe(true);
      const ring = await page.evaluate(() => {
        const s = getComputedStyle(document.activeElement!);
        return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
      });
      expect(ring.style).not.toBe('none');
      expect(ring.width).toBeGreaterThanOrEqual(2);
      const posted = page.waitForResponse((r) => r.request().method() === 'POST');
      await page.keyboard.press('Enter');
      const body = (await (await posted).json()) as { body: Record<string, string> };
      expect(body.body).toEqual({ csrf_token: `csrf${HOSTILE.attribute}`, flow_id: `flow${HOSTILE.single}`, decision: 'accept' });
    } finally {
      await ctx.close();
    }
  });

  it('without JavaScript: Refuse posts decision=refuse; the country form posts the chosen country', async () => {
    const { ctx, page } = await open({ javaScriptEnabled: false });
    try {
      await page.goto(`${base}/web-test/consent?lang=en`);
      const refused = page.waitForResponse((r) => r.request().method() === 'POST');
      await page.getByRole('button', { name: 'Refuse' }).click();
      expect(((await (await refused).json()) as { body: Record<string, string> }).body.decision).toBe('refuse');

      await page.goto(`${base}/web-test/country?lang=en`);
      await page.locator('label', { hasText: 'Ελλάδα' }).click();
      expect(await page.getByLabel('Ελλάδα').isChecked()).toBe(true);
      const chosen = page.waitForResponse((r) => r.request().method() === 'POST');
      await page.getByRole('button', { name: 'Continue' }).click();
      expect(((await (await chosen).json()) as { body: Record<string, string> }).body.country).toBe('EL');
    } finally {
      await ctx.close();
    }
  });

  it('the language switch works without JavaScript and the next page keeps the language', async () => {
    const { ctx, page } = await open({ javaScriptEnabled: false, locale: 'fr-FR' });
    try {
      await page.goto(`${base}/web-test/consent`);
      expect(await page.getAttribute('html', 'lang')).toBe('fr');
      await page.getByRole('link', { name: 'EN – English' }).click();
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      await page.goto(`${base}/web-test/country`);
      expect(await page.getAttribute('html', 'lang')).toBe('en');
    } finally {
      await ctx.close();
    }
  });

  it('ATK-49: the auto-post page submits itself through its script under its own CSP, RelayState unchanged; without JavaScript, its button does', async () => {
    const expected = { SAMLResponse: `PHNhbWxwOlJlc3BvbnNl${HOSTILE.attribute}`, RelayState: HOSTILE.script };
    for (const javaScriptEnabled of [true, false]) {
      const { ctx, page, problems } = await open({ javaScriptEnabled });
      try {
        const posted = page.waitForResponse((r) => r.url().endsWith('/web-test/received'));
        await page.goto(`${base}/web-test/auto-post?lang=en`);
        if (!javaScriptEnabled) await page.getByRole('button', { name: 'Continue' }).click();
        expect(((await (await posted).json()) as { body: Record<string, string> }).body).toEqual(expected);
        expect(problems).toEqual([]);
      } finally {
        await ctx.close();
      }
    }
  });

  it('ATK-49: the auto-post form reaches an ACS on another origin (the page CSP names that origin in form-action)', async () => {
    const { ctx, page, problems } = await open();
    try {
      const posted = page.waitForResponse((r) => r.url().startsWith('http://localhost:') && r.url().endsWith('/web-test/received'), { timeout: 10_000 });
      await page.goto(`${base}/web-test/auto-post?lang=fr&cross=1`);
      expect(((await (await posted).json()) as { body: Record<string, string> }).body.RelayState).toBe(HOSTILE.script);
      expect(problems).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it('screenshots of the consent page (var/web/, for a person to look at)', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const started = Date.now() - 1_000; // file times have a coarser grain than the clock
    const { ctx, page } = await open();
    try {
      await page.goto(`${base}/web-test/consent?lang=fr`);
      await page.evaluate(() => document.fonts.ready);
      await page.screenshot({ path: new URL('consent-fr.png', SCREENSHOTS).pathname, fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${base}/web-test/consent?lang=en`);
      await page.evaluate(() => document.fonts.ready);
      await page.screenshot({ path: new URL('consent-en-mobile.png', SCREENSHOTS).pathname, fullPage: true });
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${base}/web-test/error/session-expired?lang=en`);
      await page.screenshot({ path: new URL('error-en.png', SCREENSHOTS).pathname, fullPage: true });
      await page.goto(`${base}/web-test/country?lang=fr`);
      await page.screenshot({ path: new URL('country-fr.png', SCREENSHOTS).pathname, fullPage: true });
    } finally {
      await ctx.close();
    }
    // Each file is a fresh PNG of the viewport width it was taken at (IHDR width, bytes 16–19).
    const widths = ['consent-fr', 'consent-en-mobile', 'error-en', 'country-fr'].map((name) => {
      const png = readFileSync(new URL(`${name}.png`, SCREENSHOTS));
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(statSync(new URL(`${name}.png`, SCREENSHOTS)).mtimeMs).toBeGreaterThanOrEqual(started);
      return png.readUInt32BE(16);
    });
    expect(widths).toEqual([1280, 390, 1280, 1280]);
  });
});
