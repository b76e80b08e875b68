/**
 * Refusals of the proxy-service flow itself (the fronts and backs have their own), and how any
 * failure after the requester was verified becomes the outcome the SAML front answers with
 * (DESIGN §1 step 7): FranceConnect's `acr` too low → NoAuthnContext, the citizen cancelled →
 * RequestDenied, a required attribute FranceConnect cannot give → InvalidAttrNameOrValue,
 * anything else about the login → AuthnFailed, our own faults → Responder.
 */
import { OidcRpError } from '../back/oidc-rp/index.ts';
import type { FlowFailure } from '../front/saml-idp/index.ts';
import { PivotError } from '../pivot/index.ts';

export const FLOW_REASONS = {
  /** No flow cookie, or its flow expired, ended or never existed: a citizen page, nothing sent. */
  FLOW_MISSING: 'no live proxy-service flow for this browser',
  /** The flow is not at the step this request belongs to (a replayed callback or form). */
  FLOW_STAGE: 'the flow is not at this step',
  /** The stored state is not one this code wrote. */
  FLOW_STATE: 'the stored flow state is unreadable',
  /** The consent form's token is missing or not this flow's (ATK-58 login CSRF). */
  CSRF: 'consent form token missing or wrong',
  /** The consent form is not a single accept / refuse decision (ATK-52). */
  DECISION: 'consent form malformed',
  /** The FranceConnect logout callback's state is missing, repeated or not this flow's: nothing is sent. */
  LOGOUT_STATE: 'logout callback state missing or wrong',
  /** FranceConnect's level satisfies the request but none we publish can be reported. */
  LOA_NOT_DELIVERABLE: 'no level we deliver lies between the request and what FranceConnect reached',
} as const;

export type FlowReason = keyof typeof FLOW_REASONS;

export class FlowError extends Error {
  override readonly name = 'FlowError';
  constructor(readonly reason: FlowReason) {
    super(`${reason}: ${FLOW_REASONS[reason]}`);
  }
}

export interface ClassifiedFailure {
  /** What the SAML front sends the connector. */
  failure: FlowFailure;
  /** The reason code to log (never a value). */
  reason: string;
}

const CLAIM_REASONS: ReadonlySet<string> = new Set(['CLAIM_MISSING', 'CLAIM_INVALID', 'IDENTIFIER_INVALID']);

/** The answer to the connector for a failure after its request was verified. */
export function classifyFailure(error: unknown): ClassifiedFailure {
  if (error instanceof OidcRpError) {
    const failure = error.outcome === 'loa-not-met' ? 'LOA_NOT_MET' : error.outcome === 'cancelled' ? 'AUTHN_CANCELLED' : 'AUTHN_FAILED';
    return { failure, reason: error.reason };
  }
  if (error instanceof PivotError) {
    if (error.reason === 'ATTRIBUTE_MISSING') return { failure: 'ATTR_REQUIRED_MISSING', reason: error.reason };
    if (error.reason.startsWith('LOA_')) return { failure: 'LOA_NOT_MET', reason: error.reason };
    if (CLAIM_REASONS.has(error.reason)) return { failure: 'AUTHN_FAILED', reason: error.reason };
    return { failure: 'INTERNAL', reason: error.reason };
  }
  if (error instanceof FlowError && error.reason === 'LOA_NOT_DELIVERABLE') return { failure: 'LOA_NOT_MET', reason: error.reason };
  if (error instanceof FlowError) return { failure: 'INTERNAL', reason: error.reason };
  return { failure: 'INTERNAL', reason: error instanceof Error ? error.name : 'INTERNAL' };
}
