/**
 * THE one place where a failure of the SAML IdP front becomes something on the wire
 * (DESIGN §10, attacks.md §0.2):
 *  - PS-400: before the requester is verified (or when no answer may be sent: replay, ACS not in
 *    metadata, peer gone), the citizen error page of src/web (400/413/500, the closest kind,
 *    French or English, support code) and nothing sent anywhere;
 *  - PS-ERR: after, a signed error Response (StatusCode top + second level, InResponseTo, no
 *    Assertion) on the auto-post page of src/web, to the ACS from the connector metadata.
 * Every failure is logged once as `eidas.request.rejected` with its reason code, never with
 * the message, its values or a stack trace.
 */
import type { Request, Response } from 'express';
import { XML_REASONS, XmlSecurityError } from '../../saml/index.ts';
import { newSupportCode, renderErrorPage, requestLanguage, sendAutoPost, type AutoPostPage, type ErrorKind } from '../../web/index.ts';
import { STATUS } from './constants.ts';
import { AfterAuthentication, IDP_REASONS, IdpError, type IdpReason, type Reason } from './errors.ts';
import { buildErrorResponse } from './response/build.ts';
import type { ReplyTarget, SamlIdpDeps, SamlIdpSettings, SamlStatus } from './types.ts';

export type PageStatus = 400 | 413 | 500;

interface WireAnswer {
  /** The HTTP status of the page shown when no Response may be sent. */
  page: PageStatus;
  /** Its kind (src/web ERROR_KINDS); default: `internal` for 500, `request-invalid` otherwise. */
  kind?: ErrorKind;
  /** The Response status once the requester is authenticated; absent: the page even then. */
  status?: SamlStatus;
}

const R = STATUS.REQUESTER;
const S = STATUS.RESPONDER;
const denied: WireAnswer = { page: 400, status: { top: R, second: STATUS.REQUEST_DENIED } };

const IDP_WIRE: Record<IdpReason, WireAnswer> = {
  PARAM: { page: 400 },
  SIZE: { page: 413 },
  BINDING: { page: 400 },
  RELAYSTATE: { page: 400 },
  REDIRECT_SIG: { page: 400 },
  ISSUER: { page: 400, kind: 'request-unknown-service' },
  ACS: { page: 400 },
  // The citizen's browser posted the connector's page again (back button, second tab).
  REPLAY: { page: 400, kind: 'session-expired' },
  VERSION: { page: 400, status: { top: STATUS.VERSION_MISMATCH } },
  DESTINATION: denied,
  TIME: denied,
  FORCE_AUTHN: denied,
  IS_PASSIVE: { page: 400, status: { top: S, second: STATUS.NO_PASSIVE } },
  PROTOCOL_BINDING: { page: 400, status: { top: R, second: STATUS.UNSUPPORTED_BINDING } },
  CONSENT_VALUE: denied,
  SUBJECT: { page: 400, status: { top: R, second: STATUS.REQUEST_UNSUPPORTED } },
  NAMEID_POLICY: { page: 400, status: { top: R, second: STATUS.INVALID_NAMEID_POLICY } },
  LOA_SHAPE: denied,
  LOA_UNAVAILABLE: { page: 400, status: { top: S, second: STATUS.NO_AUTHN_CONTEXT } },
  EXTENSIONS: denied,
  SPTYPE: denied,
  NODE_COUNTRY: denied,
  REQUESTER_ID: denied,
  ATTR_SHAPE: { page: 400, status: { top: R, second: STATUS.INVALID_ATTR } },
  ATTR_UNKNOWN_REQUIRED: { page: 400, status: { top: R, second: STATUS.INVALID_ATTR } },
  ATTR_MIXED: denied,
  ATTR_REPRESENTATIVE: denied,
  ATTR_LEGAL_PERSON: { page: 400, status: { top: S, second: STATUS.REQUEST_UNSUPPORTED } },
  ATTR_REQUIRED_MISSING: { page: 500, status: { top: S, second: STATUS.INVALID_ATTR } },
  OUT_ATTRIBUTE_VALUE: { page: 500, status: { top: S, second: STATUS.AUTHN_FAILED } },
  OUT_XML_INVALID: { page: 500, status: { top: S, second: STATUS.AUTHN_FAILED } },
  LOA_NOT_MET: { page: 500, status: { top: S, second: STATUS.NO_AUTHN_CONTEXT } },
  CONSENT_REFUSED: { page: 400, status: { top: S, second: STATUS.REQUEST_DENIED, message: 'Citizen consent not given.' } },
  AUTHN_CANCELLED: { page: 400, status: { top: S, second: STATUS.REQUEST_DENIED, message: 'Citizen cancelled the authentication.' } },
  AUTHN_FAILED: { page: 500, status: { top: S, second: STATUS.AUTHN_FAILED } },
  PEER_GONE: { page: 500, kind: 'request-unknown-service' },
  INTERNAL: { page: 500, status: { top: S } },
};

/** Failures of the XML core: malformed or unauthenticated input (413 for a size limit). */
function xmlWire(e: XmlSecurityError): WireAnswer {
  return e.reason === 'XML_LIMIT' ? { page: 413 } : { ...denied };
}

export interface Failure {
  reason: Reason;
  answer: WireAnswer;
  target?: ReplyTarget;
}

/** What a thrown value means on the wire; anything unknown is INTERNAL. */
export function classify(error: unknown): Failure {
  const target = error instanceof AfterAuthentication ? error.target : undefined;
  const cause = error instanceof AfterAuthentication ? error.cause : error;
  if (cause instanceof IdpError) return { reason: cause.reason, answer: IDP_WIRE[cause.reason], ...(target ? { target } : {}) };
  if (cause instanceof XmlSecurityError) return { reason: cause.reason, answer: xmlWire(cause), ...(target ? { target } : {}) };
  return { reason: 'INTERNAL', answer: IDP_WIRE.INTERNAL, ...(target ? { target } : {}) };
}

/** The Response status of a failure (StatusMessage: the reason's generic text, never its detail). */
export function responseStatusOf(failure: Failure): SamlStatus | undefined {
  const status = failure.answer.status;
  if (!status) return undefined;
  const text = (IDP_REASONS as Record<string, string>)[failure.reason] ?? (XML_REASONS as Record<string, string>)[failure.reason];
  return { ...status, message: status.message ?? text ?? 'request refused' };
}

type Context = { settings: SamlIdpSettings; deps: SamlIdpDeps };

/** Sends the one answer a failure gets. Never throws. */
export async function sendFailure(req: Request, res: Response, error: unknown, ctx: Context): Promise<void> {
  const failure = classify(error);
  const supportCode = newSupportCode();
  ctx.deps.logger?.warn(
    {
      event: 'eidas.request.rejected',
      reason: failure.reason,
      supportCode,
      ...(failure.target ? { issuer: failure.target.peerEntityId, requestId: failure.target.requestId } : {}),
    },
    'eIDAS request rejected',
  );
  if (res.headersSent) return;
  const status = failure.target ? responseStatusOf(failure) : undefined;
  if (failure.target && status) {
    try {
      const built = await buildErrorResponse(failure.target, status, ctx);
      sendAutoPost(res, autoPostOf(req, failure.target, built.xml));
      // R-SEC-07: the error Response's own ID, beside the request it answers.
      ctx.deps.logger?.info(
        {
          event: 'eidas.response.sent',
          issuer: failure.target.peerEntityId,
          requestId: failure.target.requestId,
          responseId: built.responseId,
          status: status.second ?? status.top,
          supportCode,
        },
        'eIDAS error Response sent',
      );
      return;
    } catch (e) {
      ctx.deps.logger?.error({ event: 'eidas.response.failed', reason: classify(e).reason, supportCode }, 'error Response not sent');
      sendErrorPage(req, res, { page: 500 }, supportCode);
      return;
    }
  }
  sendErrorPage(req, res, failure.answer, supportCode);
}

/**
 * The citizen error page of src/web, `no-store`. No language switch: the SSO URL cannot show
 * this page again (a GET without the message would be a new refusal with another support code).
 */
function sendErrorPage(req: Request, res: Response, answer: Pick<WireAnswer, 'page' | 'kind'>, supportCode: string): void {
  const kind = answer.kind ?? (answer.page === 500 ? 'internal' : 'request-invalid');
  const page = renderErrorPage({ lang: requestLanguage(req), status: answer.page, kind, supportCode, languageLinks: false });
  res.status(answer.page);
  res.set('Cache-Control', 'no-store');
  res.type('html').send(page);
}

/** The auto-post page of a Response: SAMLResponse and the RelayState echoed unchanged, to the metadata ACS. */
export function autoPostOf(req: Request, target: ReplyTarget, xml: string): AutoPostPage {
  return {
    lang: requestLanguage(req),
    action: target.acsUrl,
    fields: { SAMLResponse: Buffer.from(xml, 'utf8').toString('base64'), RelayState: target.relayState },
  };
}
