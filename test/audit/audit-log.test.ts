/** The audit log (DESIGN §5, §8): hash-chained, append-only, named events, no key material or personal data. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_EVENTS,
  AuditError,
  GENESIS_HASH,
  createAuditLog,
  renderAuditEventTable,
} from '../../src/audit/index.ts';
import { StorageError } from '../../src/storage/index.ts';
import { PROJECT_ROOT } from '../../src/util/paths.ts';
import { describeEngines } from '../storage/engines.ts';
import { pinnedClock } from '../storage/pinned-clock.ts';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describeEngines('audit log', (engine) => {
  it('chains each row to the previous one: hash = SHA-256(prev_hash "\\n" canonical row)', async () => {
    const { db } = await engine.open();
    const clock = pinnedClock('2026-01-01T00:00:00Z');
    const audit = createAuditLog(db, clock.clock);
    await audit.record(AUDIT_EVENTS.KEY_GENERATED, { use: 'signing', id: 'signing-0123456789ab' }, 'test');
    clock.advance(1000);
    await audit.record(AUDIT_EVENTS.KEY_PROMOTED, { id: 'signing-0123456789ab', scheduled: false }, 'test');

    const [first, second] = await audit.list();
    const canonical1 =
      '{"actor":"test","at":"2026-01-01T00:00:00.000Z","details":{"id":"signing-0123456789ab","use":"signing"},' +
      '"event":"key.generated","serial":1}';
    expect(first).toMatchObject({ serial: 1, prevHash: GENESIS_HASH, hash: sha256(`${GENESIS_HASH}\n${canonical1}`) });
    expect(second).toMatchObject({ serial: 2, prevHash: first!.hash, event: 'key.promoted' });
    expect(await audit.verifyChain()).toEqual({ ok: true, count: 2, lastHash: second!.hash });
  });

  it('verifyChain detects a row changed behind the log\'s back (trigger disabled by the table owner)', async () => {
    const { db } = await engine.open();
    const audit = createAuditLog(db);
    for (const id of ['a', 'b', 'c']) await audit.record(AUDIT_EVENTS.KEY_RETIRED, { id: `signing-${id}`, scheduled: true });
    expect((await audit.verifyChain()).ok).toBe(true);

    await db.exec(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only;
      UPDATE audit_events SET details = '{"id":"signing-x","scheduled":true}' WHERE serial = 2;`);
    expect(await audit.verifyChain()).toMatchObject({ ok: false, count: 1, brokenAt: 2, reason: expect.stringContaining('changed') });
  });

  it('verifyChain detects a removed row and a re-hashed row that no longer follows its predecessor', async () => {
    const { db } = await engine.open();
    const audit = createAuditLog(db);
    for (const id of ['a', 'b', 'c']) await audit.record(AUDIT_EVENTS.KEY_RETIRED, { id, scheduled: false });
    await db.exec(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only; DELETE FROM audit_events WHERE serial = 2;`);
    expect(await audit.verifyChain()).toMatchObject({ ok: false, brokenAt: 3, reason: expect.stringContaining('serial 2 is missing') });

    await db.exec(`UPDATE audit_events SET serial = 2 WHERE serial = 3;`);
    expect(await audit.verifyChain()).toMatchObject({ ok: false, brokenAt: 2, reason: expect.stringContaining('prev_hash differs') });
  });

  it('the table is append-only: UPDATE, DELETE and TRUNCATE are refused by the database', async () => {
    const { db } = await engine.open();
    await createAuditLog(db).record(AUDIT_EVENTS.PEER_ADDED, { country: 'BE', role: 'proxy-service' });
    for (const sql of ["UPDATE audit_events SET actor = 'x'", 'DELETE FROM audit_events', 'TRUNCATE audit_events']) {
      const err = await db.query(sql).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StorageError);
      expect(err).toMatchObject({ code: 'QUERY_FAILED', sqlState: '42501', message: expect.stringContaining('append-only') });
    }
  });

  it('two instances appending at once extend one chain without gaps or forks', async () => {
    const { db, another } = await engine.open();
    const [a, b] = [createAuditLog(db), createAuditLog(await another())];
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).record(AUDIT_EVENTS.PEER_METADATA_CHANGED, { entityId: `https://peer/${i}` })),
    );
    expect(await a.verifyChain()).toMatchObject({ ok: true, count: 12 });
    expect((await a.list()).map((e) => e.serial)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('refuses unknown events, key material and personal data, and writes nothing', async () => {
    const { db } = await engine.open();
    const audit = createAuditLog(db);
    const refused = [
      audit.record('key.stolen', {}),
      audit.record(AUDIT_EVENTS.KEY_IMPORTED, { id: 'x', certificate: '-----BEGIN CERTIFICATE-----\nMIIB…' }),
      audit.record(AUDIT_EVENTS.KEY_IMPORTED, { id: 'x', privateKey: 'anything' }),
      audit.record(AUDIT_EVENTS.PEER_METADATA_REFUSED, { reason: 'x', details: { family_name: 'Dupont' } }),
      audit.record(AUDIT_EVENTS.PEER_METADATA_REFUSED, { reason: 'x', dateOfBirth: '1970-01-01' }),
      audit.record(AUDIT_EVENTS.PEER_ADDED, { country: 'BE' }, 'actor\nwith a line break'),
    ];
    const codes = await Promise.all(refused.map((p) => p.then(() => 'accepted', (e: unknown) => (e instanceof AuditError ? e.code : String(e)))));
    expect(codes).toEqual(['UNKNOWN_EVENT', 'DETAILS_REFUSED', 'DETAILS_REFUSED', 'DETAILS_REFUSED', 'DETAILS_REFUSED', 'BAD_ACTOR']);
    expect(await audit.list()).toEqual([]);
  });
});

describe('audit events documentation', () => {
  it('docs/keys.md lists every event of AUDIT_EVENTS, exactly as renderAuditEventTable() writes it', () => {
    const doc = readFileSync(join(PROJECT_ROOT, 'docs', 'keys.md'), 'utf8');
    const between = /<!-- audit-events:start -->\n([\s\S]*?)\n<!-- audit-events:end -->/.exec(doc);
    expect(between?.[1]).toBe(renderAuditEventTable());
    for (const event of Object.values(AUDIT_EVENTS)) expect(between?.[1]).toContain(`| \`${event}\` |`);
  });
});
