/**
 * The mock Connector's checks of the node's Response (R-RSP, IA §3.2.2.2), in order: Response
 * signature with a key of the node's verified metadata (fetched again once when the key is
 * unknown), Issuer, Destination, InResponseTo, IssueInstant window, Status; on success exactly one
 * EncryptedAssertion, decrypted with the mock's key, and the assertion checks of assertion.ts.
 * Only verified elements are read.
 */
import type { KeyObject } from 'node:crypto';
import { decryptElement } from '../../saml/decrypt.ts';
import { childElements, onlyChild, optionalChild, strictText } from '../../saml/dom.ts';
import { XmlSecurityError } from '../../saml/errors.ts';
import { NS } from '../../saml/namespaces.ts';
import { MESSAGE_LIMITS, parseXml } from '../../saml/parser.ts';
import { verifyElement, type VerifiedElement } from '../../saml/verify.ts';
import { readAssertion, type AssertionContent } from './assertion.ts';
import { MockEuError } from './errors.ts';
import type { NodeMetadataSource } from './node-metadata.ts';

export const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

export interface ExpectedResponse {
  entityId: string;
  acsUrl: string;
  requestId: string;
  loa: string;
  now: Date;
  skewMs: number;
  maxAgeMs: number;
}

export type ResponseOutcome =
  | ({ kind: 'success'; issuer: string } & AssertionContent)
  | { kind: 'error'; issuer: string; status: string; subStatus?: string; message?: string };

export async function verifyNodeResponse(
  samlResponse: string,
  node: NodeMetadataSource,
  decryptionKey: KeyObject,
  expected: ExpectedResponse,
): Promise<ResponseOutcome> {
  if (!/^[A-Za-z0-9+/=\s]+$/.test(samlResponse)) throw new MockEuError('RESPONSE_FORMAT', 'SAMLResponse is not base64');
  const doc = parseXml(Buffer.from(samlResponse, 'base64'), MESSAGE_LIMITS);
  const root = doc.documentElement;
  if (root.namespaceURI !== NS.samlp || root.localName !== 'Response') throw new MockEuError('RESPONSE_FORMAT', 'not a samlp:Response');
  const { verified, issuer } = await verifyWithNodeKeys(root, node);
  const response = verified.element;
  checkEnvelope(response, issuer, expected);
  const status = readStatus(response);
  if (status.status !== STATUS_SUCCESS) {
    if (childElements(response, NS.saml, 'EncryptedAssertion').length > 0) throw new MockEuError('RESPONSE_FORMAT', 'assertion in an error Response');
    return { kind: 'error', issuer, ...status };
  }
  if (childElements(response, NS.saml, 'Assertion').length > 0) throw new MockEuError('RESPONSE_FORMAT', 'plain Assertion (R-RSP-02)');
  const encrypted = childElements(response, NS.saml, 'EncryptedAssertion');
  if (encrypted.length !== 1) throw new MockEuError('RESPONSE_FORMAT', 'exactly one EncryptedAssertion expected (R-RSP-04)');
  const assertion = await decryptElement(encrypted[0]!, { keys: [decryptionKey], recipient: expected.entityId });
  const content = await readAssertion(assertion, { ...expected, issuer, keys: (await node.get()).signingCertificates });
  return { kind: 'success', issuer, ...content };
}

async function verifyWithNodeKeys(root: Element, node: NodeMetadataSource): Promise<{ verified: VerifiedElement; issuer: string }> {
  let descriptor = await node.get();
  let verified: VerifiedElement;
  try {
    verified = await verifyElement(root, { trusted: descriptor.signingCertificates });
  } catch (e) {
    if (!(e instanceof XmlSecurityError) || e.reason !== 'KEY_UNTRUSTED') throw e;
    descriptor = await node.get({ refresh: true }); // the node may have rolled its key over
    verified = await verifyElement(root, { trusted: descriptor.signingCertificates });
  }
  const issuer = strictText(onlyChild(verified.element, NS.saml, 'Issuer')).trim();
  if (issuer !== descriptor.entityId) throw new MockEuError('RESPONSE_MISMATCH', 'Issuer is not the node (R-RSP-06)');
  return { verified, issuer };
}

function checkEnvelope(response: Element, _issuer: string, expected: ExpectedResponse): void {
  if (response.getAttribute('Version') !== '2.0') throw new MockEuError('RESPONSE_FORMAT', 'Version is not 2.0');
  if (response.getAttribute('Destination') !== expected.acsUrl) throw new MockEuError('RESPONSE_MISMATCH', 'Destination is not our ACS (R-RSP-05)');
  if (response.getAttribute('InResponseTo') !== expected.requestId) {
    throw new MockEuError('RESPONSE_UNSOLICITED', 'InResponseTo is not the pending request (R-RSP-17)');
  }
  const issued = Date.parse(response.getAttribute('IssueInstant') ?? '');
  const now = expected.now.getTime();
  if (Number.isNaN(issued) || issued > now + expected.skewMs || issued < now - expected.maxAgeMs - expected.skewMs) {
    throw new MockEuError('RESPONSE_EXPIRED', 'IssueInstant outside the accepted window');
  }
}

function readStatus(response: Element): { status: string; subStatus?: string; message?: string } {
  const status = onlyChild(response, NS.samlp, 'Status');
  const top = onlyChild(status, NS.samlp, 'StatusCode');
  const sub = optionalChild(top, NS.samlp, 'StatusCode');
  const message = optionalChild(status, NS.samlp, 'StatusMessage');
  return {
    status: top.getAttribute('Value') ?? '',
    ...(sub ? { subStatus: sub.getAttribute('Value') ?? '' } : {}),
    ...(message ? { message: strictText(message) } : {}),
  };
}
