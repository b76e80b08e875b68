/**
 * Our Response to a connector (issue 4 item 5, R-RSP, R-CRY, ATK-53):
 *   success: Assertion built with the DOM → structure re-checked → Assertion signed → encrypted to
 *            the connector's metadata certificate → Response signed;
 *   error:   Response with the status, no Assertion, signed (R-RSP-01, R-RSP-07).
 * Signing key: our active message-signing key; algorithms per connector (algorithms.ts).
 */
import { encryptElement, serializeXml, signElement } from '../../../saml/index.ts';
import { NAMEID_FORMAT } from '../constants.ts';
import { refuseRequest } from '../errors.ts';
import type { ConnectorPeer, ReplyTarget, SamlIdpDeps, SamlIdpSettings, SamlStatus, ValidatedRequest } from '../types.ts';
import { chooseEncryption, chooseSigning } from './algorithms.ts';
import { attributeStatement, prepareAttributes, type OutgoingAttribute } from './attributes.ts';
import { checkBuiltResponse } from './check.ts';
import { SUCCESS, assertionElement, responseDocument } from './elements.ts';
import { checkXmlText, newMessageId } from './xml.ts';

/** A success is only ever sent after the citizen accepted on our consent page (R-SEC-11). */
const CONSENT_OBTAINED = 'urn:oasis:names:tc:SAML:2.0:consent:obtained';

export const DEFAULT_ASSERTION_VALIDITY_SECONDS = 300;

/** What the flow knows once the citizen is authenticated and agreed. */
export interface SuccessOutcome {
  /** eIDAS attribute values (mapped from the pivot identity). */
  attributes: OutgoingAttribute[];
  /** The level actually reached (an eIDAS LoA URI): must be one the request accepts. */
  loa: string;
  /** The persistent NameID value (the PersonIdentifier). */
  nameId: string;
  /** When the citizen authenticated at FranceConnect; default: now. */
  authnInstant?: Date;
}

export interface BuiltResponse {
  xml: string;
  responseId: string;
  assertionId?: string;
}

type Context = { settings: SamlIdpSettings; deps: SamlIdpDeps };

export async function buildSuccessResponse(request: ValidatedRequest, outcome: SuccessOutcome, ctx: Context): Promise<BuiltResponse> {
  const peer = connectorFor(request, ctx);
  if (!request.loa.acceptable.includes(outcome.loa)) refuseRequest('LOA_NOT_MET', 'the level reached is not one the request accepts');
  const attributes = prepareAttributes(request, outcome.attributes, ctx.settings.nodeCountry);
  const now = ctx.deps.clock();
  const validity = (ctx.settings.assertionValiditySeconds ?? DEFAULT_ASSERTION_VALIDITY_SECONDS) * 1000;
  const nameId = nameIdFor(request, outcome.nameId);
  const responseId = newMessageId();
  const assertionId = newMessageId();
  const { doc, response } = responseDocument(
    { id: responseId, issueInstant: now, inResponseTo: request.requestId, destination: request.acsUrl, issuer: ctx.settings.entityId, consent: CONSENT_OBTAINED },
    SUCCESS,
  );
  const assertion = assertionElement(doc, {
    id: assertionId,
    issueInstant: now,
    notOnOrAfter: new Date(now.getTime() + validity),
    issuer: ctx.settings.entityId,
    nameId,
    inResponseTo: request.requestId,
    recipient: request.acsUrl,
    audience: peer.entityId,
    authnInstant: outcome.authnInstant ?? now,
    loa: outcome.loa,
  });
  assertion.appendChild(attributeStatement(doc, attributes));
  response.appendChild(assertion);
  checkBuiltResponse(doc, nameId.value, attributes);

  const signing = signingFor(peer, ctx);
  await signElement(assertion, signing);
  await encryptElement(assertion, chooseEncryption(peer));
  await signElement(response, signing);
  return { xml: serializeXml(doc), responseId, assertionId };
}

export async function buildErrorResponse(target: ReplyTarget, status: SamlStatus, ctx: Context): Promise<BuiltResponse> {
  const peer = connectorFor(target, ctx);
  const responseId = newMessageId();
  const { doc, response } = responseDocument(
    { id: responseId, issueInstant: ctx.deps.clock(), inResponseTo: target.requestId, destination: target.acsUrl, issuer: ctx.settings.entityId },
    status,
  );
  await signElement(response, signingFor(peer, ctx));
  return { xml: serializeXml(doc), responseId };
}

/** The connector as its metadata says now (R-SEC-02): gone or changed role means nothing is sent. */
function connectorFor(target: ReplyTarget, ctx: Context): ConnectorPeer {
  const peer = ctx.deps.peers.get(target.peerEntityId);
  if (!peer || peer.role !== 'connector') refuseRequest('PEER_GONE');
  if (!peer.assertionConsumerServices.some((a) => a.location === target.acsUrl)) refuseRequest('PEER_GONE', 'the ACS left the metadata');
  return peer;
}

/** R-RSP-10: the persistent identifier, or a fresh one-time value when transient was asked. */
function nameIdFor(request: ValidatedRequest, persistent: string): { format: string; value: string } {
  if (request.nameIdFormat === NAMEID_FORMAT.TRANSIENT) return { format: NAMEID_FORMAT.TRANSIENT, value: newMessageId() };
  if (typeof persistent !== 'string' || persistent === '' || /\s/.test(persistent) || persistent.length > 256) {
    refuseRequest('OUT_ATTRIBUTE_VALUE', 'the NameID value is not a usable identifier');
  }
  return { format: request.nameIdFormat, value: checkXmlText(persistent, 'NameID') };
}

function signingFor(peer: ConnectorPeer, ctx: Context) {
  const key = ctx.deps.keys.active('signing');
  if (!key.privateKey) throw new Error('the active signing key has no private key loaded');
  const choice = chooseSigning(peer, key.privateKey);
  return { key: key.privateKey, certificate: key.certificate, algorithm: choice.algorithm, digest: choice.digest };
}
