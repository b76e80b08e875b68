/**
 * The auto-post page that carries our Response to the connector's ACS (R-RSP-17, ATK-49):
 * an HTML form (SAMLResponse, RelayState echoed unchanged and HTML-escaped), submitted by a
 * small script served from our own origin (no inline script), with a visible button for
 * browsers without JavaScript. Its Content-Security-Policy lets the form go to the ACS origin
 * only (helmet's default `form-action 'self'` would block it).
 */
import type { Response } from 'express';
import { escapeHtml, type Lang } from './html.ts';

export interface AutoPost {
  /** From the connector metadata (never from the request). */
  acsUrl: string;
  samlResponse: string;
  relayState?: string;
}

const TEXT: Record<Lang, { title: string; info: string; button: string }> = {
  fr: { title: 'Retour au service européen', info: 'Vous allez être renvoyé vers le service européen.', button: 'Continuer' },
  en: { title: 'Back to the European service', info: 'You are being sent back to the European service.', button: 'Continue' },
};

export const AUTO_POST_FORM_ID = 'saml-auto-post';

/** The script: submits the form once the page is parsed. */
export const AUTO_POST_SCRIPT = `"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("${AUTO_POST_FORM_ID}");
  if (form) form.submit();
});
`;

export function renderAutoPost(post: AutoPost, lang: Lang, scriptPath: string): string {
  const t = TEXT[lang];
  const relay = post.relayState === undefined ? '' : `<input type="hidden" name="RelayState" value="${escapeHtml(post.relayState)}">`;
  return [
    '<!DOCTYPE html>',
    `<html lang="${lang}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(t.title)} – Pont eIDAS</title>`,
    `<script src="${escapeHtml(scriptPath)}" defer></script></head>`,
    '<body><main>',
    `<form id="${AUTO_POST_FORM_ID}" method="post" action="${escapeHtml(post.acsUrl)}">`,
    `<input type="hidden" name="SAMLResponse" value="${escapeHtml(post.samlResponse)}">`,
    relay,
    `<p>${escapeHtml(t.info)}</p>`,
    `<button type="submit">${escapeHtml(t.button)}</button>`,
    '</form>',
    '</main></body></html>',
  ].join('\n');
}

/** The CSP of the auto-post page: our script, a form to the ACS origin, nothing else. */
export function autoPostCsp(acsUrl: string): string {
  const origin = new URL(acsUrl).origin;
  return [
    "default-src 'none'",
    "script-src 'self'",
    `form-action ${origin}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function sendAutoPost(res: Response, post: AutoPost, lang: Lang, scriptPath: string): void {
  res.status(200);
  res.set('Content-Security-Policy', autoPostCsp(post.acsUrl));
  res.set('Cache-Control', 'no-store');
  res.type('html').send(renderAutoPost(post, lang, scriptPath));
}
