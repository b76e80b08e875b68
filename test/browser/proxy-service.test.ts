/**
 * The proxy-service demo in Debian's Chromium, headless (issue 4 "What it must show", DESIGN
 * §7, §11): what `npm start` serves, clicked through as a person would — demo EU service → node
 * → mock FranceConnect (a citizen picked on its page) → consent → FranceConnect's logout
 * (end_session, its auto-submitted form) → back to the EU service, which
 * shows the verified attributes and the LoA; and the refusal path. A second EU service on
 * another site (http://localhost:<port>, the node being http://127.0.0.1:<port>) proves the
 * cross-site parts in a real browser: the SameSite=Lax flow cookie comes back from FranceConnect
 * after a cross-site POST (ATK-58), and the auto-post page's CSP form-action lets the Response
 * go to that connector's ACS and nowhere else.
 */
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { ensureDevelopmentKeys } from '../../src/keys/dev-keys.ts';
import { loadCertificate } from '../../src/saml/keys.ts';
import { createMockEuCountry, type MockEuCountry } from '../../src/mock/eu-country/index.ts';
import { describeWithPeer } from '../helpers/peers.ts';
import { freePort, openTestDb, startTestNode, workspace, type TestDb, type TestNode, type Workspace } from '../flows/support/node.ts';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const REQUEST_DENIED = 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied';

describeWithPeer(['chromium'], 'proxy-service demo in Chromium', () => {
  let ws: Workspace;
  let testDb: TestDb;
  let t: TestNode;
  let browser: Browser;
  let foreign: { server: Server; country: MockEuCountry };

  beforeAll(async () => {
    ws = await workspace('browser');
    await ensureDevelopmentKeys(ws.keysDir, { minRsaBits: 3072 }); // the foreign service trusts our metadata key
    const port = await listenPort();
    const node = `http://127.0.0.1:${await freePort()}`;
    const app = express();
    const country = await createMockEuCountry({
      baseUrl: `http://localhost:${port.port}`,
      nodeMetadataUrl: `${node}/proxy-service/metadata`,
      trustAnchor: loadCertificate(readFileSync(join(ws.keysDir, 'metadata-signing.cert.pem'))),
      keysDir: join(ws.dir, 'foreign-eu'),
      country: 'XG',
    });
    app.use(country.router);
    foreign = { server: port.server, country };
    port.server.on('request', app);
    const peers = { list: [{ country: 'XG', role: 'connector', metadataUrl: country.metadataUrl, trustAnchors: [join(ws.dir, 'foreign-eu', 'metadata-signing.cert.pem')] }] };
    testDb = await openTestDb('pglite');
    t = await startTestNode(ws, testDb.db, { port: Number(new URL(node).port), overrides: { peers } });
    await vi.waitFor(() => expect(t.lines.some((l) => l.event === 'peer.metadata.accepted' && l.entityId === country.metadataUrl)).toBe(true), { timeout: 20_000 });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    await testDb?.close();
    await new Promise<void>((resolve) => (foreign ? foreign.server.close(() => resolve()) : resolve()));
    ws?.cleanup();
  });

  /** A fresh browser context; console errors (CSP violations land there) and failed loads are collected. */
  async function open(javaScriptEnabled = true): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> {
    const ctx = await browser.newContext({ javaScriptEnabled, locale: 'en-GB' });
    const page = await ctx.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(`console: ${m.text()}`));
    page.on('requestfailed', (r) => r.failure()?.errorText !== 'net::ERR_ABORTED' && problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    return { page, problems, close: () => ctx.close() };
  }

  /** From the demo EU service to the consent page, picking `citizen` on the mock FranceConnect page. */
  async function toConsent(page: Page, demoUrl: string, citizen: RegExp): Promise<void> {
    await page.goto(demoUrl);
    await page.getByRole('button', { name: 'Log in with your eIDAS' }).click();
    await page.waitForURL(/\/mock\/franceconnect\/api\/v2\/interaction\//);
    await page.getByLabel(citizen).check();
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(/\/proxy-service\/consent$/);
  }

  it('DESIGN §7: demo EU service → node → mock FranceConnect (citizen picked) → consent → the EU service shows the verified attributes and LoA', async () => {
    const { page, problems, close } = await open();
    try {
      await toConsent(page, t.node.dev!.euCountry.demoUrl, /Angela Claire Louise DUBOIS/);
      await expect.poll(() => page.locator('table').innerText()).toContain('Angela Claire Louise');
      await page.getByRole('button', { name: /accept|agree|share/i }).click();
      await page.waitForURL(/\/mock\/eu\/connector\/acs$/);
      await expect.poll(() => page.locator('h1').innerText()).toBe('You are logged in');
      expect(await page.locator('#loa').innerText()).toBe('Substantial');
      const table = await page.locator('table').innerText();
      for (const value of ['DUBOIS', 'Angela Claire Louise', '1962-08-24', 'Female']) expect(table).toContain(value);
      expect(table).toMatch(/FR\/XE\/[0-9a-f]{64}/);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('R-RSP-09: refusing on the consent page → the EU service says the login was cancelled (RequestDenied)', async () => {
    const { page, problems, close } = await open();
    try {
      await toConsent(page, t.node.dev!.euCountry.demoUrl, /Fatou/);
      await page.getByRole('button', { name: /refuse|decline|do not/i }).click();
      await page.waitForURL(/\/mock\/eu\/connector\/acs$/);
      await expect.poll(() => page.locator('h1').innerText()).toBe('Login cancelled');
      expect(await page.locator('#sub-status').innerText()).toBe(REQUEST_DENIED);
      expect(await page.locator('table').count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('ATK-58, R-RSP-17: an EU service on another site: the Lax flow cookie survives the cross-site POST, the CSP form-action lets the Response reach its ACS only', async () => {
    const { page, problems, close } = await open();
    const csp: string[] = [];
    page.on('response', (r) => new URL(r.url()).pathname === '/proxy-service/franceconnect/logout-callback' && csp.push(r.headers()['content-security-policy'] ?? ''));
    try {
      await toConsent(page, foreign.country.demoUrl, /Kenji/);
      await page.getByRole('button', { name: /accept|agree|share/i }).click();
      await page.waitForURL(foreign.country.acsUrl);
      await expect.poll(() => page.locator('h1').innerText()).toBe('You are logged in');
      expect(await page.locator('table').innerText()).toMatch(/FR\/XG\/[0-9a-f]{64}/);
      expect(csp).toHaveLength(1);
      expect(csp[0]).toMatch(new RegExp(`form-action ${new URL(foreign.country.acsUrl).origin}(;|$)`));
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('DESIGN §6: without JavaScript the citizen gets through with the auto-post pages\' buttons', async () => {
    const { page, problems, close } = await open(false);
    try {
      await page.goto(t.node.dev!.euCountry.demoUrl);
      await page.getByRole('button', { name: 'Log in with your eIDAS' }).click();
      await page.getByRole('button', { name: 'Continue' }).click(); // the demo's POST binding page
      await page.waitForURL(/\/mock\/franceconnect\/api\/v2\/interaction\//);
      await page.getByLabel(/Hélène|Helene|LEFEVRE|LEFÈVRE/i).first().check();
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.waitForURL(/\/proxy-service\/consent$/);
      await page.getByRole('button', { name: /accept|agree|share/i }).click();
      await page.waitForURL(/\/mock\/franceconnect\/api\/v2\/session\/end/);
      await page.getByRole('button', { name: /continue/i }).click(); // FranceConnect's logout form
      await page.waitForURL(/\/proxy-service\/franceconnect\/logout-callback/);
      await page.getByRole('button', { name: /continue/i }).click(); // our auto-post page
      await page.waitForURL(/\/mock\/eu\/connector\/acs$/);
      expect(await page.locator('h1').innerText()).toBe('You are logged in');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});

/** A server bound to a free port on 127.0.0.1, its handler attached later. */
async function listenPort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}
