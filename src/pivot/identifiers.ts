/**
 * Person identifiers, both directions (DESIGN §2, R-ATT-03).
 *
 * Proxy service: `FR/<requesting country>/<opaque>`, opaque = lowercase hex of
 * HMAC-SHA-256(secret, country + FranceConnect sub). The country is always two letters, so
 * `country + sub` cannot be read two ways. Stable for one citizen and one country; two
 * countries get values nobody can link without the secret.
 *
 * Connector: the foreign value, validated as `XX/FR/<opaque>` where XX is the country whose
 * proxy service answered, becomes the source of a pairwise `sub`: lowercase hex of
 * HMAC-SHA-256(secret, JSON.stringify([sector, PersonIdentifier])), one value per sector.
 */
import { createHmac } from 'node:crypto';
import { refusePivot } from './errors.ts';
import { isCountryCode } from './text.ts';

/** A configured secret: at least 32 bytes (a string counts its UTF-8 bytes). */
export type Secret = string | Uint8Array;

const MIN_SECRET_BYTES = 32;
/** R-ATT-03: the whole identifier is at most 256 characters. */
const MAX_IDENTIFIER_LENGTH = 256;
/**
 * The opaque part: printable ASCII without whitespace (ATK-54 refuses control, bidi and other
 * invisible characters). It may itself contain `/` (base64 values do); the prefix may not.
 */
const OPAQUE = /^[\x21-\x7e]+$/;
const PREFIX = /^([A-Z]{2})\/([A-Z]{2})\/(.*)$/s;

function hmacHex(secret: Secret, field: string, data: string): string {
  const bytes = typeof secret === 'string' ? Buffer.byteLength(secret, 'utf8') : secret.byteLength;
  if (bytes < MIN_SECRET_BYTES) refusePivot('SECRET_INVALID', field);
  return createHmac('sha256', secret).update(data, 'utf8').digest('hex');
}

/** Proxy service: the PersonIdentifier (and persistent NameID) sent to one requesting country. */
export function personIdentifierFor(sub: string, requesterCountry: string, secret: Secret): string {
  if (!isCountryCode(requesterCountry)) refusePivot('COUNTRY_INVALID', 'requesterCountry');
  if (typeof sub !== 'string' || sub === '') refusePivot('CLAIM_MISSING', 'sub');
  return `FR/${requesterCountry}/${hmacHex(secret, 'identifierSecret', requesterCountry + sub)}`;
}

export interface ForeignPersonIdentifier {
  readonly value: string;
  readonly issuingCountry: string;
  readonly destinationCountry: string;
  readonly opaque: string;
}

/**
 * Connector: a received PersonIdentifier, checked against R-ATT-03 and against the countries of
 * this exchange: issued by `issuingCountry` (the proxy service that answered, ATK-46) for FR.
 */
export function parseForeignPersonIdentifier(value: unknown, issuingCountry: string): ForeignPersonIdentifier {
  if (!isCountryCode(issuingCountry)) refusePivot('COUNTRY_INVALID', 'issuingCountry');
  if (typeof value !== 'string' || value.length > MAX_IDENTIFIER_LENGTH) {
    refusePivot('IDENTIFIER_INVALID', 'PersonIdentifier');
  }
  const m = PREFIX.exec(value);
  if (!m || m[1] !== issuingCountry || m[2] !== 'FR' || !OPAQUE.test(m[3]!)) {
    refusePivot('IDENTIFIER_INVALID', 'PersonIdentifier');
  }
  return { value, issuingCountry: m[1]!, destinationCountry: m[2]!, opaque: m[3]! };
}

/** Connector: the pairwise `sub` of one foreign identity for one sector (client or sector id). */
export function pairwiseSubFor(personIdentifier: ForeignPersonIdentifier, sector: string, secret: Secret): string {
  if (typeof sector !== 'string' || sector === '') refusePivot('CLAIM_INVALID', 'sector');
  return hmacHex(secret, 'subSecret', JSON.stringify([sector, personIdentifier.value]));
}
