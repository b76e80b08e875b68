import type { Migration } from './index.ts';

/**
 * The node's own keys and the audit log.
 *
 * node_keys: one row per key pair, its state shared by every instance. The private key is a
 * file in the keys directory (`key_file`, a name inside it), never a column; the certificate
 * is public and kept here so every instance publishes the same one. At most one active key
 * per use (partial unique index); each state carries the dates that led to it.
 *
 * audit_events: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE), hash-chained
 * by the application (src/audit), serials 1…n without gaps.
 */
export const keysAndAudit: Migration = {
  id: '0002_keys_audit',
  sql: `
CREATE TABLE node_keys (
  id               text        PRIMARY KEY CHECK (id ~ '^(signing|encryption|metadata)-[0-9a-f]{12}$'),
  use              text        NOT NULL CHECK (use IN ('signing', 'encryption', 'metadata')),
  state            text        NOT NULL CHECK (state IN ('next', 'active', 'retiring', 'retired')),
  algorithm        text        NOT NULL,
  key_file         text        NOT NULL CHECK (key_file ~ '^[A-Za-z0-9][A-Za-z0-9._-]*$'),
  certificate_pem  text        NOT NULL,
  fingerprint      text        NOT NULL UNIQUE,
  not_after        timestamptz NOT NULL,
  created_at       timestamptz NOT NULL,
  published_at     timestamptz NOT NULL,
  activated_at     timestamptz,
  retiring_at      timestamptz,
  retired_at       timestamptz,
  CONSTRAINT node_keys_dates_follow_state CHECK (
    (state = 'next'     AND activated_at IS NULL AND retiring_at IS NULL AND retired_at IS NULL) OR
    (state = 'active'   AND activated_at IS NOT NULL AND retiring_at IS NULL AND retired_at IS NULL) OR
    (state = 'retiring' AND activated_at IS NOT NULL AND retiring_at IS NOT NULL AND retired_at IS NULL) OR
    (state = 'retired'  AND retired_at IS NOT NULL)
  )
);
CREATE UNIQUE INDEX node_keys_one_active_per_use ON node_keys (use) WHERE state = 'active';

CREATE TABLE audit_events (
  serial     bigint      PRIMARY KEY CHECK (serial > 0),
  at         timestamptz NOT NULL,
  event      text        NOT NULL,
  actor      text        NOT NULL,
  details    jsonb       NOT NULL,
  prev_hash  text        NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash       text        NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$')
);
CREATE INDEX audit_events_event_idx ON audit_events (event, serial);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = '42501';
END
$fn$;
CREATE TRIGGER audit_events_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
`,
};
