/** The readiness checks of the node: the database answers, our keys are loaded and valid. */
import type { Database } from '../storage/index.ts';
import type { KeySet } from '../keys/keyset.ts';
import type { ReadinessCheck } from './readiness.ts';

export function databaseCheck(db: Database): ReadinessCheck {
  return {
    name: 'database',
    async run() {
      await db.ping();
      return { ok: true, engine: db.engine, detail: db.target };
    },
  };
}

export function keysCheck(keys: KeySet, now: () => Date = () => new Date()): ReadinessCheck {
  return {
    name: 'keys',
    async run() {
      const at = now();
      const roles = Object.values(keys).map((k) => ({ role: k.role, fingerprint: k.fingerprint, notAfter: k.notAfter.toISOString() }));
      const expired = Object.values(keys).filter((k) => k.notAfter <= at).map((k) => k.role);
      return expired.length === 0
        ? { ok: true, roles }
        : { ok: false, detail: `expired certificate for ${expired.join(', ')}`, roles };
    },
  };
}

/** Our keys from the key ring (src/metadata/keys): expiry, the warning window, failed refreshes. */
export { keyRingCheck } from '../metadata/keys/readiness.ts';

/** Per peer: state, last fetch, validUntil, key expiry, last error (src/metadata/peers). */
export { peersReadinessCheck as peersCheck } from '../metadata/peers/readiness.ts';
