/**
 * The proxy-service flow cookie (ATK-58): only the opaque flow id (256 random bits, made by
 * the FlowStore, never by the browser), HttpOnly, Secure when the node is reached over HTTPS,
 * SameSite=Lax (sent on the top-level GET back from FranceConnect, not on cross-site POSTs),
 * scoped to /proxy-service, living no longer than the flow. Set anew at every AuthnRequest, so
 * a fixed or stale id is replaced; cleared when the flow ends.
 */
import type { Request, Response } from 'express';
import { cookieValue } from '../web/index.ts';

export const PROXY_FLOW_COOKIE = 'pont_ps_flow';
export const PROXY_FLOW_COOKIE_PATH = '/proxy-service';

export interface FlowCookieSettings {
  /** The public base URL is https: the cookie is Secure. */
  secure: boolean;
  maxAgeMs: number;
}

function attributes(settings: FlowCookieSettings) {
  return { httpOnly: true, secure: settings.secure, sameSite: 'lax' as const, path: PROXY_FLOW_COOKIE_PATH };
}

export function setFlowCookie(res: Response, flowId: string, settings: FlowCookieSettings): void {
  res.cookie(PROXY_FLOW_COOKIE, flowId, { ...attributes(settings), maxAge: settings.maxAgeMs });
}

export function clearFlowCookie(res: Response, settings: FlowCookieSettings): void {
  res.clearCookie(PROXY_FLOW_COOKIE, attributes(settings));
}

/** The flow id this browser holds, if any (shape checked by the FlowStore). */
export function flowIdOf(req: Request): string | undefined {
  const value = cookieValue(req.get('cookie'), PROXY_FLOW_COOKIE);
  return value === undefined || value === '' ? undefined : value;
}
