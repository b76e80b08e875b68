/**
 * The demo EU service's pages: plain, accessible, server-rendered HTML that works without
 * JavaScript (labels, fieldset/legend, one h1, table headers with scope). Every value is escaped.
 */
import { NOTIFIED_LOAS } from './authn-request.ts';
import type { ReceivedAttribute } from './assertion.ts';
import { html } from './xml.ts';

export const DEMO_PATH = '/demo/eu';
export const LOGIN_PATH = '/demo/eu/login';

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#161616}' +
  'button{font-size:1rem;padding:.5rem 1rem;background:#000091;color:#fff;border:0;border-radius:4px}' +
  'button:focus,input:focus,select:focus{outline:3px solid #0a76f6;outline-offset:2px}' +
  'table{border-collapse:collapse}th,td{border:1px solid #929292;padding:.25rem .5rem;text-align:left}' +
  'fieldset{margin:1rem 0}.status{font-family:monospace;word-break:break-all}';

function layout(title: string, body: string): string {
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${html(title)} – Demo EU service</title>` +
    `<style>${STYLE}</style></head><body><header><p>Demo EU service (mock EU country, development only)</p></header>` +
    `<main><h1>${html(title)}</h1>${body}</main></body></html>\n`
  );
}

const LOA_LABELS: Record<string, string> = {
  'http://eidas.europa.eu/LoA/low': 'Low',
  'http://eidas.europa.eu/LoA/substantial': 'Substantial',
  'http://eidas.europa.eu/LoA/high': 'High',
};

export function loaLabel(uri: string): string {
  return LOA_LABELS[uri] ?? uri;
}

export function startPage(): string {
  const loas = NOTIFIED_LOAS.map(
    (l) => `<option value="${html(l)}"${l.endsWith('/substantial') ? ' selected' : ''}>${html(loaLabel(l))}</option>`,
  ).join('');
  return layout(
    'Log in with your eIDAS',
    `<p>Use the electronic identity of your country to log in to this European service.</p>` +
      `<form method="post" action="${LOGIN_PATH}">` +
      `<fieldset><legend>Where is your electronic identity from?</legend>` +
      `<input type="radio" id="country-fr" name="country" value="FR" checked> <label for="country-fr">France</label>` +
      `</fieldset>` +
      `<p><label for="loa">Minimum level of assurance</label> <select id="loa" name="loa">${loas}</select></p>` +
      `<fieldset><legend>How the request travels (for testing)</legend>` +
      `<input type="radio" id="binding-post" name="binding" value="post" checked> <label for="binding-post">HTTP-POST</label> ` +
      `<input type="radio" id="binding-redirect" name="binding" value="redirect"> <label for="binding-redirect">HTTP-Redirect</label>` +
      `</fieldset><button type="submit">Log in with your eIDAS</button></form>`,
  );
}

export function resultPage(r: { loa: string; nameId: string; attributes: ReceivedAttribute[]; issuer: string }): string {
  const rows = r.attributes
    .map((a) => `<tr><th scope="row">${html(a.friendlyName || a.name)}</th><td>${a.values.map((v) => html(displayValue(a, v))).join('<br>')}</td></tr>`)
    .join('');
  return layout(
    'You are logged in',
    `<p>Your identity was verified by <span class="status">${html(r.issuer)}</span>.</p>` +
      `<p>Level of assurance: <strong id="loa">${html(loaLabel(r.loa))}</strong> <span class="status">(${html(r.loa)})</span></p>` +
      `<table><caption>Verified attributes</caption><thead><tr><th scope="col">Attribute</th><th scope="col">Value</th></tr></thead>` +
      `<tbody>${rows}</tbody></table>` +
      `<p>Subject (NameID): <span class="status">${html(r.nameId)}</span></p><p><a href="${DEMO_PATH}">Start again</a></p>`,
  );
}

export function refusalPage(r: { status: string; subStatus?: string; message?: string }): string {
  const denied = r.subStatus === 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied';
  return layout(
    denied ? 'Login cancelled' : 'Login failed',
    `<p>${denied ? 'You did not agree to share your identity with this service.' : 'Your country could not verify your identity.'}</p>` +
      `<dl><dt>Status</dt><dd class="status" id="status">${html(r.status)}</dd>` +
      (r.subStatus ? `<dt>Sub-status</dt><dd class="status" id="sub-status">${html(r.subStatus)}</dd>` : '') +
      (r.message ? `<dt>Message</dt><dd id="status-message">${html(r.message)}</dd>` : '') +
      `</dl><p><a href="${DEMO_PATH}">Start again</a></p>`,
  );
}

export function errorPage(code: string, explanation: string): string {
  return layout(
    'Something went wrong',
    `<p>${html(explanation)}.</p><p>Code: <span class="status" id="error-code">${html(code)}</span></p>` +
      `<p><a href="${DEMO_PATH}">Start again</a></p>`,
  );
}

/** CurrentAddress is base64 of eidas-natural elements: shown as its text parts. */
function displayValue(a: ReceivedAttribute, value: string): string {
  if (!a.name.endsWith('/CurrentAddress')) return value;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const parts = [...decoded.matchAll(/<(?:[\w-]+:)?(\w+)>([^<]*)</g)].map((m) => `${m[1]}: ${m[2]}`);
  return parts.length > 0 ? parts.join(', ') : value;
}
