/**
 * Value checks shared by both directions: names, dates, country codes. Each returns the
 * accepted value or `undefined`; the caller names the claim or attribute in its error.
 * XML-special characters (< > & ' ") are ordinary text here: escaping is the XML builder's job.
 */

/** Longest name we accept (FranceConnect's own bound is 256 characters). */
export const MAX_NAME_LENGTH = 256;
/** Longest free-text place of birth we accept. */
export const MAX_PLACE_LENGTH = 512;

/**
 * Characters no name may carry (ATK-53, ATK-54): C0/C1 controls (tab and newline included),
 * lone surrogates, the non-characters U+FFFE/U+FFFF, bidirectional controls, zero-width space,
 * word joiner and byte-order mark. ZWJ/ZWNJ (U+200C/U+200D) stay: some scripts need them.
 */
const FORBIDDEN = /[\p{Cc}\p{Cs}\uFFFE\uFFFF\u061C\u200B\u200E\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/u;

/** A display string: NFC-normalised, 1..max characters, not blank, no forbidden character. */
export function cleanText(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string' || FORBIDDEN.test(value)) return undefined;
  const nfc = value.normalize('NFC');
  if (nfc.trim() === '' || [...nfc].length > max) return undefined;
  return nfc;
}

/** True when (year, month, day) is a day of the proleptic Gregorian calendar. */
function isCalendarDate(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/** An xsd:date without time zone, `YYYY-MM-DD`, that exists in the calendar (R-ATT-04, ATK-54). */
export function checkXsdDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = DATE.exec(value);
  if (!m || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined;
  return value;
}

/**
 * FranceConnect `birthdate`: `YYYY-MM-DD`, or a presumed date `YYYY-MM-00` (day unknown) or
 * `YYYY-00-00` (day and month unknown). `YYYY-00-DD` is not a form FranceConnect uses.
 */
export function checkFcBirthdate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = DATE.exec(value);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month === 0 && day === 0) return year >= 1 ? value : undefined;
  if (day === 0) return isCalendarDate(year, month, 1) ? value : undefined;
  return isCalendarDate(year, month, day) ? value : undefined;
}

/**
 * Presumed dates → a valid xsd:date. eIDAS has no form for a partly unknown date (R-ATT-04), so
 * an unknown day becomes 01 and an unknown month becomes 01: `1962-07-00` → `1962-07-01`,
 * `1950-00-00` → `1950-01-01`. FranceConnect's own eIDAS bridge applies the same rule. The
 * result is the first day the presumed date can stand for, never a day outside it.
 */
export function fcBirthdateToXsdDate(birthdate: string): string {
  const [year, month, day] = birthdate.split('-') as [string, string, string];
  return `${year}-${month === '00' ? '01' : month}-${day === '00' ? '01' : day}`;
}

/** ISO 3166-1 alpha-2 as eIDAS writes it (EL for Greece): two capital letters. */
export function isCountryCode(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Z]{2}$/.test(value);
}
