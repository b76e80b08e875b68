/**
 * Small readers for AuthnRequest values: xs:boolean, trimmed text, strict UTC xs:dateTime.
 * Every look-up is relative to the verified element (src/saml/dom.ts), never document-wide.
 */
import { strictText } from '../../../saml/index.ts';
import { refuseRequest, type IdpReason } from '../errors.ts';

const XML_SPACE = /^[ \t\r\n]+|[ \t\r\n]+$/g;

export function trimXml(value: string): string {
  return value.replace(XML_SPACE, '');
}

/** The element's text, XML whitespace trimmed (no comments or child elements: strictText). */
export function textOf(el: Element): string {
  return trimXml(strictText(el));
}

/**
 * An xs:boolean attribute: `true`/`1`, `false`/`0` (whitespace collapsed); absent: `fallback`;
 * anything else is refused with `reason`.
 */
export function booleanAttribute(el: Element, name: string, fallback: boolean, reason: IdpReason): boolean {
  const attr = el.getAttributeNode(name);
  if (!attr) return fallback;
  const v = trimXml(attr.value);
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return refuseRequest(reason, `${name}="${v.slice(0, 20)}" is not an xs:boolean`);
}

/** An attribute's value, or undefined when the attribute is absent. */
export function optionalAttribute(el: Element, name: string): string | undefined {
  return el.getAttributeNode(name)?.value;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?Z$/;

/**
 * A UTC xs:dateTime with `Z` (ATK-42): four-digit year, real calendar date, no leap second,
 * at most nine fractional digits. Anything else (offsets, no zone, year 10000…): undefined.
 */
export function parseUtcDateTime(value: string): Date | undefined {
  const m = DATE_TIME.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  const t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const d = new Date(t);
  const exact =
    d.getUTCFullYear() === year &&
    d.getUTCMonth() === month - 1 &&
    d.getUTCDate() === day &&
    d.getUTCHours() === hour &&
    d.getUTCMinutes() === minute &&
    d.getUTCSeconds() === second;
  return exact && year >= 1000 ? d : undefined;
}
