/**
 * RequestedAuthnContext (R-MSG-20..24, ATK-45): exactly one; `minimum` with exactly one notified
 * level; `exact` listing every acceptable URI, with at least one non-notified URI, no duplicates,
 * and every notified level above a listed one listed too. Comparison is matched exactly and
 * case-sensitively; its absence means `exact` (SAML core). An invalid shape is LOA_SHAPE
 * (Requester/RequestDenied); a level we cannot deliver is LOA_UNAVAILABLE (NoAuthnContext).
 */
import { NS, elementChildren, isElement, optionalChild } from '../../../saml/index.ts';
import { NOTIFIED_LOAS, NOTIFIED_LOA_PREFIX } from '../constants.ts';
import { refuseRequest } from '../errors.ts';
import type { RequestedLoa } from '../types.ts';
import { optionalAttribute, textOf } from './read.ts';

const rank = (uri: string): number => NOTIFIED_LOAS.indexOf(uri);
const isNotified = (uri: string): boolean => rank(uri) >= 0;

export function readRequestedLoa(request: Element, supported: readonly string[]): RequestedLoa {
  const context = optionalChild(request, NS.samlp, 'RequestedAuthnContext');
  if (!context) refuseRequest('LOA_SHAPE', 'RequestedAuthnContext missing (R-MSG-20)');
  const comparison = optionalAttribute(context, 'Comparison') ?? 'exact';
  if (comparison !== 'minimum' && comparison !== 'exact') refuseRequest('LOA_SHAPE', 'Comparison must be minimum or exact');
  const requested = classRefs(context);
  const acceptable = comparison === 'minimum' ? minimumLevels(requested, supported) : exactLevels(requested, supported);
  if (acceptable.length === 0) refuseRequest('LOA_UNAVAILABLE', 'no requested level can be delivered');
  return { comparison, requested, acceptable };
}

/** Only AuthnContextClassRef children (no DeclRef), non-empty, no duplicates. */
function classRefs(context: Element): string[] {
  const uris: string[] = [];
  for (const child of elementChildren(context)) {
    const name = child.localName;
    if (!isElement(child, NS.saml, 'AuthnContextClassRef')) refuseRequest('LOA_SHAPE', `${name} is not supported`);
    const uri = textOf(child);
    if (uri === '' || uris.includes(uri)) refuseRequest('LOA_SHAPE', 'empty or repeated AuthnContextClassRef');
    uris.push(uri);
  }
  if (uris.length === 0) refuseRequest('LOA_SHAPE', 'no AuthnContextClassRef');
  return uris;
}

/** R-MSG-21: one notified URI; we deliver it or anything higher we support, lowest first. */
function minimumLevels(requested: string[], supported: readonly string[]): string[] {
  if (requested.length !== 1) refuseRequest('LOA_SHAPE', 'minimum takes exactly one level');
  const uri = requested[0]!;
  if (!isNotified(uri)) {
    // An unknown URI dressed as a notified one (case, trailing slash) is a level nobody offers.
    if (uri.startsWith(NOTIFIED_LOA_PREFIX)) refuseRequest('LOA_UNAVAILABLE', 'unknown level of assurance');
    refuseRequest('LOA_SHAPE', 'minimum is for notified levels only (R-MSG-21)');
  }
  return supported.filter((s) => isNotified(s) && rank(s) >= rank(uri)).sort((a, b) => rank(a) - rank(b));
}

/** R-MSG-22: the request lists every acceptable URI; we deliver one of them we support. */
function exactLevels(requested: string[], supported: readonly string[]): string[] {
  const notified = requested.filter(isNotified);
  if (notified.length === requested.length) refuseRequest('LOA_SHAPE', 'exact needs a non-notified level (R-MSG-22)');
  if (notified.length > 0) {
    const lowest = Math.min(...notified.map(rank));
    if (NOTIFIED_LOAS.slice(lowest).some((higher) => !requested.includes(higher))) {
      refuseRequest('LOA_SHAPE', 'exact must list every notified level above a listed one (R-MSG-22)');
    }
  }
  const ours = supported.filter((s) => requested.includes(s));
  return [...ours.filter(isNotified).sort((a, b) => rank(a) - rank(b)), ...ours.filter((s) => !isNotified(s))];
}
