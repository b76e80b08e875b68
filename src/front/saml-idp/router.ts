/**
 * The SSO endpoint (DESIGN §1, default /proxy-service/sso): POST (HTTP-POST binding) and GET
 * (HTTP-Redirect, and the EU node's GET form), binding decoding and the validation pipeline,
 * then the ValidatedRequest goes to the flow's `onValidRequest`. Every failure is answered by
 * wire.ts. The pages come from src/web: their script and styles are served by its assetsRouter().
 * The body is read raw (urlencoded only, 256 KiB, no Content-Encoding) and parsed strictly here,
 * never by qs (ATK-51, ATK-52).
 */
import express, { type ErrorRequestHandler, type Request, type Response, type Router } from 'express';
import { decodeGet, decodePost } from './binding/decode.ts';
import { AfterAuthentication, IdpError } from './errors.ts';
import { validateAuthnRequest } from './pipeline/validate.ts';
import type { SamlIdpDeps, SamlIdpSettings, ValidatedRequest } from './types.ts';
import { sendFailure } from './wire.ts';

export type OnValidRequest = (req: Request, res: Response, validated: ValidatedRequest) => Promise<void> | void;

/** Raw body cap: a 131072-byte message in base64, percent-encoded, with room for RelayState. */
export const MAX_BODY_BYTES = 256 * 1024;

type Context = { settings: SamlIdpSettings; deps: SamlIdpDeps };

export function createSsoRouter(ctx: Context, onValidRequest: OnValidRequest): Router {
  const router = express.Router();
  const { ssoPath } = ctx.settings;

  router.post(
    ssoPath,
    express.raw({ type: () => true, limit: MAX_BODY_BYTES, inflate: false }),
    bodyErrors(ctx),
    (req: Request, res: Response) => handle(req, res, ctx, onValidRequest, () => decodePost(formBody(req), rawQuery(req))),
  );
  router.get(ssoPath, (req, res) => handle(req, res, ctx, onValidRequest, () => decodeGet(rawQuery(req))));
  return router;
}

async function handle(
  req: Request,
  res: Response,
  ctx: Context,
  onValidRequest: OnValidRequest,
  decode: () => ReturnType<typeof decodeGet>,
): Promise<void> {
  res.set('Cache-Control', 'no-store');
  let validated: ValidatedRequest;
  try {
    validated = await validateAuthnRequest(decode(), ctx.settings, ctx.deps);
  } catch (e) {
    await sendFailure(req, res, e, ctx);
    return;
  }
  ctx.deps.logger?.info(
    {
      event: 'eidas.request.accepted',
      issuer: validated.peerEntityId,
      requestId: validated.requestId,
      issueInstant: validated.issueInstant, // R-SEC-07: the message's own date/time
      binding: validated.binding,
    },
    'eIDAS request accepted',
  );
  try {
    await onValidRequest(req, res, validated);
  } catch (e) {
    await sendFailure(req, res, new AfterAuthentication(validated, e instanceof IdpError ? e : new IdpError('INTERNAL')), ctx);
  }
}

/** The query string exactly as received (SAML Bindings §3.4.4.1 needs the raw bytes). */
function rawQuery(req: Request): string {
  const url = req.originalUrl;
  const q = url.indexOf('?');
  return q < 0 ? '' : url.slice(q + 1);
}

/** Only `application/x-www-form-urlencoded` text (ATK-52: no JSON, no multipart). */
function formBody(req: Request): string {
  if (!req.is('application/x-www-form-urlencoded')) throw new IdpError('PARAM', 'the body is not a urlencoded form');
  const body: unknown = req.body;
  if (!Buffer.isBuffer(body)) throw new IdpError('BINDING', 'no body');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new IdpError('PARAM', 'the body is not UTF-8');
  }
}

/** Body-reading errors (too large, compressed, aborted) are answered like any other failure. */
function bodyErrors(ctx: Context): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const type = (err as { type?: string })?.type;
    const reason = type === 'entity.too.large' ? new IdpError('SIZE', 'body too large') : new IdpError('BINDING', 'unreadable body');
    void sendFailure(req, res, reason, ctx);
  };
}
