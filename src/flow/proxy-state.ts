/**
 * What one proxy-service login keeps in the database between its legs (DESIGN §1 steps 3–6,
 * §5): the validated AuthnRequest, the FranceConnect login secrets while the citizen is at
 * FranceConnect, then the verified outcome (and FranceConnect's id_token, the logout's hint)
 * while the consent page waits with its CSRF token, then the answer due to the connector while
 * the citizen is at FranceConnect's end_session (with the logout state). Stored as JSON by the FlowStore under an opaque id; read back through
 * these schemas only (anything else is a broken flow, never a partly trusted one).
 */
import { z } from 'zod';
import type { FlowFailure, ValidatedRequest } from '../front/saml-idp/index.ts';

export const PROXY_FLOW_KIND = 'proxy-service';
/** DESIGN §5: a login lasts 30 minutes at most (FranceConnect's session length). */
export const PROXY_FLOW_TTL_MS = 30 * 60_000;

const validatedRequestSchema = z.strictObject({
  peerEntityId: z.string().min(1),
  acsUrl: z.string().min(1),
  requestId: z.string().min(1),
  relayState: z.string().optional(),
  binding: z.enum(['HTTP-POST', 'HTTP-Redirect', 'HTTP-GET-enveloped']),
  country: z.string().regex(/^[A-Z]{2}$/),
  issueInstant: z.string(),
  loa: z.strictObject({
    comparison: z.enum(['minimum', 'exact']),
    requested: z.array(z.string()),
    acceptable: z.array(z.string()),
  }),
  attributes: z.array(z.strictObject({ name: z.string(), friendlyName: z.string(), isRequired: z.boolean() })),
  spType: z.enum(['public', 'private']),
  nameIdFormat: z.string(),
  providerName: z.string().optional(),
  requesterId: z.string().optional(),
});

const outcomeSchema = z.strictObject({
  /** The eIDAS attributes, in the order they will be sent. */
  attributes: z.array(z.strictObject({ name: z.string(), friendlyName: z.string(), values: z.array(z.string()).min(1) })),
  /** The AuthnContextClassRef of the level reached. */
  loa: z.string(),
  /** The PersonIdentifier: also the persistent NameID. */
  nameId: z.string(),
  authnInstant: z.iso.datetime(),
});

const atFranceConnect = z.strictObject({
  stage: z.literal('franceconnect'),
  request: validatedRequestSchema,
  /** LoginSecrets of the OIDC RP; it validates them itself (parseLoginSecrets). */
  login: z.record(z.string(), z.unknown()),
  csrf: z.string().min(43),
});

/** FranceConnect's signed id_token, the id_token_hint of the logout (a bearer secret: never logged). */
const idTokenHint = z.string().min(1).max(32_768);

const awaitingConsent = z.strictObject({
  stage: z.literal('consent'),
  request: validatedRequestSchema,
  outcome: outcomeSchema,
  csrf: z.string().min(43),
  idTokenHint,
});

const FLOW_FAILURES = ['CONSENT_REFUSED', 'AUTHN_CANCELLED', 'AUTHN_FAILED', 'LOA_NOT_MET', 'ATTR_REQUIRED_MISSING', 'INTERNAL'] as const;

/** What the connector will be sent once FranceConnect's logout is done: built then, so it is fresh. */
const answerSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('success'), outcome: outcomeSchema }),
  z.strictObject({ kind: z.literal('failure'), failure: z.enum(FLOW_FAILURES) }),
]);

const atLogout = z.strictObject({
  stage: z.literal('logout'),
  request: validatedRequestSchema,
  answer: answerSchema,
  /** The state sent to FranceConnect's end_session; the logout callback must bring it back. */
  logoutState: z.string().min(43),
});

const stateSchema = z.discriminatedUnion('stage', [atFranceConnect, awaitingConsent, atLogout]);

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compile-time guard: the schema is exactly the front's ValidatedRequest (a new field breaks the build). */
const SCHEMA_MATCHES_FRONT: Same<z.infer<typeof validatedRequestSchema>, ValidatedRequest> = true;
void SCHEMA_MATCHES_FRONT;
/** Compile-time guard: the stored failures are exactly the front's FlowFailure. */
const FAILURES_MATCH_FRONT: Same<(typeof FLOW_FAILURES)[number], FlowFailure> = true;
void FAILURES_MATCH_FRONT;

export type ProxyOutcome = z.infer<typeof outcomeSchema>;
export type ProxyFlowState = z.infer<typeof stateSchema>;
export type AtFranceConnect = z.infer<typeof atFranceConnect>;
export type AwaitingConsent = z.infer<typeof awaitingConsent>;
export type AtLogout = z.infer<typeof atLogout>;
export type ProxyAnswer = z.infer<typeof answerSchema>;

/** The stored state, or undefined when it is not one this code wrote. */
export function readProxyState(stored: unknown): ProxyFlowState | undefined {
  const parsed = stateSchema.safeParse(stored);
  return parsed.success ? parsed.data : undefined;
}

/** The stored request as the SAML front handed it (the schema above is its exact shape). */
export function storedRequest(state: ProxyFlowState): ValidatedRequest {
  return state.request as ValidatedRequest;
}
