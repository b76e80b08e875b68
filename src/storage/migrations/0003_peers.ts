import type { Migration } from './index.ts';

/**
 * The peer registry (issue 3): peers added by `pont peers add` or recorded from the
 * configuration, every verified version of their metadata (exact bytes, SHA-256 of those
 * bytes), and each peer's fetch status. A version row is written only after every check
 * passed; the status row names the version in service.
 */
export const peers: Migration = {
  id: '0003_peers',
  sql: `
CREATE TABLE peers (
  entity_id      text        PRIMARY KEY,
  country        text        NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  role           text        NOT NULL CHECK (role IN ('connector', 'proxy-service')),
  source         text        NOT NULL CHECK (source IN ('config', 'cli')),
  trust_anchors  jsonb       NOT NULL,
  added_at       timestamptz NOT NULL
);

CREATE TABLE peer_metadata_versions (
  entity_id    text        NOT NULL,
  fingerprint  text        NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
  xml          bytea       NOT NULL,
  valid_until  timestamptz NOT NULL,
  fetched_at   timestamptz NOT NULL,
  PRIMARY KEY (entity_id, fingerprint)
);
CREATE INDEX peer_metadata_versions_fetched_idx ON peer_metadata_versions (entity_id, fetched_at);

CREATE TABLE peer_status (
  entity_id            text        PRIMARY KEY,
  last_fetch_at        timestamptz,
  last_success_at      timestamptz,
  last_error_reason    text,
  last_error_detail    text,
  last_error_at        timestamptz,
  current_fingerprint  text,
  FOREIGN KEY (entity_id, current_fingerprint) REFERENCES peer_metadata_versions (entity_id, fingerprint)
);
`,
};
