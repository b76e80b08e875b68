/**
 * FranceConnect's RP-initiated logout inside the proxy-service flow (franceconnect.md §3.2 and
 * fact 10: eIDAS has no single logout, so the login ends at FranceConnect's end_session with
 * the id_token_hint, our registered post_logout_redirect_uri and a state). Once the answer to
 * the connector is decided, it is kept in a flow of its own (the rest of the login's lifetime),
 * the browser goes to end_session, and only the logout callback carrying that flow's state
 * sends the answer, exactly once. The Response is built and signed at that moment, so its
 * validity window starts when it leaves.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { OidcRpError } from '../back/oidc-rp/index.ts';
import type { ValidatedRequest } from '../front/saml-idp/index.ts';
import { clearFlowCookie, setFlowCookie, type FlowCookieSettings } from './flow-cookie.ts';
import type { ProxyServiceDeps } from './proxy-service.ts';
import { PROXY_FLOW_KIND, type AtLogout, type ProxyAnswer } from './proxy-state.ts';

export interface LogoutLeg {
  request: ValidatedRequest;
  answer: ProxyAnswer;
  /** VerifiedLogin.idTokenHint of this login. */
  idTokenHint: string;
  /** When the login's flow ends: the logout leg never outlives it (DESIGN §5). */
  expiresAt: Date;
}

/** The decided answer, auto-posted to the connector's ACS now. */
export async function sendAnswer(deps: ProxyServiceDeps, req: Request, res: Response, request: ValidatedRequest, answer: ProxyAnswer): Promise<void> {
  if (answer.kind === 'failure') {
    await deps.idp.sendFailure(req, res, request, answer.failure);
    return;
  }
  const { attributes, loa, nameId, authnInstant } = answer.outcome;
  await deps.idp.sendSuccess(req, res, request, {
    attributes: attributes.map((a) => ({ name: a.name, values: a.values })),
    loa,
    nameId,
    authnInstant: new Date(authnInstant),
  });
}

/**
 * Keeps the answer and sends the browser to FranceConnect's end_session. When no logout URL can
 * be made (the OP announces no end_session_endpoint…), the answer goes out directly: the logout
 * is owed to FranceConnect, it checks nothing the connector relies on.
 */
export async function answerThroughLogout(deps: ProxyServiceDeps, cookie: FlowCookieSettings, req: Request, res: Response, leg: LogoutLeg): Promise<void> {
  const { request } = leg;
  const logoutState = randomBytes(32).toString('base64url');
  let url: URL;
  try {
    url = await deps.rp.logoutUrl({ idTokenHint: leg.idTokenHint, state: logoutState });
  } catch (e) {
    const reason = e instanceof OidcRpError ? e.reason : e instanceof Error ? e.name : 'unknown';
    deps.logger.warn({ event: 'proxy.logout.skipped', reason, issuer: request.peerEntityId, requestId: request.requestId }, 'FranceConnect logout not possible');
    clearFlowCookie(res, cookie);
    await sendAnswer(deps, req, res, request, leg.answer);
    return;
  }
  const ttlMs = Math.max(1, Math.ceil(leg.expiresAt.getTime() - deps.clock().getTime()));
  const state: AtLogout = { stage: 'logout', request, answer: leg.answer, logoutState };
  const flow = await deps.flows.create(PROXY_FLOW_KIND, state, ttlMs);
  setFlowCookie(res, flow.id, { ...cookie, maxAgeMs: ttlMs });
  deps.logger.info({ event: 'proxy.logout.started', issuer: request.peerEntityId, requestId: request.requestId }, 'sent to FranceConnect logout');
  res.set('Cache-Control', 'no-store').redirect(303, url.href);
}

/** The logout callback brings back exactly one `state`, this flow's (constant-time comparison). */
export function logoutStateMatches(query: URLSearchParams, state: AtLogout): boolean {
  const given = query.getAll('state');
  if (given.length !== 1) return false;
  const a = Buffer.from(given[0]!, 'utf8');
  const b = Buffer.from(state.logoutState, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
