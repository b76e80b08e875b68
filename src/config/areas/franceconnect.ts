/**
 * `franceconnect`: the OIDC provider the proxy service sends French citizens to (FranceConnect+
 * or FranceConnect), and our client registration there. In development, with no issuer set,
 * the node uses its own mock FranceConnect under <publicBaseUrl>/mock/franceconnect/api/v2.
 */
import { z } from 'zod';

export const MOCK_FRANCECONNECT_PATH = '/mock/franceconnect/api/v2';

const encryption = z
  .strictObject({
    enabled: z
      .boolean()
      .describe('FranceConnect encrypts id_token and userinfo (JWE) to our key; FranceConnect+ always does.'),
    keyAlg: z
      .enum(['RSA-OAEP', 'RSA-OAEP-256', 'ECDH-ES'])
      .describe('The only JWE key-management algorithm accepted (registered with FranceConnect).'),
    contentAlg: z.enum(['A256GCM']).describe('The only JWE content-encryption algorithm accepted.'),
    keyFile: z
      .string()
      .min(1)
      .optional()
      .describe(
        'PEM private key FranceConnect encrypts to (RSA ≥ 3072 for RSA-OAEP*, P-256 for ECDH-ES); its public half is ' +
          'published at the jwks URL registered with FranceConnect. Required in production; in development a fresh ' +
          'key is made at each start when absent.',
      ),
  })
  .describe('Encryption of the tokens FranceConnect sends us.');

export const franceconnectSchema = z
  .strictObject({
    platform: z
      .enum(['franceconnect-plus', 'franceconnect'])
      .describe('`franceconnect-plus` (acr eidas2/eidas3, substantial and high) or `franceconnect` (eidas1 only, low).'),
    issuer: z
      .url({ protocol: /^https?$/ })
      .optional()
      .meta({
        description:
          'Issuer of the OIDC provider, exactly as in its discovery document (e.g. ' +
          '`https://auth.integ01.dev-franceconnect.fr/api/v2`). Required in production; when absent in ' +
          'development, the node serves and uses its mock FranceConnect.',
        defaultText: `<publicBaseUrl>${MOCK_FRANCECONNECT_PATH}`,
      }),
    clientId: z.string().min(1).describe('Our client_id at FranceConnect.'),
    clientSecret: z
      .string()
      .min(1)
      .optional()
      .meta({
        description:
          'Our client_secret (client_secret_post; also the HMAC key when signingAlg is HS256). Required in ' +
          'production; in development a random one is shared with the mock when absent.',
        secret: true,
      }),
    signingAlg: z
      .enum(['ES256', 'RS256', 'HS256'])
      .describe(
        'The pinned signature algorithm of id_token and userinfo (never taken from a token). ES256 for ' +
          'FranceConnect+; HS256 only on the `franceconnect` platform.',
      ),
    encryption,
    httpTimeoutMs: z.number().int().min(100).max(60_000).describe('Time limit of each call to FranceConnect (discovery, JWKS, token, userinfo).'),
    jwksCacheSeconds: z.number().int().min(0).max(86_400).describe("How long FranceConnect's signature keys are cached."),
    clockToleranceSeconds: z.number().int().min(0).max(120).describe('Clock skew tolerated on token times (exp, iat, nbf).'),
  })
  .describe('FranceConnect (proxy service: the OIDC provider French citizens log in with).');

type FranceConnect = z.output<typeof franceconnectSchema>;
interface Checked {
  environment: string;
  server: { publicBaseUrl: string };
  franceconnect: FranceConnect;
}

const at = (key: string) => ['franceconnect', key];

/** Cross-field rules: HS256 only on the low platform; production names a real, https provider. */
export function checkFranceConnect(c: Checked, ctx: z.RefinementCtx): void {
  const fc = c.franceconnect;
  if (fc.signingAlg === 'HS256' && fc.platform !== 'franceconnect') {
    ctx.addIssue({ code: 'custom', path: at('signingAlg'), message: 'HS256 is only allowed on the franceconnect platform' });
  }
  if (c.environment !== 'production') return;
  if (!fc.issuer) ctx.addIssue({ code: 'custom', path: at('issuer'), message: 'required in production' });
  else if (!fc.issuer.startsWith('https://')) ctx.addIssue({ code: 'custom', path: at('issuer'), message: 'must be an https URL in production' });
  else if (new URL(fc.issuer).pathname.startsWith('/mock/')) ctx.addIssue({ code: 'custom', path: at('issuer'), message: 'the mock is never used in production' });
  if (!fc.clientSecret) ctx.addIssue({ code: 'custom', path: at('clientSecret'), message: 'required in production' });
  if (fc.encryption.enabled && !fc.encryption.keyFile) {
    ctx.addIssue({ code: 'custom', path: ['franceconnect', 'encryption', 'keyFile'], message: 'required in production when encryption is enabled' });
  }
}

/** The issuer the node uses: the configured one, or the mock in development. */
export function franceConnectIssuer(c: { environment: string; server: { publicBaseUrl: string }; franceconnect: { issuer?: string | undefined } }): string {
  if (c.franceconnect.issuer) return c.franceconnect.issuer;
  if (c.environment === 'production') throw new Error('franceconnect.issuer is required in production');
  return `${c.server.publicBaseUrl}${MOCK_FRANCECONNECT_PATH}`;
}

/** True when the node should mount its own mock FranceConnect (development, no issuer set). */
export function usesMockFranceConnect(c: { environment: string; franceconnect: { issuer?: string | undefined } }): boolean {
  return c.environment !== 'production' && !c.franceconnect.issuer;
}
