/** What a verified FranceConnect login gives the flow. */
import type { PivotClaims } from './identity.ts';
import type { Acr } from './platform.ts';

export interface VerifiedLogin {
  /** The OP that authenticated the citizen. */
  issuer: string;
  /** FranceConnect's pairwise subject for our client (id_token = userinfo). */
  sub: string;
  /** The level FranceConnect returned: derive the eIDAS LoA from this, never from the request. */
  acr: Acr;
  amr?: string[];
  authTime?: number;
  /** The requested pivot claims, exactly as FranceConnect sent them. */
  claims: PivotClaims;
  /**
   * The verified id_token as a compact JWS signed by FranceConnect (the inner JWS when it came
   * encrypted to us: FranceConnect cannot open a JWE made for us), for `logoutUrl`'s
   * id_token_hint. A bearer secret: kept in the flow state only, never logged or shown.
   */
  idTokenHint: string;
}
