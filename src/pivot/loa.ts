/**
 * Levels of assurance, both directions (DESIGN §2 "Level of assurance", R-MSG-20..24,
 * R-RSP-14/15, ATK-44/45/63). Three vocabularies meet here: eIDAS URIs, the minimum/exact
 * Comparison, FranceConnect `eidas1..3`. Every comparison is on exact strings; a level is never
 * reported above what FranceConnect (or the foreign country) returned, nor accepted below what
 * was asked.
 */
import { refusePivot } from './errors.ts';
import {
  ACR_TO_LOA,
  COMPARISONS,
  DEFAULT_FS_ACR,
  FC_ACRS,
  LEGACY_NON_NOTIFIED_PREFIX,
  LOA_TO_ACR,
  LOA_URI,
  NOTIFIED_LOAS,
  NOTIFIED_PREFIX,
  type Comparison,
  type FcAcr,
  type FranceConnectPlatform,
  type NotifiedLoa,
} from './tables.ts';

export type LoaUriKind =
  | { readonly kind: 'notified'; readonly level: NotifiedLoa }
  | { readonly kind: 'non-notified'; readonly uri: string }
  | { readonly kind: 'invalid' };

/** Per requesting country: the non-notified URIs accepted, each with the lowest notified level
 *  reached at FranceConnect that we accept as meeting it. Empty by default. */
export interface CountryLoaPolicy {
  readonly nonNotified?: Readonly<Record<string, NotifiedLoa>>;
}

/** A validated RequestedAuthnContext (proxy service). */
export interface LoaRequest {
  readonly comparison: Comparison;
  /** minimum: the one level asked; exact: the notified levels listed. */
  readonly notified: readonly NotifiedLoa[];
  /** exact only: the listed non-notified URIs this country may use, with their level. */
  readonly nonNotified: readonly { readonly uri: string; readonly level: NotifiedLoa }[];
  /** The lowest level reached at FranceConnect that satisfies the request. */
  readonly minimumLevel: NotifiedLoa;
}

const rank = (level: NotifiedLoa): number => NOTIFIED_LOAS.indexOf(level);
const lowest = (levels: readonly NotifiedLoa[]): NotifiedLoa =>
  levels.reduce((a, b) => (rank(b) < rank(a) ? b : a));

/** Notified (exact URI), non-notified (spec form, legacy form, any other absolute URI) or invalid. */
export function classifyLoaUri(uri: unknown): LoaUriKind {
  if (typeof uri !== 'string') return { kind: 'invalid' };
  const level = NOTIFIED_LOAS.find((l) => LOA_URI[l] === uri);
  if (level) return { kind: 'notified', level };
  if (uri.startsWith(LEGACY_NON_NOTIFIED_PREFIX)) return { kind: 'non-notified', uri };
  if (uri.startsWith(NOTIFIED_PREFIX) || !/^[a-z][a-z0-9+.-]*:\S+$/i.test(uri)) return { kind: 'invalid' };
  return { kind: 'non-notified', uri };
}

/**
 * Proxy service: reads RequestedAuthnContext. `minimum` takes exactly one notified URI (R-MSG-21);
 * `exact` (also what an absent Comparison means in SAML) lists every acceptable URI, with at least
 * one non-notified, no duplicate, and every notified level above a listed one (R-MSG-22).
 * Comparison is matched case-sensitively (ATK-45).
 */
export function readLoaRequest(
  comparison: string | undefined,
  classRefs: readonly string[],
  policy: CountryLoaPolicy = {},
): LoaRequest {
  const cmp = comparison ?? 'exact';
  if (!(COMPARISONS as readonly string[]).includes(cmp)) refusePivot('LOA_COMPARISON_INVALID', 'Comparison');
  if (classRefs.length === 0 || new Set(classRefs).size !== classRefs.length) {
    refusePivot('LOA_REQUEST_INVALID', 'AuthnContextClassRef');
  }
  const kinds = classRefs.map(classifyLoaUri);
  if (kinds.some((k) => k.kind === 'invalid')) refusePivot('LOA_UNKNOWN', 'AuthnContextClassRef');
  const notified = kinds.flatMap((k) => (k.kind === 'notified' ? [k.level] : []));
  if (cmp === 'minimum') {
    if (kinds.length !== 1) refusePivot('LOA_REQUEST_INVALID', 'AuthnContextClassRef');
    if (notified.length !== 1) refusePivot('LOA_NOT_NOTIFIED', 'AuthnContextClassRef');
    return { comparison: 'minimum', notified, nonNotified: [], minimumLevel: notified[0]! };
  }
  const listed = kinds.flatMap((k) => (k.kind === 'non-notified' ? [k.uri] : []));
  if (listed.length === 0) refusePivot('LOA_REQUEST_INVALID', 'AuthnContextClassRef');
  if (notified.length > 0 && NOTIFIED_LOAS.slice(rank(lowest(notified))).some((l) => !notified.includes(l))) {
    refusePivot('LOA_REQUEST_INVALID', 'AuthnContextClassRef');
  }
  const accepted = policy.nonNotified ?? {};
  const nonNotified = listed.flatMap((uri) => (Object.hasOwn(accepted, uri) ? [{ uri, level: accepted[uri]! }] : []));
  const levels = [...notified, ...nonNotified.map((n) => n.level)];
  if (levels.length === 0) refusePivot('LOA_NOT_NOTIFIED', 'AuthnContextClassRef');
  return { comparison: 'exact', notified, nonNotified, minimumLevel: lowest(levels) };
}

/**
 * eIDAS request → FranceConnect `acr_values`: the lowest acr the platform offers at or above the
 * request. So low → eidas1, or eidas2 on FranceConnect+ (no eidas1); substantial → eidas2;
 * high → eidas3. A level the platform cannot reach is refused (LOA_NOT_AVAILABLE), never lowered.
 */
export function eidasToAcrValues(request: LoaRequest, platform: FranceConnectPlatform): FcAcr {
  const acr = FC_ACRS.find((a) => platform.acrValues.includes(a) && rank(ACR_TO_LOA[a]) >= rank(request.minimumLevel));
  if (!acr) refusePivot('LOA_NOT_AVAILABLE', 'acr_values');
  return acr;
}

/** FranceConnect `acr` → the eIDAS level it certifies; anything but the exact strings is refused. */
export function acrToEidasLoa(acr: unknown): NotifiedLoa {
  if (typeof acr !== 'string' || !(FC_ACRS as readonly string[]).includes(acr)) refusePivot('LOA_UNKNOWN', 'acr');
  return ACR_TO_LOA[acr as FcAcr];
}

/** Does a level reached at FranceConnect satisfy the request (R-RSP-15)? */
export function satisfies(reached: NotifiedLoa, request: LoaRequest): boolean {
  if (request.comparison === 'minimum') return rank(reached) >= rank(request.notified[0]!);
  return request.notified.includes(reached) || request.nonNotified.some((n) => rank(n.level) <= rank(reached));
}

/**
 * Proxy service: FranceConnect's `acr` → the AuthnContextClassRef of our assertion (R-RSP-14).
 * The acr must be known, at least the acr_values we sent, satisfy the request and be one the
 * platform offers (FranceConnect returning eidas3 is a lie, not a high level); the URI is
 * the level actually reached (minimum), or with exact the listed URI it meets: the notified one
 * when listed, else the highest accepted non-notified one (never a notified URI in its place).
 */
export function acrToAuthnContext(
  acr: unknown,
  request: LoaRequest,
  platform: FranceConnectPlatform,
): { readonly level: NotifiedLoa; readonly classRef: string } {
  const level = acrToEidasLoa(acr);
  const asked = eidasToAcrValues(request, platform);
  if (rank(level) < rank(ACR_TO_LOA[asked]) || !satisfies(level, request)) refusePivot('LOA_BELOW_REQUEST', 'acr');
  if (!platform.acrValues.includes(acr as FcAcr)) refusePivot('LOA_UNKNOWN', 'acr');
  if (request.comparison === 'minimum' || request.notified.includes(level)) return { level, classRef: LOA_URI[level] };
  const met = request.nonNotified.filter((n) => rank(n.level) <= rank(level));
  const best = met.reduce((a, b) => (rank(b.level) > rank(a.level) ? b : a));
  return { level, classRef: best.uri };
}

/**
 * Connector: the FS `acr_values` → our eIDAS request (always `minimum`, one notified URI).
 * Space-separated values; unknown ones are ignored, the lowest known one is the minimum
 * (the FS accepts any of them); none known → eidas3, FranceConnect+'s own default.
 */
export function fsAcrToEidasRequest(acrValues: string | undefined): {
  readonly comparison: 'minimum';
  readonly level: NotifiedLoa;
  readonly classRef: string;
} {
  const known = (acrValues ?? '').split(' ').filter((v): v is FcAcr => (FC_ACRS as readonly string[]).includes(v));
  const level = known.length > 0 ? lowest(known.map((a) => ACR_TO_LOA[a])) : ACR_TO_LOA[DEFAULT_FS_ACR];
  return { comparison: 'minimum', level, classRef: LOA_URI[level] };
}

/**
 * Connector: the LoA of a foreign Response → the `acr` of our id_token. Requires
 * requested ≤ returned ≤ the highest level the country's metadata publishes (ATK-44); a
 * non-notified URI never becomes an eidasN acr; the level is never promoted (low → eidas1).
 */
export function eidasLoaToAcr(
  classRef: unknown,
  requested: NotifiedLoa,
  publishedByCountry?: readonly string[],
): FcAcr {
  const kind = classifyLoaUri(classRef);
  if (kind.kind === 'invalid') refusePivot('LOA_UNKNOWN', 'AuthnContextClassRef');
  if (kind.kind === 'non-notified') refusePivot('LOA_NOT_NOTIFIED', 'AuthnContextClassRef');
  if (rank(kind.level) < rank(requested)) refusePivot('LOA_BELOW_REQUEST', 'AuthnContextClassRef');
  if (publishedByCountry) {
    const published = publishedByCountry.map(classifyLoaUri).flatMap((k) => (k.kind === 'notified' ? [k.level] : []));
    if (!published.some((p) => rank(p) >= rank(kind.level))) refusePivot('LOA_ABOVE_METADATA', 'AuthnContextClassRef');
  }
  return LOA_TO_ACR[kind.level];
}
