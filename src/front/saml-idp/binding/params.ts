/**
 * Strict parsing of `application/x-www-form-urlencoded` text (a POST body or a raw query string)
 * for the SAML bindings (ATK-50c, ATK-52): names are matched exactly after decoding, a protocol
 * parameter given twice or in bracket form (`SAMLRequest[]`, `RelayState[a]`) is refused, and
 * the raw (still URL-encoded) value is kept beside the decoded one, because the HTTP-Redirect
 * signature covers the bytes as received (SAML Bindings §3.4.4.1).
 */
import { refuseRequest } from '../errors.ts';

export const PROTOCOL_PARAMS = ['SAMLRequest', 'SAMLResponse', 'RelayState', 'SigAlg', 'Signature'] as const;
export type ProtocolParam = (typeof PROTOCOL_PARAMS)[number];

export interface RawParam {
  /** As received, still URL-encoded. */
  raw: string;
  /** Decoded ('+' is a space, then percent-decoding as UTF-8). */
  value: string;
}

export type ProtocolParams = Partial<Record<ProtocolParam, RawParam>>;

/** More pairs than any SAML binding message needs is refused (ATK-51/52: parameter floods). */
export const MAX_PAIRS = 32;
/** Raw length of one value before decoding: room for a 131072-byte message, percent-encoded. */
export const MAX_RAW_VALUE_LENGTH = 600_000;

const PROTOCOL = new Set<string>(PROTOCOL_PARAMS);
const BRACKETED = /^([A-Za-z]+)\[/;

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return refuseRequest('PARAM', 'malformed percent-encoding');
  }
}

/** The protocol parameters of `text` (raw and decoded); other names are ignored. */
export function parseProtocolParams(text: string): ProtocolParams {
  if (typeof text !== 'string') refuseRequest('PARAM', 'parameters are not text');
  const out: ProtocolParams = {};
  if (text === '') return out;
  const pairs = text.split('&');
  if (pairs.length > MAX_PAIRS) refuseRequest('PARAM', `more than ${MAX_PAIRS} parameters`);
  for (const pair of pairs) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    const raw = eq < 0 ? '' : pair.slice(eq + 1);
    const name = decodeComponent(rawName);
    const bracketed = BRACKETED.exec(name);
    if (bracketed && PROTOCOL.has(bracketed[1]!)) refuseRequest('PARAM', `${bracketed[1]} given as an array or object`);
    if (!PROTOCOL.has(name)) continue;
    const key = name as ProtocolParam;
    if (out[key]) refuseRequest('PARAM', `${key} given more than once`);
    if (raw.length > MAX_RAW_VALUE_LENGTH) refuseRequest('SIZE', `${key} too long`);
    out[key] = { raw, value: decodeComponent(raw) };
  }
  return out;
}

/** True when `text` carries any SAML protocol parameter (e.g. a query string beside a POST). */
export function hasProtocolParams(text: string): boolean {
  return Object.keys(parseProtocolParams(text)).length > 0;
}
