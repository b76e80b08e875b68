/**
 * Every refusal of the mapping core carries one reason and, where it helps, the name of the
 * claim, attribute or field concerned: never its value (the values are personal data).
 * The protocol sides turn a reason into their wire format (SAML status, OIDC error) in one place.
 */
export const PIVOT_REASONS = {
  CLAIM_MISSING: 'a mandatory FranceConnect claim is absent',
  CLAIM_INVALID: 'a FranceConnect claim does not have the expected type or format',
  ATTRIBUTE_MISSING: 'a required eIDAS attribute cannot be delivered, or was not received',
  ATTRIBUTE_INVALID: 'an eIDAS attribute value does not have the expected format',
  ATTRIBUTE_DUPLICATE: 'the same eIDAS attribute appears more than once',
  LEGAL_PERSON_UNSUPPORTED: 'legal-person attributes are not supported',
  REPRESENTATIVE_UNSUPPORTED: 'representative attributes are not supported',
  IDENTIFIER_INVALID: 'the PersonIdentifier is not XX/YY/opaque (R-ATT-03) for the expected countries',
  COUNTRY_INVALID: 'a country code is not two capital letters',
  LOA_COMPARISON_INVALID: 'the Comparison is neither "minimum" nor "exact" (case-sensitive)',
  LOA_REQUEST_INVALID: 'the RequestedAuthnContext is not shaped as R-MSG-21/22 require',
  LOA_UNKNOWN: 'the level (acr or AuthnContextClassRef) is not one we know, compared exactly',
  LOA_NOT_NOTIFIED: 'a non-notified level where a notified one is required or none is configured',
  LOA_NOT_AVAILABLE: 'the FranceConnect platform cannot deliver any level the request accepts',
  LOA_BELOW_REQUEST: 'the level reached is below the one requested',
  LOA_ABOVE_METADATA: "the level reported is above what the country's metadata publishes",
  SECRET_INVALID: 'a configured secret is shorter than 32 bytes',
} as const;

export type PivotReason = keyof typeof PIVOT_REASONS;

export class PivotError extends Error {
  override readonly name = 'PivotError';
  constructor(
    readonly reason: PivotReason,
    /** The claim, attribute or field concerned (a name, never a value). */
    readonly field?: string,
  ) {
    super(field ? `${reason}: ${field}` : `${reason}: ${PIVOT_REASONS[reason]}`);
  }
}

export function refusePivot(reason: PivotReason, field?: string): never {
  throw new PivotError(reason, field);
}
