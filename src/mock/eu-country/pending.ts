/**
 * Requests the mock Connector has sent and not yet seen answered, in memory (a dev mock on one
 * process), under an opaque RelayState. Each one is taken at most once and lapses after the
 * flow lifetime, so a replayed or unsolicited Response finds nothing.
 */
import { randomBytes } from 'node:crypto';

export interface PendingRequest {
  id: string;
  loa: string;
  createdAt: number;
}

export const PENDING_TTL_MS = 30 * 60_000;
const MAX_PENDING = 10_000;

export class PendingRequests {
  private readonly entries = new Map<string, PendingRequest>();

  constructor(private readonly clock: () => Date) {}

  /** Stores the request and returns its RelayState (22 characters, well under 80 bytes). */
  add(request: Omit<PendingRequest, 'createdAt'>): string {
    this.sweep();
    if (this.entries.size >= MAX_PENDING) this.entries.delete(this.entries.keys().next().value!);
    const relayState = randomBytes(16).toString('base64url');
    this.entries.set(relayState, { ...request, createdAt: this.clock().getTime() });
    return relayState;
  }

  /** The pending request for this RelayState, removed; undefined when unknown or lapsed. */
  take(relayState: string): PendingRequest | undefined {
    const entry = this.entries.get(relayState);
    this.entries.delete(relayState);
    if (!entry || this.clock().getTime() - entry.createdAt > PENDING_TTL_MS) return undefined;
    return entry;
  }

  private sweep(): void {
    const now = this.clock().getTime();
    for (const [key, entry] of this.entries) {
      if (now - entry.createdAt > PENDING_TTL_MS) this.entries.delete(key);
    }
  }
}
