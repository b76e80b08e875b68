/**
 * The auto-post page that carries a protocol message back to a service (SAML HTTP-POST binding,
 * R-RSP-17): hidden fields (escaped) posted to `action`, submitted by /assets/pont/autopost.js
 * (no inline script), with a visible button for browsers without JavaScript. `sendAutoPost`
 * widens the CSP's form-action to the action's origin only (helmet's default `form-action
 * 'self'` would block the post to the connector's ACS).
 */
import type { Response } from 'express';
import { ASSET_URLS, AUTO_POST_FORM_ID } from '../assets.ts';
import { PageInputError } from '../errors.ts';
import { assertPageUrl, html } from '../html.ts';
import { AUTO_POST_TEXT } from '../i18n/auto-post.ts';
import type { Lang } from '../lang.ts';
import { renderPage } from '../layout.ts';

export interface AutoPostPage {
  lang: Lang;
  /** The URL the form posts to (an ACS from metadata, never from the request). */
  action: string;
  /** Form fields in order, e.g. { SAMLResponse, RelayState }; an undefined value is left out. */
  fields: Readonly<Record<string, string | undefined>>;
}

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

export function renderAutoPost(page: AutoPostPage): string {
  const t = AUTO_POST_TEXT[page.lang];
  const action = assertPageUrl(page.action, 'auto-post action');
  const inputs = Object.entries(page.fields).map(([name, value]) => {
    if (!FIELD_NAME.test(name)) throw new PageInputError('FIELD_NAME_INVALID', 'an auto-post field name');
    return value === undefined ? '' : html`<input type="hidden" name="${name}" value="${value}">\n`;
  });
  const main = html`<h1>${t.title}</h1>
<form id="${AUTO_POST_FORM_ID}" method="post" action="${action}">
${inputs}<p>${t.info}</p>
<button class="fr-btn" type="submit">${t.button}</button>
</form>
<script src="${ASSET_URLS.autoPostScript}"></script>`;
  return renderPage({ lang: page.lang, title: t.title, main, languageLinks: false });
}

/** The CSP of the auto-post page: our own styles, fonts, images and script; the form to the action's origin. */
export function autoPostCsp(action: string): string {
  const checked = assertPageUrl(action, 'auto-post action');
  const formAction = checked.startsWith('/') ? "'self'" : new URL(checked).origin;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "script-src-attr 'none'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    `form-action ${formAction}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function sendAutoPost(res: Response, page: AutoPostPage): void {
  const body = renderAutoPost(page);
  res.status(200);
  res.set('Content-Security-Policy', autoPostCsp(page.action));
  res.set('Cache-Control', 'no-store');
  res.type('html').send(body);
}
