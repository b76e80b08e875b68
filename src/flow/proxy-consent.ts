/**
 * The consent step (DESIGN §1 step 5, issue 4 item 4): the page shows who asks (ProviderName,
 * RequesterID, country) and every attribute value exactly as it will be sent; the decision
 * comes back as one POST bound to the flow by a random token (ATK-58: a form posted from
 * another site or another flow is refused). Accept or refuse, nothing else.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { CONSENT_FIELDS, attributeValueLabel, chooseLanguage, renderConsentPage, type ConsentDecision, type Lang } from '../web/index.ts';
import { FlowError } from './errors.ts';
import type { AwaitingConsent } from './proxy-state.ts';

export const PROXY_CONSENT_PATH = '/proxy-service/consent';

/** eIDAS writes EL for Greece (ISO 3166-1: GR). */
const EIDAS_COUNTRY_ALIASES: Readonly<Record<string, string>> = { EL: 'GR' };

export function countryName(code: string, lang: Lang): string {
  try {
    return new Intl.DisplayNames([lang], { type: 'region', fallback: 'code' }).of(EIDAS_COUNTRY_ALIASES[code] ?? code) ?? code;
  } catch {
    return code;
  }
}

export function sendConsentPage(req: Request, res: Response, state: AwaitingConsent, secureCookie: boolean): void {
  const lang = chooseLanguage(req, res, { secureCookie });
  const { request, outcome } = state;
  const body = renderConsentPage({
    lang,
    requester: {
      ...(request.providerName !== undefined ? { providerName: request.providerName } : {}),
      ...(request.requesterId !== undefined ? { requesterId: request.requesterId } : {}),
      country: request.country,
      countryName: countryName(request.country, lang),
    },
    attributes: outcome.attributes.map((a) => ({ key: a.name, value: a.values.map((v) => attributeValueLabel(a.name, v, lang)).join('\n') })),
    formAction: PROXY_CONSENT_PATH,
    csrfToken: state.csrf,
  });
  res.status(200).set('Cache-Control', 'no-store').type('html').send(body);
}

function field(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new FlowError('DECISION'); // repeated or structured (ATK-52)
  return value;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The decision of a consent POST, once its token is this flow's. */
export function readDecision(body: unknown, state: AwaitingConsent): ConsentDecision {
  const form = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const token = field(form, CONSENT_FIELDS.csrfToken);
  if (token === undefined || !sameToken(token, state.csrf)) throw new FlowError('CSRF');
  const decision = field(form, CONSENT_FIELDS.decision);
  if (decision !== 'accept' && decision !== 'refuse') throw new FlowError('DECISION');
  return decision;
}
