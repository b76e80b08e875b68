/** Constant-time comparison of two strings (state, nonce): no timing oracle on how much matched. */
import { timingSafeEqual } from 'node:crypto';

export function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
