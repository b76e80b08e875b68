/**
 * Answers the flow sends once a request was validated: the success Response (built, signed,
 * encrypted, auto-posted to the metadata ACS) or an outcome it reports (consent refused,
 * FranceConnect failure…) as a signed error Response. Failures while building go through the
 * one wire mapping (wire.ts), so the citizen and the connector always get exactly one answer.
 */
import type { Request, Response } from 'express';
import { sendAutoPost } from '../../web/index.ts';
import { AfterAuthentication, IdpError, type IdpReason } from './errors.ts';
import { buildSuccessResponse, type BuiltResponse, type SuccessOutcome } from './response/build.ts';
import type { SamlIdpDeps, SamlIdpSettings, ValidatedRequest } from './types.ts';
import { autoPostOf, sendFailure } from './wire.ts';

type Context = { settings: SamlIdpSettings; deps: SamlIdpDeps };

/** Outcomes the flow may report instead of a success. */
export type FlowFailure = Extract<IdpReason, 'CONSENT_REFUSED' | 'AUTHN_CANCELLED' | 'AUTHN_FAILED' | 'LOA_NOT_MET' | 'ATTR_REQUIRED_MISSING' | 'INTERNAL'>;

export async function sendSuccess(req: Request, res: Response, request: ValidatedRequest, outcome: SuccessOutcome, ctx: Context): Promise<void> {
  let built: BuiltResponse;
  try {
    built = await buildSuccessResponse(request, outcome, ctx);
  } catch (e) {
    // A refusal of ours keeps its reason; anything else (a key or crypto failure) is INTERNAL.
    const cause = e instanceof IdpError ? e : new IdpError('INTERNAL', e instanceof Error ? e.name : undefined);
    await sendFailure(req, res, new AfterAuthentication(request, cause), ctx);
    return;
  }
  try {
    sendAutoPost(res, autoPostOf(req, request, built.xml));
  } catch (e) {
    // The page refused to render (an ACS it cannot put in a form): nothing was sent yet.
    await sendFailure(req, res, new AfterAuthentication(request, new IdpError('INTERNAL', e instanceof Error ? e.name : undefined)), ctx);
    return;
  }
  ctx.deps.logger?.info(
    // R-SEC-07: our own message IDs too, so a connector's incident report can be traced.
    {
      event: 'eidas.response.sent',
      issuer: request.peerEntityId,
      requestId: request.requestId,
      responseId: built.responseId,
      assertionId: built.assertionId,
      loa: outcome.loa,
    },
    'eIDAS Response sent',
  );
}

export async function sendFlowFailure(req: Request, res: Response, request: ValidatedRequest, reason: FlowFailure, ctx: Context): Promise<void> {
  await sendFailure(req, res, new AfterAuthentication(request, new IdpError(reason)), ctx);
}
