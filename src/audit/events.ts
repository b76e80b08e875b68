/**
 * Every audit event, as a named constant, with when it is written and what its details hold.
 * This list IS the documentation: docs/keys.md carries `renderAuditEventTable()` between
 * markers, and a test fails when the two differ. Details never hold personal data, private
 * keys or whole certificates: ids, uses, states, algorithms, fingerprints, dates, URLs.
 */
export const AUDIT_EVENTS = {
  KEY_GENERATED: 'key.generated',
  KEY_IMPORTED: 'key.imported',
  KEY_PROMOTED: 'key.promoted',
  KEY_RETIRING: 'key.retiring',
  KEY_RETIRED: 'key.retired',
  PEER_ADDED: 'peer.added',
  PEER_REMOVED: 'peer.removed',
  PEER_METADATA_CHANGED: 'peer.metadata.changed',
  PEER_METADATA_REFUSED: 'peer.metadata.refused',
} as const;

export type AuditEventName = (typeof AUDIT_EVENTS)[keyof typeof AUDIT_EVENTS];

export interface AuditEventDoc {
  when: string;
  details: string;
}

export const AUDIT_EVENT_DOCS: Readonly<Record<AuditEventName, AuditEventDoc>> = {
  'key.generated': {
    when: '`pont keys generate` created a key pair (as `next`, or `active` when its use had no active key).',
    details: '`id`, `use`, `state`, `algorithm`, `fingerprint` (certificate SHA-256), `notAfter`',
  },
  'key.imported': {
    when:
      '`pont keys import` added an operator-supplied key pair, or a first start in development took the ' +
      'development keys as the active keys (`source`: `development keys`).',
    details: '`id`, `use`, `state`, `algorithm`, `fingerprint`, `notAfter`, `source`',
  },
  'key.promoted': {
    when: 'A `next` key became `active`: by `pont keys promote`, or by the schedule (`keys.autoPromoteAfterDays`).',
    details: '`id`, `use`, `from`, `to`, `replaces` (the id of the key that became retiring, if any), `scheduled`',
  },
  'key.retiring': {
    when: 'The active key of a use became `retiring` because another key of that use was promoted.',
    details: '`id`, `use`, `from`, `to`, `replacedBy`, `graceEndsAt`',
  },
  'key.retired': {
    when:
      'A key became `retired`: by `pont keys retire`, or by the schedule when its grace period ' +
      '(`keys.retiringGraceHours`) ended. A retired key leaves the metadata and no longer decrypts.',
    details: '`id`, `use`, `from`, `to`, `scheduled`',
  },
  'peer.added': {
    when: 'A peer (country and role) was added to the registry, by configuration or `pont peers add`.',
    details: '`country`, `role`, `metadataUrl`, `trustAnchors` (fingerprints)',
  },
  'peer.removed': {
    when: 'A peer was removed from the registry (`pont peers remove`).',
    details: '`country`, `role`, `metadataUrl`',
  },
  'peer.metadata.changed': {
    when: 'A verified new version of a peer\'s metadata changed its keys or endpoints.',
    details: '`entityId`, `country`, `role`, `fingerprint` (of the document), `validUntil`, `changes` (what changed, by fingerprint or URL)',
  },
  'peer.metadata.refused': {
    when: 'A fetched version of a peer\'s metadata was refused; the previous good copy stays in service.',
    details: '`entityId`, `country`, `role`, `reason` (a reason code)',
  },
};

const KNOWN: ReadonlySet<string> = new Set(Object.values(AUDIT_EVENTS));

export function isAuditEvent(event: string): event is AuditEventName {
  return KNOWN.has(event);
}

/** The Markdown table of docs/keys.md ("Audit events"). */
export function renderAuditEventTable(): string {
  const rows = Object.entries(AUDIT_EVENTS).map(([constant, event]) => {
    const doc = AUDIT_EVENT_DOCS[event];
    return `| \`${event}\` | \`AUDIT_EVENTS.${constant}\` | ${doc.when} | ${doc.details} |`;
  });
  return ['| event | constant | written when | details |', '|---|---|---|---|', ...rows].join('\n');
}
