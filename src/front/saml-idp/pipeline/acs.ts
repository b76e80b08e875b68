/**
 * Where an answer may go (R-MSG-09, R-RSP-17, IA §3.2.2.1, ATK-48): an HTTP-POST
 * AssertionConsumerService of the connector's verified metadata, never a URL of the request.
 * A requested URL or index that the metadata does not list is PS-400: nothing is sent.
 */
import { BINDING_URI } from '../constants.ts';
import { refuseRequest } from '../errors.ts';
import type { ConnectorPeer } from '../types.ts';
import { optionalAttribute } from './read.ts';

type Acs = ConnectorPeer['assertionConsumerServices'][number];

export function resolveAcs(request: Element, peer: ConnectorPeer): string {
  const posts = peer.assertionConsumerServices.filter((a) => a.binding === BINDING_URI.POST && usableUrl(a.location));
  const url = optionalAttribute(request, 'AssertionConsumerServiceURL');
  const index = optionalAttribute(request, 'AssertionConsumerServiceIndex');
  if (url !== undefined && index !== undefined) refuseRequest('ACS', 'both AssertionConsumerServiceURL and Index');
  if (url !== undefined) return byUrl(posts, url);
  if (index !== undefined) return byIndex(posts, index);
  return defaultAcs(posts);
}

/** Case-sensitive, exact comparison with the metadata Location (R-MSG-09). */
function byUrl(posts: Acs[], url: string): string {
  const found = posts.find((a) => a.location === url);
  if (!found) refuseRequest('ACS', 'AssertionConsumerServiceURL not in the connector metadata');
  return found.location;
}

function byIndex(posts: Acs[], index: string): string {
  if (!/^[0-9]{1,5}$/.test(index)) refuseRequest('ACS', 'AssertionConsumerServiceIndex is not an unsigned short');
  const found = posts.find((a) => a.index === Number(index));
  if (!found) refuseRequest('ACS', 'AssertionConsumerServiceIndex not in the connector metadata');
  return found.location;
}

/** SAML metadata §2.2.3: the one flagged isDefault, else the first not flagged false, else the first. */
function defaultAcs(posts: Acs[]): string {
  const chosen = posts.find((a) => a.isDefault === true) ?? posts.find((a) => a.isDefault !== false) ?? posts[0];
  if (!chosen) refuseRequest('ACS', 'the connector metadata lists no HTTP-POST AssertionConsumerService');
  return chosen.location;
}

/** Only absolute http(s) URLs are ever rendered as a form action. */
function usableUrl(location: string): boolean {
  try {
    const u = new URL(location);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}
