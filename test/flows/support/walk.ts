/**
 * The proxy-service walk, step by step, as a citizen's browser does it: demo EU service →
 * node SSO → mock FranceConnect (login_hint picks the citizen) → callback → consent →
 * FranceConnect's end_session (its auto-submitted form) → our logout callback → the
 * auto-posted Response → the mock EU country's ACS page. Each step returns what the next needs,
 * so tests can stop, replay or tamper anywhere.
 */
import { expect } from 'vitest';
import { decodeHtml, formsOf, type FlowBrowser, type Form } from './browser.ts';

export const LOA = {
  low: 'http://eidas.europa.eu/LoA/low',
  substantial: 'http://eidas.europa.eu/LoA/substantial',
  high: 'http://eidas.europa.eu/LoA/high',
} as const;

export interface Page {
  res: Response;
  html: string;
  url: string;
}

async function page(browser: FlowBrowser, res: Response): Promise<Page> {
  return { res, html: await res.text(), url: browser.hops.at(-1)!.url };
}

export function onlyForm(p: Page): Form {
  const forms = formsOf(p.html, p.url);
  expect(forms, `one form on ${p.url}`).toHaveLength(1);
  return forms[0]!;
}

/** The demo EU service sends its AuthnRequest; returns the SSO answer (303 to FranceConnect when accepted). */
export async function demoToSso(
  browser: FlowBrowser,
  base: string,
  o: { loa?: string; binding?: 'post' | 'redirect' } = {},
): Promise<{ sso: Response; request: Form | URL }> {
  const login = await browser.request(`${base}/demo/eu/login`, { form: { country: 'FR', loa: o.loa ?? LOA.substantial, binding: o.binding ?? 'post' } });
  if ((o.binding ?? 'post') === 'redirect') {
    expect(login.status).toBe(303);
    const url = new URL(login.headers.get('location')!, base);
    await login.arrayBuffer();
    return { sso: await browser.request(url.href), request: url };
  }
  const form = onlyForm(await page(browser, login));
  return { sso: await browser.submit(form), request: form };
}

/** At FranceConnect as `citizen` (login_hint skips the picking page), then back to the node's consent page. */
export async function franceConnectToConsent(browser: FlowBrowser, sso: Response, citizen: string): Promise<Page> {
  expect(sso.status).toBe(303);
  const authorize = new URL(sso.headers.get('location')!);
  await sso.arrayBuffer();
  authorize.searchParams.set('login_hint', citizen);
  const { res } = await browser.follow(await browser.request(authorize.href));
  return page(browser, res);
}

export const LOGOUT_CALLBACK_PATH = '/proxy-service/franceconnect/logout-callback';

/** The node's 303 to FranceConnect's end_session, read: the URL and its parameters. */
export function endSessionOf(res: Response): URL {
  expect(res.status).toBe(303);
  const url = new URL(res.headers.get('location')!);
  expect(url.pathname).toBe('/mock/franceconnect/api/v2/session/end');
  return url;
}

/**
 * From the node's 303 to end_session, through FranceConnect's logout (its auto-submitted form,
 * as a browser runs it) up to the redirect to our logout callback, not fetched: its URL.
 */
export async function toLogoutCallback(browser: FlowBrowser, res: Response): Promise<URL> {
  endSessionOf(res);
  const { res: atFc } = await browser.follow(res);
  const form = onlyForm(await page(browser, atFc));
  const { stoppedAt } = await browser.follow(await browser.submit(form), { stopAt: (u) => u.pathname === LOGOUT_CALLBACK_PATH });
  expect(stoppedAt, 'FranceConnect sends the browser back to our logout callback').toBeDefined();
  return stoppedAt!;
}

/** Through FranceConnect's logout and back: the page our logout callback answers (the auto-post page). */
export async function throughLogout(browser: FlowBrowser, res: Response): Promise<Page> {
  const back = await toLogoutCallback(browser, res);
  return page(browser, await browser.request(back.href));
}

/** Accept or refuse on the consent page, then FranceConnect's logout; returns the auto-post page (or whatever came back). */
export async function decide(browser: FlowBrowser, consent: Page, decision: 'accept' | 'refuse'): Promise<Page> {
  const res = await browser.submit(onlyForm(consent), { decision });
  if (res.status !== 303) return page(browser, res);
  return throughLogout(browser, res);
}

/** The auto-post page's form, as the browser (or its no-script button) submits it. */
export async function autoPostToAcs(browser: FlowBrowser, autoPost: Page): Promise<Page> {
  return page(browser, await browser.submit(onlyForm(autoPost)));
}

export interface DemoResult {
  loa?: string;
  attributes: Record<string, string>;
  status?: string;
  subStatus?: string;
  errorCode?: string;
  message?: string;
}

/** What the demo EU service's result, refusal or error page shows. */
export function demoResult(html: string): DemoResult {
  const text = (re: RegExp) => {
    const m = re.exec(html);
    return m ? decodeHtml(m[1]!) : undefined;
  };
  const attributes: Record<string, string> = {};
  for (const m of html.matchAll(/<tr><th scope="row">([^<]*)<\/th><td>(.*?)<\/td><\/tr>/g)) attributes[decodeHtml(m[1]!)] = decodeHtml(m[2]!);
  const result: DemoResult = { attributes };
  const loa = text(/<span class="status">\((http[^)]*)\)<\/span>/);
  if (loa) result.loa = loa;
  const status = text(/id="status">([^<]*)</);
  if (status) result.status = status;
  const sub = text(/id="sub-status">([^<]*)</);
  if (sub) result.subStatus = sub;
  const message = text(/id="status-message">([^<]*)</);
  if (message) result.message = message;
  const code = text(/id="error-code">([^<]*)</);
  if (code) result.errorCode = code;
  return result;
}

/** The whole happy walk; returns the consent page and the final demo page. */
export async function walk(
  browser: FlowBrowser,
  base: string,
  o: { citizen?: string; loa?: string; binding?: 'post' | 'redirect'; decision?: 'accept' | 'refuse' } = {},
): Promise<{ consent: Page; autoPost: Page; result: DemoResult }> {
  const { sso } = await demoToSso(browser, base, o);
  const consent = await franceConnectToConsent(browser, sso, o.citizen ?? 'angela-dubois');
  expect(consent.res.status, consent.html.slice(0, 500)).toBe(200);
  expect(new URL(consent.url).pathname).toBe('/proxy-service/consent');
  const autoPost = await decide(browser, consent, o.decision ?? 'accept');
  expect(autoPost.res.status).toBe(200);
  const acs = await autoPostToAcs(browser, autoPost);
  return { consent, autoPost, result: demoResult(acs.html) };
}
