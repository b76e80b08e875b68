/**
 * The validation pipeline after binding decoding (DESIGN §1 step 2), one step per function:
 *   1. authenticate: parse → claimed Issuer → connector in the registry → signature with its
 *      metadata keys → ACS from its metadata. Any failure: PS-400, nothing is sent anywhere.
 *   2. every R-MSG rule on the verified element. Any failure: an AfterAuthentication error that
 *      carries where a signed error Response may go (wire.ts decides what is sent).
 * The output is a plain ValidatedRequest for the flow state.
 */
import type { DecodedMessage } from '../binding/decode.ts';
import { AfterAuthentication } from '../errors.ts';
import type { ConnectorPeer, ReplyTarget, SamlIdpDeps, SamlIdpSettings, ValidatedRequest } from '../types.ts';
import { resolveAcs } from './acs.ts';
import { readRequestedLoa } from './authn-context.ts';
import { checkVerifiedIssuer, parseAuthnRequest, readIssuer, resolveConnector, verifyRequestSignature } from './authenticate.ts';
import { checkNoNodeCountry, readExtensions, readSpType } from './extensions.ts';
import {
  checkConsent,
  checkDestination,
  checkForceAuthn,
  checkIsPassive,
  checkIssueInstant,
  checkNoSubject,
  checkProtocolBinding,
  checkVersion,
  markNotReplayed,
  readRequestId,
  type TimeWindow,
} from './header-rules.ts';
import { readRequestedAttributes } from './requested-attributes.ts';
import { checkRequesterIdPolicy, readNameIdFormat, readProviderName, readRequesterId } from './requester.ts';

export const DEFAULT_MAX_AGE_SECONDS = 300;
export const DEFAULT_SKEW_SECONDS = 60;

export async function validateAuthnRequest(
  decoded: DecodedMessage,
  settings: SamlIdpSettings,
  deps: SamlIdpDeps,
): Promise<ValidatedRequest> {
  const root = parseAuthnRequest(decoded.xml);
  const peer = await resolveConnector(deps.peers, readIssuer(root));
  const request = await verifyRequestSignature(root, decoded, peer, deps.peers, settings.verifyPolicy(peer.entityId));
  checkVerifiedIssuer(request, peer);
  const target: ReplyTarget = {
    peerEntityId: peer.entityId,
    acsUrl: resolveAcs(request, peer),
    requestId: readRequestId(request),
    ...(decoded.relayState !== undefined ? { relayState: decoded.relayState } : {}),
  };
  try {
    return await checkRules(request, peer, target, decoded, settings, deps);
  } catch (e) {
    throw new AfterAuthentication(target, e);
  }
}

async function checkRules(
  request: Element,
  peer: ConnectorPeer,
  target: ReplyTarget,
  decoded: DecodedMessage,
  settings: SamlIdpSettings,
  deps: SamlIdpDeps,
): Promise<ValidatedRequest> {
  const window: TimeWindow = {
    now: deps.clock(),
    maxAgeSeconds: settings.requestMaxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS,
    skewSeconds: settings.clockSkewSeconds ?? DEFAULT_SKEW_SECONDS,
  };
  checkVersion(request);
  const issued = checkIssueInstant(request, window);
  await markNotReplayed(deps.replay, peer.entityId, target.requestId, issued, window);
  checkDestination(request, settings.ssoUrl);
  checkForceAuthn(request);
  checkIsPassive(request);
  checkProtocolBinding(request);
  checkConsent(request);
  checkNoSubject(request);
  const nameIdFormat = readNameIdFormat(request);
  const loa = readRequestedLoa(request, settings.loas);
  const extensions = readExtensions(request);
  checkNoNodeCountry(extensions);
  const spType = readSpType(extensions, peer);
  const attributes = readRequestedAttributes(extensions, settings.attributes);
  const providerName = readProviderName(request);
  const requesterId = readRequesterId(request);
  checkRequesterIdPolicy(spType, requesterId, settings.requireRequesterIdForPrivate === true);
  return {
    ...target,
    binding: decoded.binding,
    country: peer.country,
    issueInstant: issued.toISOString(),
    loa,
    attributes,
    spType,
    nameIdFormat,
    ...(providerName !== undefined ? { providerName } : {}),
    ...(requesterId !== undefined ? { requesterId } : {}),
  };
}
