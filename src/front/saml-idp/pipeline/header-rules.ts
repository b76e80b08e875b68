/**
 * The AuthnRequest's own attributes and flags, one rule per function (R-MSG-01..04, 07, 08, 10,
 * 12, R-SEC-05, ATK-40, ATK-42, ATK-48). Each reads the verified element only.
 */
import { NS, childElements, refuse } from '../../../saml/index.ts';
import { isNcName } from '../../../saml/signature-shape.ts';
import { BINDING_URI, CONSENT_URIS } from '../constants.ts';
import { refuseRequest } from '../errors.ts';
import type { ReplayGuard } from '../types.ts';
import { booleanAttribute, optionalAttribute, parseUtcDateTime } from './read.ts';

/** Longest request ID kept (the replay store takes up to 1024 characters). */
export const MAX_REQUEST_ID_LENGTH = 256;

/** R-MSG-01: an xs:ID we can answer with InResponseTo. A bad ID leaves nothing to answer: page. */
export function readRequestId(request: Element): string {
  const id = optionalAttribute(request, 'ID');
  if (id === undefined || !isNcName(id) || id.length > MAX_REQUEST_ID_LENGTH) refuse('SCHEMA', 'ID missing or not an xs:ID');
  return id;
}

/** R-MSG-02. */
export function checkVersion(request: Element): void {
  if (optionalAttribute(request, 'Version') !== '2.0') refuseRequest('VERSION');
}

export interface TimeWindow {
  now: Date;
  maxAgeSeconds: number;
  skewSeconds: number;
}

/** R-MSG-03, ATK-42: strict UTC, not older than the window, not in the future beyond the skew. */
export function checkIssueInstant(request: Element, window: TimeWindow): Date {
  const raw = optionalAttribute(request, 'IssueInstant');
  const issued = raw === undefined ? undefined : parseUtcDateTime(raw);
  if (!issued) refuseRequest('TIME', 'IssueInstant missing or not a UTC xs:dateTime');
  const now = window.now.getTime();
  if (issued.getTime() > now + window.skewSeconds * 1000) refuseRequest('TIME', 'IssueInstant in the future');
  if (issued.getTime() < now - (window.maxAgeSeconds + window.skewSeconds) * 1000) refuseRequest('TIME', 'request too old');
  return issued;
}

/** R-MSG-04, ATK-40: present and equal, as a string, to our configured SSO URL (never from headers). */
export function checkDestination(request: Element, ssoUrl: string): void {
  const destination = optionalAttribute(request, 'Destination');
  if (destination === undefined) refuseRequest('DESTINATION', 'Destination missing');
  if (destination !== ssoUrl) refuseRequest('DESTINATION', 'Destination is not our SSO endpoint');
}

/** R-MSG-07: the reference node refuses a request without ForceAuthn="true"; so do we. */
export function checkForceAuthn(request: Element): void {
  if (booleanAttribute(request, 'ForceAuthn', false, 'FORCE_AUTHN') !== true) refuseRequest('FORCE_AUTHN');
}

/** R-MSG-08: FranceConnect always shows a login, so a passive request gets NoPassive. */
export function checkIsPassive(request: Element): void {
  if (booleanAttribute(request, 'IsPassive', false, 'IS_PASSIVE') !== false) refuseRequest('IS_PASSIVE');
}

/** R-MSG-10: responses go by HTTP-POST only. */
export function checkProtocolBinding(request: Element): void {
  const binding = optionalAttribute(request, 'ProtocolBinding');
  if (binding !== undefined && binding !== BINDING_URI.POST) refuseRequest('PROTOCOL_BINDING', 'only HTTP-POST responses');
}

/** R-MSG-12. */
export function checkConsent(request: Element): void {
  const consent = optionalAttribute(request, 'Consent');
  if (consent !== undefined && !CONSENT_URIS.includes(consent)) refuseRequest('CONSENT_VALUE');
}

/** A request naming its Subject asks for one given person: FranceConnect cannot be told that. */
export function checkNoSubject(request: Element): void {
  if (childElements(request, NS.saml, 'Subject').length > 0) refuseRequest('SUBJECT', 'Subject in an AuthnRequest is not supported');
}

/**
 * R-MSG-01, R-SEC-05, ATK-38: one atomic insert (issuer, ID) kept until the request could no
 * longer pass the time check; a second sight of the ID is a replay (PS-400).
 */
export async function markNotReplayed(replay: ReplayGuard, issuer: string, id: string, issued: Date, window: TimeWindow): Promise<void> {
  const lastAccepted = issued.getTime() + (window.maxAgeSeconds + window.skewSeconds) * 1000;
  const expiresAt = new Date(Math.max(lastAccepted, window.now.getTime()) + 1000);
  if ((await replay.markSeen(issuer, id, expiresAt)) !== true) refuseRequest('REPLAY');
}
