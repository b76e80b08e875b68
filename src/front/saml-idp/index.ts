/**
 * The SAML IdP front of the Proxy-Service (issue 4 items 1 and 5): what src/flow/ calls.
 *
 *   const idp = createSamlIdp(settings, { peers, keys, replay, clock, logger });
 *   app.use(assetsRouter()); // src/web: the pages' stylesheet and auto-post script
 *   app.use(idp.router(async (req, res, validated) => { … store the flow, go to FranceConnect … }));
 *   // later, after FranceConnect and consent:
 *   await idp.sendSuccess(req, res, validated, { attributes, loa, nameId, authnInstant });
 *   await idp.sendFailure(req, res, validated, 'CONSENT_REFUSED');
 */
import type { Request, Response, Router } from 'express';
import { verifyPolicyFor } from '../../config/crypto-policy.ts';
import type { Config } from '../../config/schema.ts';
import { entityIdFor, ssoUrl } from '../../metadata/publish/urls.ts';
import type { DecodedMessage } from './binding/decode.ts';
import { sendFlowFailure, sendSuccess, type FlowFailure } from './respond.ts';
import type { SuccessOutcome } from './response/build.ts';
import { createSsoRouter, type OnValidRequest } from './router.ts';
import { validateAuthnRequest } from './pipeline/validate.ts';
import type { SamlIdpDeps, SamlIdpSettings, ValidatedRequest } from './types.ts';

export type {
  Binding,
  ConnectorPeer,
  PeerSource,
  ReplayGuard,
  ReplyTarget,
  RequestedAttribute,
  RequestedLoa,
  SamlIdpDeps,
  SamlIdpSettings,
  SamlStatus,
  SigningKeySource,
  ValidatedRequest,
} from './types.ts';
export type { OnValidRequest } from './router.ts';
export type { FlowFailure } from './respond.ts';
export type { SuccessOutcome, BuiltResponse } from './response/build.ts';
export type { OutgoingAttribute } from './response/attributes.ts';
export type { DecodedMessage } from './binding/decode.ts';
export { IdpError, AfterAuthentication, IDP_REASONS, type IdpReason, type Reason } from './errors.ts';
export { STATUS, NAMEID_FORMAT, NOTIFIED_LOAS } from './constants.ts';
export { decodeGet, decodePost } from './binding/decode.ts';
export { buildSuccessResponse, buildErrorResponse } from './response/build.ts';
export { classify, responseStatusOf } from './wire.ts';

export interface SamlIdp {
  /** Express router: POST and GET at settings.ssoPath (the pages' assets: src/web assetsRouter()). */
  router(onValidRequest: OnValidRequest): Router;
  /** Decoding already done: the validation pipeline alone (throws IdpError / AfterAuthentication). */
  validate(decoded: DecodedMessage): Promise<ValidatedRequest>;
  /** Builds, signs, encrypts and auto-posts the success Response; on failure, the right error Response. */
  sendSuccess(req: Request, res: Response, request: ValidatedRequest, outcome: SuccessOutcome): Promise<void>;
  /** A signed error Response for an outcome of the flow (consent refused → Responder/RequestDenied …). */
  sendFailure(req: Request, res: Response, request: ValidatedRequest, reason: FlowFailure): Promise<void>;
}

export function createSamlIdp(settings: SamlIdpSettings, deps: SamlIdpDeps): SamlIdp {
  const ctx = { settings, deps };
  return {
    router: (onValidRequest) => createSsoRouter(ctx, onValidRequest),
    validate: (decoded) => validateAuthnRequest(decoded, settings, deps),
    sendSuccess: (req, res, request, outcome) => sendSuccess(req, res, request, outcome, ctx),
    sendFailure: (req, res, request, reason) => sendFlowFailure(req, res, request, reason, ctx),
  };
}

/**
 * Settings from the node configuration: entityID and SSO URL exactly as our published metadata
 * states them (src/metadata/publish/urls.ts), the per-peer policy from verifyPolicyFor.
 */
export function samlIdpSettingsFromConfig(config: Config): SamlIdpSettings {
  const ps = config.metadata.proxyService;
  return {
    entityId: entityIdFor('proxy-service', config),
    ssoUrl: ssoUrl(config),
    ssoPath: ps.ssoPath,
    nodeCountry: config.metadata.nodeCountry,
    loas: ps.loas,
    attributes: ps.attributes,
    verifyPolicy: (entityId) => verifyPolicyFor(config, entityId),
  };
}
