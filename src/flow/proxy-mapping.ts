/**
 * The proxy-service pairing of the two sides through the mapping core (src/pivot), both ways:
 *   the validated AuthnRequest → what to ask FranceConnect (acr_values, scopes);
 *   FranceConnect's verified login → the eIDAS outcome (attributes, PersonIdentifier, LoA).
 * The LoA reported is never above what FranceConnect returned nor below what was requested
 * (R-RSP-14/15, ATK-44, ATK-63): acrToAuthnContext checks the acr against the request, then
 * the highest level we deliver that the request accepts and FranceConnect reached is sent.
 */
import type { Acr, FcScope, VerifiedLogin } from '../back/oidc-rp/index.ts';
import type { ValidatedRequest } from '../front/saml-idp/index.ts';
import {
  FC_PLATFORMS,
  LOA_URI,
  NOTIFIED_LOAS,
  acrToAuthnContext,
  attributesToScopes,
  eidasToAcrValues,
  franceConnectToPivot,
  pivotToEidas,
  readLoaRequest,
  readRequestedAttributes,
  type AttributeRequest,
  type FcPlatformName,
  type LoaRequest,
  type NotifiedLoa,
  type Secret,
} from '../pivot/index.ts';
import { FlowError } from './errors.ts';
import type { ProxyOutcome } from './proxy-state.ts';

export interface MappingSettings {
  platform: FcPlatformName;
  /** The PersonIdentifier key (≥ 32 bytes). */
  identifierSecret: Secret;
}

const rank = (uri: string): number => NOTIFIED_LOAS.findIndex((level) => LOA_URI[level] === uri);

export function loaRequestOf(request: ValidatedRequest): LoaRequest {
  return readLoaRequest(request.loa.comparison, request.loa.requested);
}

export function attributeRequestOf(request: ValidatedRequest): AttributeRequest {
  return readRequestedAttributes(request.attributes.map((a) => ({ name: a.name, isRequired: a.isRequired })));
}

/**
 * What to ask FranceConnect for this request: the lowest acr that reaches the lowest level we
 * can report for it (the front lists them, lowest first), and the scopes its attributes need.
 */
export function franceConnectRequestOf(request: ValidatedRequest, platform: FcPlatformName): { acrValues: Acr[]; scopes: FcScope[] } {
  const lowest = request.loa.acceptable.find((uri) => rank(uri) >= 0);
  const target = lowest === undefined ? loaRequestOf(request) : readLoaRequest('minimum', [lowest]);
  const acr = eidasToAcrValues(target, FC_PLATFORMS[platform]);
  const scopes = attributesToScopes(attributeRequestOf(request)) as FcScope[];
  return { acrValues: [acr], scopes };
}

/** The highest level the request accepts (and we deliver) at or below the level reached. */
export function reportedLoa(reached: NotifiedLoa, acceptable: readonly string[]): string {
  const ceiling = rank(LOA_URI[reached]);
  const candidates = acceptable.filter((uri) => rank(uri) >= 0 && rank(uri) <= ceiling);
  const best = candidates.reduce<string | undefined>((a, b) => (a === undefined || rank(b) > rank(a) ? b : a), undefined);
  if (best === undefined) throw new FlowError('LOA_NOT_DELIVERABLE');
  return best;
}

/** FranceConnect's verified login → what the citizen is asked to share and the Response carries. */
export function outcomeOf(request: ValidatedRequest, login: VerifiedLogin, settings: MappingSettings, now: Date): ProxyOutcome {
  const loaRequest = loaRequestOf(request);
  const attributeRequest = attributeRequestOf(request);
  const { level } = acrToAuthnContext(login.acr, loaRequest, FC_PLATFORMS[settings.platform]);
  const loa = reportedLoa(level, request.loa.acceptable);
  const identity = franceConnectToPivot({ ...login.claims, sub: login.sub }, { scopes: attributesToScopes(attributeRequest) });
  const mapped = pivotToEidas(identity, attributeRequest, { requesterCountry: request.country, identifierSecret: settings.identifierSecret });
  const authnInstant = login.authTime !== undefined && login.authTime * 1000 <= now.getTime() ? new Date(login.authTime * 1000) : now;
  return {
    attributes: mapped.attributes.map((a) => ({ name: a.name, friendlyName: a.friendlyName, values: [...a.values] })),
    loa,
    nameId: mapped.personIdentifier,
    authnInstant: authnInstant.toISOString(),
  };
}
