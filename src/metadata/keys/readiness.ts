/**
 * The /readyz check of our own keys: not ready when an active certificate has expired or the
 * last refresh of the key states failed; certificates expiring within keys.expiryWarningDays
 * are listed (`expiringSoon`) without making the node unready.
 */
import type { ReadinessCheck } from '../../server/readiness.ts';
import { systemClock, type Clock } from '../../storage/clock.ts';
import type { ManagedKeyRing } from './ring.ts';
import type { NodeKey } from './types.ts';

const DAY = 86_400_000;

export interface ExpiryFlag {
  id: string;
  use: string;
  state: string;
  notAfter: string;
  /** Whole days left; negative once expired. */
  days: number;
}

/** Next, active and retiring keys whose certificate expires within `warningMs` (or has expired). */
export function expiringKeys(keys: readonly NodeKey[], warningMs: number, at: Date): ExpiryFlag[] {
  return keys
    .filter((k) => k.state !== 'retired' && k.notAfter.getTime() - at.getTime() <= warningMs)
    .map((k) => ({
      id: k.id, use: k.use, state: k.state, notAfter: k.notAfter.toISOString(),
      days: Math.floor((k.notAfter.getTime() - at.getTime()) / DAY),
    }));
}

export function keyRingCheck(ring: ManagedKeyRing, settings: { expiryWarningMs: number }, clock: Clock = systemClock): ReadinessCheck {
  return {
    name: 'keys',
    async run() {
      const at = clock();
      const live = ring.all().filter((k) => k.state !== 'retired');
      const keys = live.map((k) => ({ id: k.id, use: k.use, state: k.state, fingerprint: k.fingerprint, notAfter: k.notAfter.toISOString() }));
      const expiringSoon = expiringKeys(live, settings.expiryWarningMs, at);
      const expired = live.filter((k) => k.state === 'active' && k.notAfter.getTime() <= at.getTime()).map((k) => k.id);
      const { lastError, warnings } = ring.status();
      const facts = { keys, expiringSoon, ...(warnings.length > 0 && { warnings }) };
      if (expired.length > 0) return { ok: false, detail: `expired active certificate: ${expired.join(', ')}`, ...facts };
      if (lastError !== undefined) return { ok: false, detail: `key states could not be refreshed: ${lastError}`, ...facts };
      const soon = expiringSoon.map((f) => `${f.id} expires in ${f.days} days`);
      return { ok: true, ...(soon.length > 0 && { detail: soon.join('; ') }), ...facts };
    },
  };
}
