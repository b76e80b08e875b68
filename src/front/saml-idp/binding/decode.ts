/**
 * Binding decoding of an AuthnRequest (R-MSG-28, R-MSG-29, ATK-49..52):
 *  - HTTP-POST: SAMLRequest = base64 of the XML, enveloped signature inside;
 *  - HTTP-Redirect: SAMLRequest = base64 of raw DEFLATE, detached SigAlg + Signature over the
 *    raw query bytes as received (verified later, once the issuer names the keys);
 *  - the EU reference node's GET form: SAMLRequest (plain or deflated) carrying its enveloped
 *    signature, no SigAlg / Signature.
 * Only strings come out of here, sizes are capped before anything is decoded, and RelayState
 * stays opaque (it is echoed, never followed).
 */
import { XmlSecurityError, signatureAlgorithm } from '../../../saml/index.ts';
import { MAX_RELAY_STATE_BYTES } from '../constants.ts';
import { refuseRequest } from '../errors.ts';
import type { Binding } from '../types.ts';
import { boundedInflate, looksLikeXml, strictBase64 } from './codec.ts';
import { hasProtocolParams, parseProtocolParams, type ProtocolParams, type RawParam } from './params.ts';

export interface QuerySignature {
  /** SigAlg URI (in the eIDAS allowlist; rsa-sha256 still subject to the peer's policy). */
  algorithm: string;
  signature: Buffer;
  /** `SAMLRequest=…[&RelayState=…]&SigAlg=…` exactly as received (SAML Bindings §3.4.4.1). */
  signedOctets: Buffer;
}

export interface DecodedMessage {
  binding: Binding;
  /** The AuthnRequest XML bytes, at most 131072. */
  xml: Buffer;
  relayState?: string;
  querySignature?: QuerySignature;
}

/** A signature value: ECDSA P-521 raw r‖s is 132 bytes, RSA-16384 2048: far below this. */
const MAX_SIGNATURE_BYTES = 4096;

/** HTTP-POST: `body` is the form body as received, `query` the raw query string of the URL. */
export function decodePost(body: string, query: string): DecodedMessage {
  if (hasProtocolParams(query)) refuseRequest('PARAM', 'protocol parameters in the URL of a POST');
  const params = parseProtocolParams(body);
  refuseForeign(params, ['SAMLResponse', 'SigAlg', 'Signature']);
  const request = required(params, 'SAMLRequest');
  return { binding: 'HTTP-POST', xml: strictBase64(request.value, 'SAMLRequest'), ...relayStateOf(params) };
}

/** HTTP GET: the standard Redirect binding, or the EU node's GET form when SigAlg/Signature are absent. */
export function decodeGet(query: string): DecodedMessage {
  const params = parseProtocolParams(query);
  refuseForeign(params, ['SAMLResponse']);
  const request = required(params, 'SAMLRequest');
  const relay = relayStateOf(params);
  if (!params.SigAlg && !params.Signature) {
    const bytes = strictBase64(request.value, 'SAMLRequest');
    const xml = looksLikeXml(bytes) ? bytes : boundedInflate(bytes);
    return { binding: 'HTTP-GET-enveloped', xml, ...relay };
  }
  const querySignature = readQuerySignature(params);
  const xml = boundedInflate(strictBase64(request.value, 'SAMLRequest'));
  return { binding: 'HTTP-Redirect', xml, querySignature, ...relay };
}

function required(params: ProtocolParams, name: 'SAMLRequest'): RawParam {
  const p = params[name];
  if (!p || p.value === '') refuseRequest('BINDING', `${name} missing`);
  return p;
}

function refuseForeign(params: ProtocolParams, names: Array<keyof ProtocolParams>): void {
  for (const n of names) if (params[n]) refuseRequest(n === 'SAMLResponse' ? 'BINDING' : 'PARAM', `${n} not expected here`);
}

/** R-MSG-29: at most 80 bytes; opaque; an empty RelayState is no RelayState. */
function relayStateOf(params: ProtocolParams): { relayState?: string } {
  const p = params.RelayState;
  if (!p || p.value === '') return {};
  if (Buffer.byteLength(p.value, 'utf8') > MAX_RELAY_STATE_BYTES) {
    refuseRequest('RELAYSTATE', `RelayState of ${Buffer.byteLength(p.value, 'utf8')} bytes`);
  }
  return { relayState: p.value };
}

/** SigAlg and Signature both present, SigAlg in the allowlist, Signature strict base64. */
function readQuerySignature(params: ProtocolParams): QuerySignature {
  const { SigAlg: sigAlg, Signature: sig, SAMLRequest: request, RelayState: relay } = params;
  if (!sigAlg || !sig) refuseRequest('REDIRECT_SIG', 'SigAlg and Signature go together');
  let algorithm: string;
  try {
    algorithm = signatureAlgorithm(sigAlg.value).uri;
  } catch (e) {
    if (e instanceof XmlSecurityError) refuseRequest('REDIRECT_SIG', `SigAlg refused: ${e.message}`);
    throw e;
  }
  // The allowlist also knows our short names (ecdsa-sha256 …); on the wire only the URI is valid.
  if (algorithm !== sigAlg.value) refuseRequest('REDIRECT_SIG', 'SigAlg must be an algorithm URI');
  let signature: Buffer;
  try {
    signature = strictBase64(sig.value, 'Signature', MAX_SIGNATURE_BYTES);
  } catch {
    return refuseRequest('REDIRECT_SIG', 'Signature is not strict base64');
  }
  // SAML Bindings §3.4.4.1: this order, the values exactly as received (still URL-encoded).
  const parts = [`SAMLRequest=${request!.raw}`];
  if (relay) parts.push(`RelayState=${relay.raw}`);
  parts.push(`SigAlg=${sigAlg.raw}`);
  return { algorithm, signature, signedOctets: Buffer.from(parts.join('&'), 'utf8') };
}
