/**
 * The AttributeStatement we send (R-ATT-01..06, R-RSP-04, R-RSP-08, R-RSP-18, ATK-53, ATK-54):
 * only attributes the connector requested, in its order; values NFC-normalised, never empty,
 * checked against the attribute profile; a required attribute without a value stops the
 * Response (error Response instead of a partial assertion). eIDAS xsi:types are written with
 * the natural-person namespace, as the reference node does.
 */
import { NS } from '../../../saml/index.ts';
import { naturalAttribute, type NaturalAttribute } from '../attribute-profile.ts';
import { ATTRNAME_FORMAT_URI } from '../constants.ts';
import { refuseRequest } from '../errors.ts';
import type { ValidatedRequest } from '../types.ts';
import { checkXmlText, el, PREFIX } from './xml.ts';

/** One attribute to send: the input type of the Response builder. */
export interface OutgoingAttribute {
  /** Name URI or FriendlyName of a natural-person attribute. */
  name: string;
  values: string[];
  /** Local name of the xsi:type in the natural-person namespace; default: the profile's type. */
  xsiType?: string;
}

export interface PreparedAttribute {
  definition: NaturalAttribute;
  values: string[];
  xsiType: string;
}

const MAX_VALUE_LENGTH = 1024;
const MAX_ADDRESS_LENGTH = 65_535;
/** C0/C1 controls and bidi overrides/isolates: never in an identity value we vouch for (ATK-54). */
const CONTROL_OR_BIDI = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const XSI_TYPE_LOCAL = /^[A-Za-z_][A-Za-z0-9_.-]{0,100}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

type Check = (value: string, request: ValidatedRequest, nodeCountry: string) => boolean;

const CHECKS: Record<string, Check> = {
  PersonIdentifier: (v, r, node) => v.length <= 256 && /^[A-Z]{2}\/[A-Z]{2}\/\S+$/.test(v) && v.startsWith(`${node}/${r.country}/`),
  DateOfBirth: (v) => isDate(v),
  Gender: (v) => v === 'Male' || v === 'Female' || v === 'Unspecified',
  Nationality: (v) => /^[A-Z]{2}$/.test(v),
  CountryOfBirth: (v) => /^[A-Z]{2}$/.test(v),
  CountryOfResidence: (v) => /^[A-Z]{2}$/.test(v),
  CurrentAddress: (v) => v.length <= MAX_ADDRESS_LENGTH && v.length % 4 === 0 && BASE64.test(v),
  PhoneNumber: (v) => /^\+[1-9][0-9]{1,14}$/.test(v),
  EmailAddress: (v) => v.length <= 254 && /^[^\s@]+@[^\s@]+$/.test(v),
};

function isDate(v: string): boolean {
  const m = DATE.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** The attributes to send, in the request's order, every value checked. */
export function prepareAttributes(request: ValidatedRequest, given: OutgoingAttribute[], nodeCountry: string): PreparedAttribute[] {
  const byName = new Map<string, OutgoingAttribute>();
  for (const g of given) {
    const definition = naturalAttribute(typeof g?.name === 'string' ? g.name : '');
    if (!definition) refuseRequest('OUT_ATTRIBUTE_VALUE', 'not a natural-person attribute of the profile');
    if (byName.has(definition.name)) refuseRequest('OUT_ATTRIBUTE_VALUE', `${definition.friendlyName} given twice`);
    byName.set(definition.name, g);
  }
  const out: PreparedAttribute[] = [];
  for (const wanted of request.attributes) {
    const definition = naturalAttribute(wanted.name)!;
    const g = byName.get(definition.name);
    const values = g ? cleanValues(g.values, definition) : [];
    if (values.length === 0) {
      if (wanted.isRequired) refuseRequest('ATTR_REQUIRED_MISSING', `${definition.friendlyName} has no value`);
      continue; // optional and absent: omitted, never sent empty
    }
    if (values.length > 1 && !definition.multiValued) refuseRequest('OUT_ATTRIBUTE_VALUE', `${definition.friendlyName} takes one value`);
    const check = CHECKS[definition.friendlyName];
    for (const v of values) {
      if (check ? !check(v, request, nodeCountry) : v.length > MAX_VALUE_LENGTH) {
        refuseRequest('OUT_ATTRIBUTE_VALUE', `${definition.friendlyName} value does not fit the attribute profile`);
      }
    }
    out.push({ definition, values, xsiType: xsiTypeOf(g!, definition) });
  }
  return out;
}

function cleanValues(values: unknown, definition: NaturalAttribute): string[] {
  if (!Array.isArray(values)) refuseRequest('OUT_ATTRIBUTE_VALUE', `${definition.friendlyName} values are not a list`);
  const out: string[] = [];
  for (const raw of values) {
    if (typeof raw !== 'string') refuseRequest('OUT_ATTRIBUTE_VALUE', `${definition.friendlyName} value is not a string`);
    const v = checkXmlText(raw, definition.friendlyName).normalize('NFC').trim();
    if (CONTROL_OR_BIDI.test(v)) refuseRequest('OUT_XML_INVALID', `${definition.friendlyName} holds a control character`);
    if (v !== '') out.push(v);
  }
  return out;
}

function xsiTypeOf(g: OutgoingAttribute, definition: NaturalAttribute): string {
  const type = g.xsiType ?? definition.xsiType;
  if (typeof type !== 'string' || !XSI_TYPE_LOCAL.test(type)) refuseRequest('OUT_XML_INVALID', 'xsi:type is not a local name');
  return type;
}

/** `<saml2:AttributeStatement>` with one Attribute per prepared attribute. */
export function attributeStatement(doc: Document, attributes: PreparedAttribute[]): Element {
  return el(doc, NS.saml, 'AttributeStatement', {}, attributes.map((a) => attributeElement(doc, a)));
}

function attributeElement(doc: Document, a: PreparedAttribute): Element {
  const attrs = { FriendlyName: a.definition.friendlyName, Name: a.definition.name, NameFormat: ATTRNAME_FORMAT_URI };
  return el(doc, NS.saml, 'Attribute', attrs, a.values.map((v) => {
    const value = el(doc, NS.saml, 'AttributeValue', {}, [v]);
    value.setAttributeNS(NS.xsi, 'xsi:type', `${PREFIX[NS.eidasNatural]}:${a.xsiType}`);
    return value;
  }));
}
