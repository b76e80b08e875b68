/**
 * The schema, as an ordered list of migrations. A migration is never edited once released
 * (its checksum is recorded and checked); a change is a new migration appended here.
 * SQL runs unchanged on PGlite (PostgreSQL 18) and PostgreSQL ≥ 13.
 */
import { flowsAndReplay } from './0001_flows_and_replay.ts';
import { keysAndAudit } from './0002_keys_audit.ts';
import { peers } from './0003_peers.ts';

export interface Migration {
  /** NNNN_name: applied in this order. */
  id: string;
  /** One or more statements; no parameters. */
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [flowsAndReplay, keysAndAudit, peers];
