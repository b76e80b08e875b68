import type { Migration } from './index.ts';

/**
 * Pending flows (the state of a login between its two legs, behind an opaque id) and the
 * message IDs already seen per issuer (replay protection). Every row expires; the indexes on
 * expires_at serve the sweeper.
 */
export const flowsAndReplay: Migration = {
  id: '0001_flows_and_replay',
  sql: `
CREATE TABLE pending_flows (
  id          text        PRIMARY KEY,
  kind        text        NOT NULL,
  state       jsonb       NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  CONSTRAINT pending_flows_expires_after_creation CHECK (expires_at > created_at)
);
CREATE INDEX pending_flows_expires_at_idx ON pending_flows (expires_at);

CREATE TABLE seen_message_ids (
  issuer      text        NOT NULL,
  message_id  text        NOT NULL,
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (issuer, message_id)
);
CREATE INDEX seen_message_ids_expires_at_idx ON seen_message_ids (expires_at);
`,
};
