/**
 * Replay protection (R-MSG: "ID never seen"): a message ID is accepted once per issuer while
 * its record lives. One statement decides, so concurrent requests on any number of instances
 * sharing the database get exactly one `true`. A record that has expired may be taken again,
 * in that same statement (the conflict branch only fires on an expired row).
 */
import { systemClock, type Clock } from './clock.ts';
import type { Database } from './database.ts';
import { StorageError } from './errors.ts';

export interface ReplayStoreOptions {
  clock?: Clock;
}

/** Longest issuer (an entity ID URL) or message ID accepted, in characters. */
export const MAX_REPLAY_KEY_LENGTH = 1024;

const MARK_SEEN_SQL = `
INSERT INTO seen_message_ids AS seen (issuer, message_id, expires_at)
VALUES ($1, $2, $3)
ON CONFLICT (issuer, message_id) DO UPDATE SET expires_at = EXCLUDED.expires_at
  WHERE seen.expires_at <= $4
RETURNING 1 AS first`;

function checkKey(name: string, value: string): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_REPLAY_KEY_LENGTH) {
    throw new StorageError('INVALID_ARGUMENT', `${name} must be a non-empty string of at most ${MAX_REPLAY_KEY_LENGTH} characters`);
  }
}

export class ReplayStore {
  private readonly clock: Clock;

  constructor(
    private readonly db: Database,
    options: ReplayStoreOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Records (issuer, messageId) until `expiresAt`. True the first time; false while an
   * unexpired record exists (a replay). `expiresAt` must lie in the future: a record that is
   * born expired would let the same message through again.
   */
  async markSeen(issuer: string, messageId: string, expiresAt: Date): Promise<boolean> {
    checkKey('issuer', issuer);
    checkKey('message id', messageId);
    const now = this.clock();
    if (!(expiresAt instanceof Date) || !(expiresAt.getTime() > now.getTime())) {
      throw new StorageError('INVALID_ARGUMENT', 'a seen message ID must expire in the future');
    }
    const { rows } = await this.db.query(MARK_SEEN_SQL, [issuer, messageId, expiresAt, now]);
    return rows.length === 1;
  }
}
