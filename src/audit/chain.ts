/**
 * The hash chain of the audit log: each row's hash is SHA-256 over the previous row's hash and
 * the row's canonical form (keys sorted at every level, dates as ISO-8601 UTC), so changing,
 * removing or reordering any row breaks every hash after it.
 */
import { createHash } from 'node:crypto';

/** The `prev_hash` of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  serial: number;
  at: Date;
  event: string;
  actor: string;
  details: Record<string, unknown>;
}

/** JSON with object keys sorted recursively: one text for one value, whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

export function canonicalRow(row: ChainedFields): string {
  return canonicalJson({
    serial: row.serial,
    at: row.at.toISOString(),
    event: row.event,
    actor: row.actor,
    details: row.details,
  });
}

export function chainHash(prevHash: string, row: ChainedFields): string {
  return createHash('sha256').update(prevHash, 'utf8').update('\n', 'utf8').update(canonicalRow(row), 'utf8').digest('hex');
}
