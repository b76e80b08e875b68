/**
 * `eidas:RequestedAttributes` (R-MSG-14..18, R-ATT-01, ATK-48): one element, one
 * RequestedAttribute per Name, NameFormat uri, isRequired an xs:boolean (absent = false).
 * Unknown optional attributes are ignored (R-MSG-17); an unknown required one is refused;
 * natural and legal person are never mixed (R-MSG-16); representative attributes are never
 * requested (R-MSG-18); legal-person requests are refused until they are supported.
 */
import { NS, childElements, elementChildren, isElement } from '../../../saml/index.ts';
import { attributeKind, naturalAttribute } from '../attribute-profile.ts';
import { ATTRNAME_FORMAT_URI } from '../constants.ts';
import { refuseRequest } from '../errors.ts';
import type { RequestedAttribute } from '../types.ts';
import { booleanAttribute, optionalAttribute, trimXml } from './read.ts';

interface Requested {
  name: string;
  friendlyName: string | undefined;
  isRequired: boolean;
}

/** The supported natural-person attributes requested, in request order, with isRequired. */
export function readRequestedAttributes(extensions: Element, supported: readonly string[]): RequestedAttribute[] {
  const containers = childElements(extensions, NS.eidas, 'RequestedAttributes');
  if (containers.length !== 1) refuseRequest('EXTENSIONS', 'exactly one RequestedAttributes is required (R-MSG-14)');
  const requested = readEach(containers[0]!);
  checkPersonKinds(requested);
  const out: RequestedAttribute[] = [];
  for (const r of requested) {
    const known = naturalAttribute(r.name);
    const ours = known !== undefined && known.name === r.name && supported.includes(known.friendlyName);
    if (!ours) {
      if (r.isRequired) refuseRequest('ATTR_UNKNOWN_REQUIRED', `required attribute not provided: ${r.name.slice(0, 200)}`);
      continue; // R-MSG-17: ignored
    }
    if (r.friendlyName !== undefined && r.friendlyName !== known.friendlyName) {
      refuseRequest('ATTR_SHAPE', `FriendlyName ${r.friendlyName.slice(0, 60)} does not belong to ${known.name} (R-ATT-01)`);
    }
    out.push({ name: known.name, friendlyName: known.friendlyName, isRequired: r.isRequired });
  }
  if (out.length === 0) refuseRequest('ATTR_SHAPE', 'no attribute we provide is requested');
  return out;
}

function readEach(container: Element): Requested[] {
  const out: Requested[] = [];
  for (const el of elementChildren(container)) {
    const localName = el.localName;
    if (!isElement(el, NS.eidas, 'RequestedAttribute')) refuseRequest('ATTR_SHAPE', `${localName} in RequestedAttributes`);
    const name = trimXml(optionalAttribute(el, 'Name') ?? '');
    if (name === '') refuseRequest('ATTR_SHAPE', 'RequestedAttribute without Name');
    const format = optionalAttribute(el, 'NameFormat');
    if (format !== undefined && format !== ATTRNAME_FORMAT_URI) refuseRequest('ATTR_SHAPE', 'NameFormat is not uri (R-ATT-01)');
    if (out.some((o) => o.name === name)) refuseRequest('ATTR_SHAPE', 'attribute requested twice');
    const friendly = optionalAttribute(el, 'FriendlyName');
    out.push({ name, friendlyName: friendly, isRequired: booleanAttribute(el, 'isRequired', false, 'ATTR_SHAPE') });
  }
  if (out.length === 0) refuseRequest('ATTR_SHAPE', 'no RequestedAttribute (R-MSG-14)');
  return out;
}

/** R-MSG-16, R-MSG-18, and legal-person support (DESIGN §2: refused with a precise status). */
function checkPersonKinds(requested: Requested[]): void {
  const kinds = requested.map((r) => attributeKind(r.name));
  if (kinds.includes('representative')) refuseRequest('ATTR_REPRESENTATIVE');
  const natural = kinds.some((k) => k === 'natural' || k === 'natural-unknown');
  const legal = kinds.includes('legal');
  if (natural && legal) refuseRequest('ATTR_MIXED');
  if (legal) refuseRequest('ATTR_LEGAL_PERSON');
}
