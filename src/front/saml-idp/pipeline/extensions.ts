/**
 * The eIDAS `saml2p:Extensions` of a verified AuthnRequest (R-MSG-13, 14, 25, 26, ATK-07): they
 * are present, they carry SPType exactly once across metadata and request, no NodeCountry, and
 * one RequestedAttributes (read by requested-attributes.ts). Read from the verified element only.
 */
import { NS, childElements, optionalChild } from '../../../saml/index.ts';
import { refuseRequest } from '../errors.ts';
import type { ConnectorPeer } from '../types.ts';
import { textOf } from './read.ts';

const SP_TYPES = new Set(['public', 'private']);

/** R-MSG-13: one samlp:Extensions. */
export function readExtensions(request: Element): Element {
  const extensions = optionalChild(request, NS.samlp, 'Extensions');
  if (!extensions) refuseRequest('EXTENSIONS', 'Extensions missing (R-MSG-13)');
  return extensions;
}

/** R-MSG-26. */
export function checkNoNodeCountry(extensions: Element): void {
  if (childElements(extensions, NS.eidas, 'NodeCountry').length > 0) refuseRequest('NODE_COUNTRY');
}

/** R-MSG-25: SPType in the connector metadata or in the request, never both, never neither. */
export function readSpType(extensions: Element, peer: ConnectorPeer): 'public' | 'private' {
  const inRequest = childElements(extensions, NS.eidas, 'SPType');
  if (inRequest.length > 1) refuseRequest('SPTYPE', 'SPType repeated');
  const fromRequest = inRequest[0] ? textOf(inRequest[0]) : undefined;
  const fromMetadata = peer.spType;
  if (fromRequest !== undefined && fromMetadata !== undefined) refuseRequest('SPTYPE', 'SPType in both metadata and request');
  const value = fromRequest ?? fromMetadata;
  if (value === undefined) refuseRequest('SPTYPE', 'SPType in neither metadata nor request');
  if (!SP_TYPES.has(value)) refuseRequest('SPTYPE', 'SPType is neither public nor private');
  return value as 'public' | 'private';
}
