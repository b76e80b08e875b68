/**
 * Routes of the mock EU country (absolute paths, mounted at the application root):
 *   GET  /mock/eu/connector/metadata  signed Connector metadata
 *   POST /mock/eu/connector/acs       the node's Response → result or refusal page
 *   GET  /mock/eu/autopost.js         the auto-submit script of the POST binding page
 *   GET  /demo/eu                     "Log in with your eIDAS" start page
 *   POST /demo/eu/login               country + LoA chosen → AuthnRequest to the node
 */
import express, { type Request, type Response, type Router } from 'express';
import { XML_REASONS, XmlSecurityError } from '../../saml/errors.ts';
import { NOTIFIED_LOAS, buildAuthnRequest, type NotifiedLoa } from './authn-request.ts';
import { AUTOPOST_SCRIPT, AUTOPOST_SCRIPT_PATH, postFormPage, redirectUrl } from './bindings.ts';
import { MOCK_EU_REASONS, MockEuError } from './errors.ts';
import type { MockKeys } from './keys.ts';
import type { NodeMetadataSource } from './node-metadata.ts';
import { DEMO_PATH, LOGIN_PATH, errorPage, refusalPage, resultPage, startPage } from './pages.ts';
import type { PendingRequests } from './pending.ts';
import { verifyNodeResponse } from './response.ts';

export const METADATA_PATH = '/mock/eu/connector/metadata';
export const ACS_PATH = '/mock/eu/connector/acs';

export interface MockRouterContext {
  entityId: string;
  acsUrl: string;
  keys: MockKeys;
  node: NodeMetadataSource;
  pending: PendingRequests;
  metadata: () => Promise<string>;
  spTypeInRequest: 'public' | undefined;
  clock: () => Date;
  skewMs: number;
}

const RESPONSE_MAX_AGE_MS = 5 * 60_000;

export function mockEuRouter(ctx: MockRouterContext): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 10 });
  router.get(METADATA_PATH, async (_req, res, next) => {
    try {
      res.type('application/samlmetadata+xml').set('Cache-Control', 'max-age=300').send(await ctx.metadata());
    } catch (e) {
      next(e);
    }
  });
  router.get(AUTOPOST_SCRIPT_PATH, (_req, res) => {
    res.type('application/javascript').set('Cache-Control', 'max-age=3600').send(AUTOPOST_SCRIPT);
  });
  router.get(DEMO_PATH, (_req, res) => page(res, 200, startPage()));
  router.post(LOGIN_PATH, form, (req, res) => guarded(res, () => startLogin(ctx, req, res)));
  router.post(ACS_PATH, form, (req, res) => guarded(res, () => consumeResponse(ctx, req, res)));
  return router;
}

async function startLogin(ctx: MockRouterContext, req: Request, res: Response): Promise<void> {
  const body = formBody(req);
  const loa = body.loa ?? NOTIFIED_LOAS[1];
  const binding = body.binding ?? 'post';
  if (body.country !== 'FR' || !(NOTIFIED_LOAS as readonly string[]).includes(loa) || !['post', 'redirect'].includes(binding)) {
    throw new MockEuError('BAD_REQUEST', 'country, loa or binding');
  }
  const node = await ctx.node.get();
  const destination = binding === 'redirect' ? node.sso.redirect : node.sso.post;
  if (!destination) throw new MockEuError('NODE_METADATA', `no ${binding} SingleSignOnService`);
  const signing = ctx.keys['message-signing'];
  const request = await buildAuthnRequest({
    issuer: ctx.entityId,
    destination,
    loa: loa as NotifiedLoa,
    now: ctx.clock(),
    spTypeInRequest: ctx.spTypeInRequest,
    providerName: 'Demo EU service',
    requesterId: 'urn:eu:mock:demo-eu-service',
    signingKey: binding === 'post' ? signing : undefined,
  });
  const relayState = ctx.pending.add({ id: request.id, loa });
  if (binding === 'redirect') {
    res.set('Cache-Control', 'no-store').redirect(303, redirectUrl(destination, request.xml, relayState, signing));
    return;
  }
  const fields = { SAMLRequest: Buffer.from(request.xml, 'utf8').toString('base64'), RelayState: relayState };
  page(res, 200, postFormPage(destination, fields, "Sending you to France's eIDAS node"));
}

async function consumeResponse(ctx: MockRouterContext, req: Request, res: Response): Promise<void> {
  const body = formBody(req);
  if (typeof body.SAMLResponse !== 'string') throw new MockEuError('RESPONSE_FORMAT', 'no SAMLResponse');
  const pending = typeof body.RelayState === 'string' ? ctx.pending.take(body.RelayState) : undefined;
  if (!pending) throw new MockEuError('RESPONSE_UNSOLICITED', 'no pending request for this RelayState');
  const outcome = await verifyNodeResponse(body.SAMLResponse, ctx.node, ctx.keys.encryption.privateKey, {
    entityId: ctx.entityId,
    acsUrl: ctx.acsUrl,
    requestId: pending.id,
    loa: pending.loa,
    now: ctx.clock(),
    skewMs: ctx.skewMs,
    maxAgeMs: RESPONSE_MAX_AGE_MS,
  });
  if (outcome.kind === 'error') page(res, 200, refusalPage(outcome));
  else page(res, 200, resultPage(outcome));
}

/** Only string fields; a repeated field (parameter pollution) is refused. */
function formBody(req: Request): Record<string, string | undefined> {
  const body: unknown = req.body;
  if (!body || typeof body !== 'object') return {};
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (typeof v !== 'string') throw new MockEuError('BAD_REQUEST', `field ${k} repeated`);
    out[k] = v;
  }
  return out;
}

async function guarded(res: Response, handler: () => Promise<void>): Promise<void> {
  try {
    await handler();
  } catch (e) {
    const { status, code, explanation } = describe(e);
    page(res, status, errorPage(code, explanation));
  }
}

/** A failure as the page shows it: a reason code and its fixed explanation, never the detail. */
function describe(e: unknown): { status: number; code: string; explanation: string } {
  if (e instanceof MockEuError) return { status: e.reason === 'NODE_METADATA' ? 502 : 400, code: e.reason, explanation: MOCK_EU_REASONS[e.reason] };
  if (e instanceof XmlSecurityError) return { status: 400, code: e.reason, explanation: XML_REASONS[e.reason] };
  return { status: 500, code: 'INTERNAL', explanation: 'an unexpected error occurred' };
}

function page(res: Response, status: number, body: string): void {
  res.status(status).type('html').set('Cache-Control', 'no-store').send(body);
}
