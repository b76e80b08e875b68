/**
 * Who asks, kept for the consent page (R-MSG-11, R-MSG-19, R-MSG-27): ProviderName, the first
 * Scoping/RequesterID (as the reference node does), and the NameIDPolicy format.
 */
import { NS, childElements, optionalChild } from '../../../saml/index.ts';
import { MAX_DISPLAY_VALUE_LENGTH, NAMEID_FORMAT, SUPPORTED_NAMEID_FORMATS } from '../constants.ts';
import { refuseRequest } from '../errors.ts';
import { optionalAttribute, textOf, trimXml } from './read.ts';

/** Control characters have no place in a name shown to a citizen. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function displayValue(value: string, what: string): string | undefined {
  const v = trimXml(value);
  if (v === '') return undefined;
  if (v.length > MAX_DISPLAY_VALUE_LENGTH) refuseRequest('REQUESTER_ID', `${what} longer than ${MAX_DISPLAY_VALUE_LENGTH}`);
  if (CONTROL.test(v)) refuseRequest('REQUESTER_ID', `${what} holds control characters`);
  return v;
}

export function readProviderName(request: Element): string | undefined {
  const value = optionalAttribute(request, 'ProviderName');
  return value === undefined ? undefined : displayValue(value, 'ProviderName');
}

export function readRequesterId(request: Element): string | undefined {
  const scoping = optionalChild(request, NS.samlp, 'Scoping');
  const first = scoping ? childElements(scoping, NS.samlp, 'RequesterID')[0] : undefined;
  return first ? displayValue(textOf(first), 'RequesterID') : undefined;
}

/** R-MSG-27 / R-MD-13: when we publish the RequesterID flag, a private SP must send one. */
export function checkRequesterIdPolicy(spType: 'public' | 'private', requesterId: string | undefined, required: boolean): void {
  if (required && spType === 'private' && requesterId === undefined) refuseRequest('REQUESTER_ID', 'RequesterID required for a private SP');
}

/** R-MSG-19: persistent, transient or unspecified; no policy or no Format: persistent (as the reference node). */
export function readNameIdFormat(request: Element): string {
  const policy = optionalChild(request, NS.samlp, 'NameIDPolicy');
  const format = policy ? optionalAttribute(policy, 'Format') : undefined;
  if (format === undefined) return NAMEID_FORMAT.PERSISTENT;
  if (!SUPPORTED_NAMEID_FORMATS.includes(format)) refuseRequest('NAMEID_POLICY');
  return format;
}
