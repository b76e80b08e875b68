/**
 * The mapping core of Pont eIDAS: the pivot identity and the tables of DESIGN.md §2, as data
 * (tables.ts) plus small pure functions named by their direction. No I/O at call time except
 * the one-time read of the INSEE COG tables (call `loadCogTables()` at start-up). Every refusal
 * is a `PivotError` with a `reason` (PIVOT_REASONS) and the `field` it concerns: a claim,
 * attribute or parameter name, never a value.
 *
 * Proxy service (French citizen → EU service), in flow order:
 *   readLoaRequest(comparison, classRefs, countryPolicy?)  → LoaRequest        (SAML front)
 *   readRequestedAttributes(requested)                     → AttributeRequest  (SAML front)
 *   eidasToAcrValues(loaRequest, FC_PLATFORMS[name])       → 'eidas1'|'eidas2'|'eidas3' (OIDC RP)
 *   attributesToScopes(attributeRequest)                   → scopes, 'openid' first    (OIDC RP)
 *   franceConnectToPivot(claims, { scopes })               → FranceConnectIdentity     (OIDC RP)
 *   acrToAuthnContext(acr, loaRequest, platform)           → { level, classRef }       (OIDC RP → SAML)
 *   pivotToEidas(identity, attributeRequest, { requesterCountry, identifierSecret })
 *                                                          → { personIdentifier, attributes } (SAML)
 *   satisfies(reached, loaRequest) → boolean (the request carries Comparison and country policy)
 *   Presumed birth dates YYYY-MM-00 / YYYY-00-00 become YYYY-MM-01 / YYYY-01-01 (text.ts).
 *
 * Connector (EU citizen → French service):
 *   fsAcrToEidasRequest(acr_values)                        → { comparison: 'minimum', level, classRef }
 *   scopesToRequestedAttributes(scopes)                    → [{ name, friendlyName, isRequired }]
 *   eidasLoaToAcr(classRef, requestedLevel, publishedByCountry?) → FcAcr (never promoted)
 *   eidasToPivot(attributes, { issuingCountry, subSecret, sector }) → EidasIdentity
 *
 * FranceConnect's own tables live here too and are read by the OIDC RP (src/back/oidc-rp) and
 * the mock FranceConnect (src/mock/franceconnect): FC_PLATFORMS (acr values, default acr,
 * signature algorithms per platform), FC_ACRS, SCOPE_CLAIMS / FC_SCOPES, OPTIONAL_CLAIMS.
 *
 * Suggested wire mapping (each front decides, in one place): while reading the request,
 * LOA_NOT_NOTIFIED and LOA_NOT_AVAILABLE (a level we cannot provide) → Responder/NoAuthnContext,
 * every other reason → Requester/RequestDenied (ATK-45); after FranceConnect, LOA_* →
 * Responder/NoAuthnContext (ATK-63), CLAIM_* and ATTRIBUTE_MISSING → Responder/AuthnFailed;
 * connector side, every reason → OIDC access_denied with the reason in the description.
 */
export { PivotError, PIVOT_REASONS, type PivotReason } from './errors.ts';
export {
  ACR_TO_LOA,
  COG_FRANCE,
  FC_ACRS,
  FC_PLATFORMS,
  FC_SCOPES,
  FC_SIGNING_ALGS,
  GENDER_TO_EIDAS,
  LOA_TO_ACR,
  LOA_URI,
  NATURAL_ATTRIBUTES,
  NON_NOTIFIED_URI,
  NOTIFIED_LOAS,
  OPTIONAL_CLAIMS,
  SCOPE_CLAIMS,
  isFcAcr,
  isFcScope,
  type AttributeDef,
  type Comparison,
  type EidasGender,
  type FcAcr,
  type FcGender,
  type FcPlatformName,
  type FcScope,
  type FcSigningAlg,
  type FranceConnectPlatform,
  type NaturalAttributeKey,
  type NotifiedLoa,
  type PivotClaimName,
} from './tables.ts';
export {
  franceConnectToPivot,
  mandatoryClaimsFor,
  type ConnectorClaims,
  type EidasIdentity,
  type FranceConnectIdentity,
  type PivotClaims,
  type PivotIdentity,
} from './identity.ts';
export {
  acrToAuthnContext,
  acrToEidasLoa,
  classifyLoaUri,
  eidasLoaToAcr,
  eidasToAcrValues,
  fsAcrToEidasRequest,
  readLoaRequest,
  satisfies,
  type CountryLoaPolicy,
  type LoaRequest,
  type LoaUriKind,
} from './loa.ts';
export {
  attributesToScopes,
  pivotToEidas,
  readRequestedAttributes,
  type AttributeRequest,
  type EidasAttribute,
  type ProxyAttributes,
  type ProxyOptions,
  type RequestedAttribute,
} from './proxy.ts';
export {
  eidasToPivot,
  scopesToRequestedAttributes,
  type ConnectorOptions,
  type ReceivedAttribute,
  type ReceivedValue,
} from './connector.ts';
export { personIdentifierFor, type Secret } from './identifiers.ts';
export { communeLabel, countryLabel, loadCogTables, placeOfBirthLabel, type CogTables } from './cog.ts';
export { checkXsdDate, fcBirthdateToXsdDate } from './text.ts';
export { classifyAttribute, type AttributeKind } from './attributes.ts';
