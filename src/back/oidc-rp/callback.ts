/**
 * The authorization response at our redirect_uri, checked before anything is sent back to
 * FranceConnect: one value per parameter (ATK-59 pollution), `state` equal to this browser's
 * (ATK-59), `iss` equal to the configured OP when given or announced (RFC 9207, ATK-62), and
 * FranceConnect's own errors turned into typed errors.
 */
import { sameString } from './equal.ts';
import { OidcRpError, rpError, type OidcRpReason } from './errors.ts';

export type CallbackInput = URL | URLSearchParams | Readonly<Record<string, unknown>>;

const KNOWN: Readonly<Record<string, OidcRpReason>> = {
  state: 'OIDC_STATE',
  code: 'OIDC_CODE',
  iss: 'OIDC_ISSUER',
  error: 'OIDC_OP_ERROR',
  error_description: 'OIDC_OP_ERROR',
};

/** One string per parameter; a repeated or non-string known parameter is refused. */
export function callbackParams(input: CallbackInput): Map<string, string> {
  const out = new Map<string, string>();
  const entries: Array<[string, unknown]> =
    input instanceof URL ? [...input.searchParams] : input instanceof URLSearchParams ? [...input] : Object.entries(input);
  for (const [key, value] of entries) {
    const reason = KNOWN[key];
    if (!reason) continue;
    if (typeof value !== 'string' || out.has(key)) throw rpError(reason, `callback parameter ${key} is repeated or not a string`);
    out.set(key, value);
  }
  return out;
}

export function checkState(params: Map<string, string>, expected: string): void {
  const state = params.get('state');
  if (!state) throw rpError('OIDC_STATE', 'callback has no state');
  if (!sameString(state, expected)) throw rpError('OIDC_STATE', 'callback state is not this login');
}

export function checkIssParameter(params: Map<string, string>, issuer: string, announced: boolean): void {
  const iss = params.get('iss');
  if (iss === undefined) {
    if (announced) throw rpError('OIDC_ISSUER', 'callback has no iss although the OP announces it');
    return;
  }
  if (iss !== issuer) throw rpError('OIDC_ISSUER', 'callback iss is not the configured OP');
}

function clean(value: string, pattern: RegExp, max: number): string {
  return value.replace(pattern, '').slice(0, max);
}

/** FranceConnect's error answer (access_denied when the citizen cancels). */
export function throwIfOpError(params: Map<string, string>): void {
  const error = params.get('error');
  if (error === undefined) return;
  const code = clean(error, /[^A-Za-z0-9_.-]/g, 64) || 'unknown';
  const raw = params.get('error_description');
  const description = raw === undefined ? undefined : clean(raw, /[^\x20-\x7e]/g, 200);
  const reason = code === 'access_denied' ? 'OIDC_ACCESS_DENIED' : 'OIDC_OP_ERROR';
  throw new OidcRpError(reason, `FranceConnect answered ${code}`, { error: code, ...(description ? { description } : {}) });
}

export function requireCode(params: Map<string, string>): string {
  const code = params.get('code');
  if (!code) throw rpError('OIDC_CODE', 'callback has no code');
  return code;
}

/** The URL openid-client reads the response from: our redirect_uri plus the checked parameters. */
export function callbackUrl(redirectUri: string, params: Map<string, string>): URL {
  const url = new URL(redirectUri);
  for (const [k, v] of params) url.searchParams.set(k, v);
  return url;
}
