/**
 * The proxy service (DESIGN §1, steps 1–7): the SAML IdP front paired with the OIDC RP toward
 * FranceConnect, through the mapping core. Every step keeps its state in the database under the
 * flow cookie's opaque id, so any instance can take the next step (DESIGN §5):
 *   SSO (front validated the AuthnRequest) → flow stored, cookie set → 303 to FranceConnect;
 *   callback → login verified and mapped → flow at "consent" → 303 to the consent page;
 *   consent page (GET) → decision (POST, token-bound) → flow consumed once → the answer kept,
 *   303 to FranceConnect's end_session (proxy-logout.ts) → logout callback (state checked, flow
 *   consumed once) → the signed Response (accept) or RequestDenied (refuse) auto-posted to the
 *   ACS from metadata. A failure after FranceConnect issued an id_token takes the same way out.
 * Before a flow exists for this browser the citizen gets an error page and nothing is sent;
 * once the requester is verified every failure becomes a signed error Response (errors.ts).
 */
import { randomBytes } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import {
  FRANCECONNECT_CALLBACK_PATH,
  FRANCECONNECT_JWKS_PATH,
  FRANCECONNECT_LOGOUT_CALLBACK_PATH,
  type OidcRp,
  type VerifiedLogin,
} from '../back/oidc-rp/index.ts';
import type { FlowFailure, SamlIdp, ValidatedRequest } from '../front/saml-idp/index.ts';
import type { Clock, FlowStore } from '../storage/index.ts';
import type { Logger } from '../util/logger.ts';
import { citizenError, newSupportCode, requestLanguage, type ErrorKind } from '../web/index.ts';
import { classifyFailure, FlowError, type FlowReason } from './errors.ts';
import { clearFlowCookie, flowIdOf, setFlowCookie, type FlowCookieSettings } from './flow-cookie.ts';
import { PROXY_CONSENT_PATH, readDecision, sendConsentPage } from './proxy-consent.ts';
import { answerThroughLogout, logoutStateMatches, sendAnswer } from './proxy-logout.ts';
import { franceConnectRequestOf, outcomeOf, type MappingSettings } from './proxy-mapping.ts';
import { PROXY_FLOW_KIND, PROXY_FLOW_TTL_MS, readProxyState, storedRequest, type AwaitingConsent, type ProxyFlowState } from './proxy-state.ts';

export interface ProxyServiceDeps {
  idp: SamlIdp;
  rp: OidcRp;
  flows: FlowStore;
  mapping: MappingSettings;
  /** The node is reached over HTTPS: cookies are Secure. */
  secureCookies: boolean;
  logger: Logger;
  clock: Clock;
}

type Loaded = { id: string; state: ProxyFlowState };

export function proxyServiceRouter(deps: ProxyServiceDeps): Router {
  const router = express.Router();
  const cookie: FlowCookieSettings = { secure: deps.secureCookies, maxAgeMs: PROXY_FLOW_TTL_MS };
  const consentForm = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 10 });
  router.use(deps.idp.router((req, res, validated) => startLogin(deps, cookie, req, res, validated)));
  router.get(FRANCECONNECT_CALLBACK_PATH, guarded(deps, (req, res) => finishLogin(deps, cookie, req, res)));
  router.get(PROXY_CONSENT_PATH, guarded(deps, (req, res) => showConsent(deps, req, res)));
  router.post(PROXY_CONSENT_PATH, consentForm, guarded(deps, (req, res) => decide(deps, cookie, req, res)));
  router.get(FRANCECONNECT_LOGOUT_CALLBACK_PATH, guarded(deps, (req, res) => finishLogout(deps, cookie, req, res)));
  router.get(FRANCECONNECT_JWKS_PATH, guarded(deps, async (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(await deps.rp.publicJwks());
  }));
  return router;
}

/** Step 3: the verified request is stored, the browser goes to FranceConnect. */
async function startLogin(deps: ProxyServiceDeps, cookie: FlowCookieSettings, req: Request, res: Response, validated: ValidatedRequest): Promise<void> {
  let started: Awaited<ReturnType<OidcRp['startLogin']>>;
  try {
    const { acrValues, scopes } = franceConnectRequestOf(validated, deps.mapping.platform);
    started = await deps.rp.startLogin({ acrValues, scopes, uiLocales: requestLanguage(req) });
  } catch (e) {
    await answerFailure(deps, req, res, validated, e);
    return;
  }
  const csrf = randomBytes(32).toString('base64url');
  const state: ProxyFlowState = { stage: 'franceconnect', request: validated, login: { ...started.secrets }, csrf };
  const flow = await deps.flows.create(PROXY_FLOW_KIND, state, PROXY_FLOW_TTL_MS);
  setFlowCookie(res, flow.id, cookie);
  deps.logger.info({ event: 'proxy.login.started', issuer: validated.peerEntityId, requestId: validated.requestId }, 'sent to FranceConnect');
  res.set('Cache-Control', 'no-store').redirect(303, started.url.href);
}

/** Step 4: FranceConnect's answer, verified and mapped, waits for the citizen's consent. */
async function finishLogin(deps: ProxyServiceDeps, cookie: FlowCookieSettings, req: Request, res: Response): Promise<void> {
  const loaded = await loadFlow(deps, req);
  if (typeof loaded === 'string') return refuse(deps, res, loaded);
  const { id, state } = loaded;
  if (state.stage === 'consent') {
    res.set('Cache-Control', 'no-store').redirect(303, PROXY_CONSENT_PATH); // a reload: the login is already done
    return;
  }
  if (state.stage !== 'franceconnect') return refuse(deps, res, 'FLOW_STAGE'); // already at the logout
  const request = storedRequest(state);
  let login: VerifiedLogin;
  try {
    login = await deps.rp.finishLogin(new URLSearchParams(rawQuery(req)), state.login);
  } catch (e) {
    // No verified id_token: nothing to log out of at FranceConnect, the answer goes out now.
    const owned = await deps.flows.consume(id, PROXY_FLOW_KIND);
    clearFlowCookie(res, cookie);
    // Only the request that ended the flow answers: a racing callback (or decision) already did.
    if (!owned) return refuse(deps, res, 'FLOW_MISSING');
    await answerFailure(deps, req, res, request, e);
    return;
  }
  let next: AwaitingConsent;
  try {
    next = { stage: 'consent', request: state.request, outcome: outcomeOf(request, login, deps.mapping, deps.clock()), csrf: state.csrf, idTokenHint: login.idTokenHint };
  } catch (e) {
    const owned = await deps.flows.consume(id, PROXY_FLOW_KIND);
    if (!owned) {
      clearFlowCookie(res, cookie);
      return refuse(deps, res, 'FLOW_MISSING');
    }
    const failure = logFailure(deps, request, e);
    await answerThroughLogout(deps, cookie, req, res, { request, answer: { kind: 'failure', failure }, idTokenHint: login.idTokenHint, expiresAt: owned.expiresAt });
    return;
  }
  if (!(await deps.flows.update(id, PROXY_FLOW_KIND, next))) return refuse(deps, res, 'FLOW_MISSING');
  res.set('Cache-Control', 'no-store').redirect(303, PROXY_CONSENT_PATH);
}

/** Step 5: the consent page. */
async function showConsent(deps: ProxyServiceDeps, req: Request, res: Response): Promise<void> {
  const loaded = await loadFlow(deps, req);
  if (typeof loaded === 'string') return refuse(deps, res, loaded);
  if (loaded.state.stage !== 'consent') return refuse(deps, res, 'FLOW_STAGE');
  sendConsentPage(req, res, loaded.state, deps.secureCookies);
}

/** Step 6: the decision; the flow is consumed exactly once, whatever races with it. */
async function decide(deps: ProxyServiceDeps, cookie: FlowCookieSettings, req: Request, res: Response): Promise<void> {
  const loaded = await loadFlow(deps, req);
  if (typeof loaded === 'string') return refuse(deps, res, loaded);
  if (loaded.state.stage !== 'consent') return refuse(deps, res, 'FLOW_STAGE');
  let decision: 'accept' | 'refuse';
  try {
    decision = readDecision(req.body, loaded.state);
  } catch (e) {
    if (e instanceof FlowError) return refuse(deps, res, e.reason);
    throw e;
  }
  const consumed = await deps.flows.consume(loaded.id, PROXY_FLOW_KIND);
  const state = consumed && readProxyState(consumed.state);
  if (!consumed || !state || state.stage !== 'consent') {
    clearFlowCookie(res, cookie);
    return refuse(deps, res, 'FLOW_MISSING');
  }
  const request = storedRequest(state);
  deps.logger.info({ event: 'proxy.consent', decision, issuer: request.peerEntityId, requestId: request.requestId }, `consent: ${decision}`);
  const answer = decision === 'refuse' ? ({ kind: 'failure', failure: 'CONSENT_REFUSED' } as const) : ({ kind: 'success', outcome: state.outcome } as const);
  await answerThroughLogout(deps, cookie, req, res, { request, answer, idTokenHint: state.idTokenHint, expiresAt: consumed.expiresAt });
}

/** Step 7: back from FranceConnect's logout with this flow's state → the kept answer, sent once. */
async function finishLogout(deps: ProxyServiceDeps, cookie: FlowCookieSettings, req: Request, res: Response): Promise<void> {
  const loaded = await loadFlow(deps, req);
  if (typeof loaded === 'string') return refuse(deps, res, loaded);
  if (loaded.state.stage !== 'logout') return refuse(deps, res, 'FLOW_STAGE');
  if (!logoutStateMatches(new URLSearchParams(rawQuery(req)), loaded.state)) return refuse(deps, res, 'LOGOUT_STATE');
  const consumed = await deps.flows.consume(loaded.id, PROXY_FLOW_KIND);
  const state = consumed && readProxyState(consumed.state);
  clearFlowCookie(res, cookie);
  if (!state || state.stage !== 'logout') return refuse(deps, res, 'FLOW_MISSING');
  const request = storedRequest(state);
  deps.logger.info({ event: 'proxy.logout.done', issuer: request.peerEntityId, requestId: request.requestId }, 'back from FranceConnect logout');
  await sendAnswer(deps, req, res, request, state.answer);
}

async function loadFlow(deps: ProxyServiceDeps, req: Request): Promise<Loaded | FlowReason> {
  const id = flowIdOf(req);
  const flow = id === undefined ? undefined : await deps.flows.get(id, PROXY_FLOW_KIND);
  if (!id || !flow) return 'FLOW_MISSING';
  const state = readProxyState(flow.state);
  if (!state) {
    await deps.flows.consume(id, PROXY_FLOW_KIND); // never resumed in an unknown shape
    return 'FLOW_STATE';
  }
  return { id, state };
}

/** A failure after the requester was verified: the signed error Response of its kind. */
async function answerFailure(deps: ProxyServiceDeps, req: Request, res: Response, request: ValidatedRequest, error: unknown): Promise<void> {
  await deps.idp.sendFailure(req, res, request, logFailure(deps, request, error));
}

function logFailure(deps: ProxyServiceDeps, request: ValidatedRequest, error: unknown): FlowFailure {
  const { failure, reason } = classifyFailure(error);
  deps.logger.warn({ event: 'proxy.login.failed', reason, failure, issuer: request.peerEntityId, requestId: request.requestId }, 'proxy-service login failed');
  return failure;
}

const PAGE_OF: Readonly<Record<FlowReason, { status: number; kind: ErrorKind }>> = {
  FLOW_MISSING: { status: 400, kind: 'session-expired' },
  FLOW_STAGE: { status: 400, kind: 'session-expired' },
  FLOW_STATE: { status: 500, kind: 'internal' },
  CSRF: { status: 400, kind: 'request-invalid' },
  DECISION: { status: 400, kind: 'request-invalid' },
  LOGOUT_STATE: { status: 400, kind: 'request-invalid' },
  LOA_NOT_DELIVERABLE: { status: 500, kind: 'internal' },
};

/** No answer may go to the connector: the citizen page, with a support code the log carries too. */
function refuse(deps: ProxyServiceDeps, res: Response, reason: FlowReason): void {
  const supportCode = newSupportCode();
  deps.logger.warn({ event: 'proxy.flow.refused', reason, supportCode }, 'proxy-service flow refused');
  citizenError(res, PAGE_OF[reason].status, PAGE_OF[reason].kind, undefined, { supportCode });
}

/** Unexpected failures (the database gone…): a citizen page, never a stack trace. */
function guarded(deps: ProxyServiceDeps, handler: (req: Request, res: Response) => Promise<void>) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      await handler(req, res);
    } catch (e) {
      const supportCode = newSupportCode();
      deps.logger.error({ event: 'proxy.flow.error', error: e instanceof Error ? e.name : 'unknown', supportCode }, 'proxy-service step failed');
      citizenError(res, 500, 'internal', undefined, { supportCode });
    }
  };
}

/** The callback's query exactly as received (one value per parameter is checked by the RP). */
function rawQuery(req: Request): string {
  const q = req.originalUrl.indexOf('?');
  return q < 0 ? '' : req.originalUrl.slice(q + 1);
}
