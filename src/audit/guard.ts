/**
 * A second net under the rule "no personal data, no key material in the audit log": details
 * are plain JSON (strings, finite numbers, booleans, null, arrays, plain objects), small, and
 * refused when a key names a secret or a personal attribute, or a value carries a PEM block.
 * Dates become ISO strings. The first net is each event's documented field list (events.ts).
 */
import { AuditError } from './errors.ts';

export const MAX_DETAILS_BYTES = 8 * 1024;
const MAX_DEPTH = 4;
const MAX_STRING = 2048;
/** Compared with the key lower-cased and without `_`/`-`. */
const FORBIDDEN_KEY =
  /private|secret|passw|passphrase|token|cookie|^pem$|givenname|familyname|firstname|lastname|birth|personidentifier|^nameid$|email|phone/;
const ACTOR_SHAPE = /^[A-Za-z0-9][A-Za-z0-9 ._:@/-]{0,63}$/;

export function checkActor(actor: string): void {
  if (typeof actor !== 'string' || !ACTOR_SHAPE.test(actor)) {
    throw new AuditError('BAD_ACTOR', 'an audit actor is a short name (letters, digits, . _ : @ / -, at most 64)');
  }
}

/** A normalised copy of `details` (what is stored and hashed), or AuditError DETAILS_REFUSED. */
export function sanitiseDetails(details: Record<string, unknown>): Record<string, unknown> {
  if (!isPlainObject(details)) throw refused('details must be a plain object');
  const copy = normalise(details, 'details', 0) as Record<string, unknown>;
  if (Buffer.byteLength(JSON.stringify(copy), 'utf8') > MAX_DETAILS_BYTES) {
    throw refused(`details are limited to ${MAX_DETAILS_BYTES} bytes of JSON`);
  }
  return copy;
}

function normalise(value: unknown, path: string, depth: number): unknown {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw refused(`${path} is not a finite number`);
    return value;
  }
  if (typeof value === 'string') return checkString(value, path);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw refused(`${path} is an invalid date`);
    return value.toISOString();
  }
  if (depth >= MAX_DEPTH) throw refused(`${path} is nested too deeply`);
  if (Array.isArray(value)) return value.map((v, i) => normalise(v, `${path}[${i}]`, depth + 1));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (FORBIDDEN_KEY.test(k.toLowerCase().replace(/[_-]/g, ''))) {
        throw refused(`${path}.${k} may hold a secret or personal data`);
      }
      if (v !== undefined) out[k] = normalise(v, `${path}.${k}`, depth + 1);
    }
    return out;
  }
  throw refused(`${path} is not plain JSON`);
}

function checkString(value: string, path: string): string {
  if (value.length > MAX_STRING) throw refused(`${path} is longer than ${MAX_STRING} characters`);
  if (value.includes('-----BEGIN')) throw refused(`${path} holds a PEM block (key material is never audited)`);
  if (value.includes('\u0000')) throw refused(`${path} holds a NUL character`);
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function refused(message: string): AuditError {
  return new AuditError('DETAILS_REFUSED', `audit details refused: ${message}`);
}
