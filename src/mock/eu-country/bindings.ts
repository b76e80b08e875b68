/**
 * SAML bindings for the mock Connector's AuthnRequest.
 *  - HTTP-POST: an auto-submitting form (a script file, allowed by the CSP 'self'), with a
 *    visible button that works without JavaScript; the XML carries its enveloped signature.
 *  - HTTP-Redirect: DEFLATE + base64 in SAMLRequest, signed over the query string
 *    (SAMLRequest, RelayState, SigAlg) as SAML Bindings §3.4.4.1 says; the XML is unsigned.
 *    The ECDSA Signature parameter is DER-encoded, as OpenSAML (the EU reference node's library)
 *    writes and reads it.
 */
import { sign as cryptoSign } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { SIG } from '../../saml/namespaces.ts';
import type { MockKey } from './keys.ts';
import { html } from './xml.ts';

export const AUTOPOST_SCRIPT_PATH = '/mock/eu/autopost.js';
export const AUTOPOST_SCRIPT = "document.addEventListener('DOMContentLoaded',function(){var f=document.getElementById('saml-autopost');if(f)f.submit();});\n";

export function postFormPage(action: string, fields: Record<string, string>, title: string): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${html(name)}" value="${html(value)}">`)
    .join('\n');
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${html(title)}</title>` +
    `<script src="${AUTOPOST_SCRIPT_PATH}"></script></head><body><main>` +
    `<form id="saml-autopost" method="post" action="${html(action)}">\n${inputs}\n` +
    `<p>${html(title)}</p><button type="submit">Continue</button></form></main></body></html>\n`
  );
}

/** The full HTTP-Redirect URL with its query-string signature. */
export function redirectUrl(destination: string, xml: string, relayState: string, key: MockKey): string {
  const samlRequest = deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64');
  let query = `SAMLRequest=${encodeURIComponent(samlRequest)}`;
  if (relayState) query += `&RelayState=${encodeURIComponent(relayState)}`;
  query += `&SigAlg=${encodeURIComponent(SIG.ECDSA_SHA256)}`;
  const signature = cryptoSign('sha256', Buffer.from(query, 'utf8'), key.privateKey);
  query += `&Signature=${encodeURIComponent(signature.toString('base64'))}`;
  return `${destination}${destination.includes('?') ? '&' : '?'}${query}`;
}
