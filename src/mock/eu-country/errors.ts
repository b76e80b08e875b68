/** Why the mock EU country refused something: one code, shown on its page (never a stack trace). */
export const MOCK_EU_REASONS = {
  NODE_METADATA: "the node's Proxy-Service metadata could not be fetched or verified",
  BAD_REQUEST: 'the request to the demo service is not valid',
  RESPONSE_FORMAT: 'the SAML Response is not built as eIDAS requires',
  RESPONSE_UNSOLICITED: 'the SAML Response answers no request of this browser',
  RESPONSE_MISMATCH: 'Destination, Recipient, Issuer or Audience is not the expected one',
  RESPONSE_EXPIRED: 'the SAML Response or its assertion is outside its validity window',
  LOA_TOO_LOW: 'the level of assurance is below the one requested',
} as const;

export type MockEuReason = keyof typeof MOCK_EU_REASONS;

export class MockEuError extends Error {
  override readonly name = 'MockEuError';
  constructor(
    readonly reason: MockEuReason,
    detail?: string,
  ) {
    super(detail ? `${reason}: ${detail}` : `${reason}: ${MOCK_EU_REASONS[reason]}`);
  }
}
