/**
 * Authenticating the requester (R-MSG-05, R-MSG-06, R-SEC-02, ATK-46, ATK-50): parse, read the
 * claimed Issuer only to pick keys, resolve it in the registry as a connector, verify the
 * signature with that peer's metadata keys (one refresh when the key is unknown), and go on
 * with the verified element only. Every refusal here is answered with a page: nothing is sent.
 * For HTTP-Redirect the claimed Issuer exists only inside the deflated message, so those bytes
 * are inflated (capped at 131072) and parsed (MESSAGE_LIMITS) before the query signature is
 * checked (ATK-50f); only the Issuer is read before it is.
 */
import {
  MESSAGE_LIMITS,
  NS,
  XmlSecurityError,
  childElements,
  isElement,
  onlyChild,
  parseXml,
  refuse,
  verifyElement,
} from '../../../saml/index.ts';
import type { PeerVerifyPolicy } from '../../../config/crypto-policy.ts';
import { querySignatureVerifies } from '../binding/query-signature.ts';
import type { DecodedMessage } from '../binding/decode.ts';
import { NAMEID_FORMAT } from '../constants.ts';
import { refuseRequest } from '../errors.ts';
import type { ConnectorPeer, PeerSource } from '../types.ts';
import { optionalAttribute, textOf } from './read.ts';

/** The node's one parser with the message limits; the root must be a samlp:AuthnRequest. */
export function parseAuthnRequest(xml: Buffer): Element {
  const root = parseXml(xml, MESSAGE_LIMITS).documentElement;
  if (!isElement(root, NS.samlp, 'AuthnRequest')) refuse('SCHEMA', 'the message is not a samlp:AuthnRequest');
  return root;
}

/** The claimed Issuer (R-MSG-05): one saml:Issuer, entity format if any format is given. */
export function readIssuer(request: Element): string {
  const issuers = childElements(request, NS.saml, 'Issuer');
  if (issuers.length !== 1) refuseRequest('ISSUER', `${issuers.length} Issuer elements`);
  const issuer = issuers[0]!;
  const format = optionalAttribute(issuer, 'Format');
  if (format !== undefined && format !== NAMEID_FORMAT.ENTITY) refuseRequest('ISSUER', 'Issuer Format is not entity');
  const value = textOf(issuer);
  if (value === '') refuseRequest('ISSUER', 'empty Issuer');
  return value;
}

/**
 * A verified, valid connector of the registry, or ISSUER (PS-400: nothing is sent anywhere).
 * An issuer this instance does not know yet may have been added a moment ago through another
 * instance: the registry syncs once from the database (rate-limited) before the refusal.
 */
export async function resolveConnector(peers: PeerSource, entityId: string): Promise<ConnectorPeer> {
  let peer = peers.get(entityId);
  if (!peer) {
    await peers.signingKeys(entityId, { unknownKey: true });
    peer = peers.get(entityId);
  }
  if (!peer) refuseRequest('ISSUER', 'issuer not in the registry');
  if (peer.role !== 'connector' || peer.entityId !== entityId) refuseRequest('ISSUER', 'issuer is not a connector');
  return peer;
}

/** Failures that a key roll-over at the peer explains: worth one registry refresh. */
const UNKNOWN_KEY = new Set(['KEY_UNTRUSTED', 'SIG_INVALID']);

/**
 * Returns the element the signature covers (for the Redirect binding: the root of the bytes
 * the query signature covers). Keys come from the peer's metadata only (never KeyInfo).
 */
export async function verifyRequestSignature(
  root: Element,
  decoded: DecodedMessage,
  peer: ConnectorPeer,
  peers: PeerSource,
  policy: PeerVerifyPolicy,
): Promise<Element> {
  if (decoded.querySignature) return verifyQuerySigned(root, decoded, peer, peers, policy);
  const options = { allowLegacyRsaSha256: policy.allowLegacyRsaSha256, minRsaBits: policy.minRsaBits };
  try {
    return (await verifyElement(root, { trusted: await peers.signingKeys(peer.entityId), ...options })).element;
  } catch (e) {
    if (!(e instanceof XmlSecurityError) || !UNKNOWN_KEY.has(e.reason)) throw e;
    const refreshed = await peers.signingKeys(peer.entityId, { unknownKey: true });
    return (await verifyElement(root, { trusted: refreshed, ...options })).element;
  }
}

async function verifyQuerySigned(
  root: Element,
  decoded: DecodedMessage,
  peer: ConnectorPeer,
  peers: PeerSource,
  policy: PeerVerifyPolicy,
): Promise<Element> {
  // ATK-50e: a signature in the query and another in the XML is one too many.
  if (childElements(root, NS.ds, 'Signature').length > 0) refuseRequest('REDIRECT_SIG', 'signed both in the query and in the XML');
  const qs = decoded.querySignature!;
  if ((await querySignatureVerifies(qs, await peers.signingKeys(peer.entityId), policy)) === true) return root;
  const refreshed = await peers.signingKeys(peer.entityId, { unknownKey: true });
  if ((await querySignatureVerifies(qs, refreshed, policy)) === true) return root;
  return refuseRequest('REDIRECT_SIG', 'the query signature does not verify with the peer metadata keys');
}

/** The issuer read again from the verified element: it must be the one the keys came from. */
export function checkVerifiedIssuer(request: Element, peer: ConnectorPeer): void {
  if (textOf(onlyChild(request, NS.saml, 'Issuer')) !== peer.entityId) refuseRequest('ISSUER', 'issuer changed');
}
