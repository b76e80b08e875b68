/**
 * The key lifecycle operations behind `pont keys` and the schedule: generate, import, promote,
 * retire, runSchedule. Each one plans from the current states (transitions.ts); with
 * `dryRun` it returns the plan and changes nothing (no key generated, no file written, no row
 * touched). Otherwise it re-plans under the key lock and applies the plan with its audit
 * events in one transaction.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { AUDIT_EVENTS, type AuditLog } from '../../audit/index.ts';
import { systemClock, type Clock } from '../../storage/clock.ts';
import type { Database, Queryable } from '../../storage/database.ts';
import { DEFAULT_KEY_ALGORITHM, algorithmOf, generateNewKeyPair, type KeyAlgorithm } from './algorithms.ts';
import { publicKeySpki } from '../../saml/keys.ts';
import { KeyLifecycleError } from './errors.ts';
import { checkStrength, keyIdFor, loadKeyFile, writeKeyFiles } from './files.ts';
import type { KeySettings } from './settings.ts';
import { insertKeyRecord, lockKeyStates, moveKey, readKeyRecords } from './store.ts';
import { assertTransition, planCreate, planPromote, planRetire, planSchedule, type KeyChange } from './transitions.ts';
import type { KeyRecord, KeyUse } from './types.ts';

export interface LifecycleContext {
  db: Database;
  settings: KeySettings;
  audit: AuditLog;
  clock?: Clock;
  /** Who acts, for the audit log (default 'cli'). */
  actor?: string;
}

export interface LifecycleResult {
  dryRun: boolean;
  changes: KeyChange[];
}

export const DEFAULT_VALIDITY_DAYS = 730;

const now = (ctx: LifecycleContext): Date => (ctx.clock ?? systemClock)();

export function listKeys(db: Queryable): Promise<KeyRecord[]> {
  return readKeyRecords(db);
}

export interface GenerateOptions {
  use: KeyUse;
  algorithm?: KeyAlgorithm;
  validityDays?: number;
  /** Distinguished name; default `CN=Pont eIDAS <use> key, O=Pont eIDAS, C=FR`. */
  subject?: string;
  dryRun?: boolean;
}

export async function generateKey(ctx: LifecycleContext, options: GenerateOptions): Promise<LifecycleResult> {
  const algorithm = options.algorithm ?? DEFAULT_KEY_ALGORITHM;
  const rsaBits = /^rsa-(\d+)$/.exec(algorithm)?.[1];
  if (rsaBits && Number(rsaBits) < ctx.settings.minRsaBits) {
    throw new KeyLifecycleError('INVALID_KEY', `${algorithm} is below crypto.minRsaBits (${ctx.settings.minRsaBits})`);
  }
  if (options.dryRun) {
    return { dryRun: true, changes: planCreate(await readKeyRecords(ctx.db), options.use, `${options.use}-(new)`, algorithm) };
  }
  const pair = await generateNewKeyPair({
    algorithm,
    use: options.use,
    subject: options.subject ?? `CN=Pont eIDAS ${options.use} key, O=Pont eIDAS, C=FR`,
    validityDays: options.validityDays ?? DEFAULT_VALIDITY_DAYS,
    notBefore: now(ctx),
  });
  checkStrength(pair.privateKey, ctx.settings.minRsaBits, 'the generated key');
  return addKey(ctx, { use: options.use, ...pair, algorithm, event: AUDIT_EVENTS.KEY_GENERATED });
}

export interface ImportOptions {
  use: KeyUse;
  privateKey: KeyObject;
  certificate: X509Certificate;
  dryRun?: boolean;
}

export async function importKey(ctx: LifecycleContext, options: ImportOptions): Promise<LifecycleResult> {
  const { privateKey, certificate, use } = options;
  checkImportable(privateKey, certificate, ctx.settings.minRsaBits, now(ctx));
  checkFitsUse(privateKey, use);
  const algorithm = algorithmOf(privateKey);
  const id = keyIdFor(use, certificate.fingerprint256);
  if (options.dryRun) {
    const records = await readKeyRecords(ctx.db);
    refuseDuplicate(records, certificate.fingerprint256);
    refuseSharedKey(records, certificate, use);
    return { dryRun: true, changes: planCreate(records, use, id, algorithm) };
  }
  return addKey(ctx, {
    use, privateKey, certificate, certificatePem: certificate.toString(), algorithm,
    event: AUDIT_EVENTS.KEY_IMPORTED, source: 'pont keys import',
  });
}

function checkImportable(key: KeyObject, cert: X509Certificate, minRsaBits: number, at: Date): void {
  if (!cert.checkPrivateKey(key)) throw new KeyLifecycleError('INVALID_KEY', 'the certificate does not certify this private key');
  checkStrength(key, minRsaBits, 'the key');
  if (new Date(cert.validTo).getTime() <= at.getTime()) {
    throw new KeyLifecycleError('INVALID_KEY', `the certificate expired on ${new Date(cert.validTo).toISOString()}`);
  }
}

/** An encryption key must be able to decrypt: RSA (rsaEncryption, for RSA-OAEP) or EC (ECDH-ES); an RSASSA-PSS key only signs. */
function checkFitsUse(key: KeyObject, use: KeyUse): void {
  const type = key.asymmetricKeyType;
  if (use === 'encryption' && type !== 'rsa' && type !== 'ec') {
    throw new KeyLifecycleError('INVALID_KEY', `a ${type ?? 'non-asymmetric'} key cannot be an encryption key (RSA-OAEP or ECDH-ES, R-CRY-06)`);
  }
}

/**
 * R-CRY-10 / R-MD-05 ([CR §3.5.2]): signing ≠ encryption key, and the metadata key is its own,
 * retired keys included. Compared by public key: the same key under a new certificate is still
 * the same key.
 */
function refuseSharedKey(records: readonly KeyRecord[], certificate: X509Certificate, use: KeyUse): void {
  const spki = publicKeySpki(certificate.publicKey);
  const sameKey = (r: KeyRecord): boolean => {
    const other = publicKeySpki(new X509Certificate(r.certificatePem).publicKey);
    return spki !== undefined && other !== undefined && spki.equals(other);
  };
  const shared = records.find((r) => r.use !== use && sameKey(r));
  if (shared) throw new KeyLifecycleError('DUPLICATE', `this key is already the ${shared.use} key ${shared.id}: each use needs its own key`);
}

function refuseDuplicate(records: readonly KeyRecord[], fingerprint: string): void {
  const existing = records.find((r) => r.fingerprint === fingerprint);
  if (existing) throw new KeyLifecycleError('DUPLICATE', `this certificate is already key ${existing.id} (${existing.state})`);
}

interface NewKey {
  use: KeyUse;
  privateKey: KeyObject;
  certificate: X509Certificate;
  certificatePem: string;
  algorithm: string;
  event: string;
  source?: string;
}

/** Writes the key files, inserts the row and its audit event; the files go if the row does not. */
async function addKey(ctx: LifecycleContext, key: NewKey): Promise<LifecycleResult> {
  const id = keyIdFor(key.use, key.certificate.fingerprint256);
  let written: { remove(): void } | undefined;
  try {
    const changes = await ctx.db.transaction(async (tx) => {
      await lockKeyStates(tx);
      const records = await readKeyRecords(tx);
      refuseDuplicate(records, key.certificate.fingerprint256);
      refuseSharedKey(records, key.certificate, key.use);
      const planned = planCreate(records, key.use, id, key.algorithm);
      const files = writeKeyFiles(ctx.settings.dir, id, key.privateKey, key.certificatePem);
      written = files;
      const at = now(ctx);
      const record = newRecord(id, key, planned[0]!.to === 'active' ? 'active' : 'next', files.keyFile, at);
      await insertKeyRecord(tx, record);
      await ctx.audit.recordIn(tx, key.event, createdDetails(record, key.source), ctx.actor ?? 'cli');
      return planned;
    });
    return { dryRun: false, changes };
  } catch (e) {
    written?.remove();
    throw e;
  }
}

export function newRecord(
  id: string,
  key: { use: KeyUse; certificate: X509Certificate; certificatePem: string; algorithm: string },
  state: 'next' | 'active',
  keyFile: string,
  at: Date,
): KeyRecord {
  return {
    id, use: key.use, state, algorithm: key.algorithm, keyFile,
    certificatePem: key.certificatePem, fingerprint: key.certificate.fingerprint256,
    notAfter: new Date(key.certificate.validTo), createdAt: at, publishedAt: at,
    activatedAt: state === 'active' ? at : undefined,
  };
}

export function createdDetails(r: KeyRecord, source?: string): Record<string, unknown> {
  return {
    id: r.id, use: r.use, state: r.state, algorithm: r.algorithm, fingerprint: r.fingerprint,
    notAfter: r.notAfter.toISOString(), ...(source ? { source } : {}),
  };
}

export async function promoteKey(ctx: LifecycleContext, id: string, options: { dryRun?: boolean } = {}): Promise<LifecycleResult> {
  const records = await readKeyRecords(ctx.db);
  const changes = planPromote(records, id, now(ctx));
  const key = records.find((r) => r.id === id)!;
  loadKeyFile(ctx.settings.dir, key.keyFile, new X509Certificate(key.certificatePem), ctx.settings.minRsaBits);
  if (options.dryRun) return { dryRun: true, changes };
  return { dryRun: false, changes: await applyMoves(ctx, (recs, at) => planPromote(recs, id, at)) };
}

export async function retireKey(ctx: LifecycleContext, id: string, options: { dryRun?: boolean } = {}): Promise<LifecycleResult> {
  const changes = planRetire(await readKeyRecords(ctx.db), id);
  if (options.dryRun) return { dryRun: true, changes };
  return { dryRun: false, changes: await applyMoves(ctx, (recs) => planRetire(recs, id)) };
}

/**
 * The schedule: retires keys whose grace period ended and promotes due next keys (when
 * keys.autoPromoteAfterDays is set) whose private key `usable` says this instance holds.
 * Any number of instances may run it at once: exactly one makes each change.
 */
export async function runSchedule(ctx: LifecycleContext, usable?: (key: KeyRecord) => boolean): Promise<KeyChange[]> {
  const plan = (recs: readonly KeyRecord[], at: Date) => planSchedule(recs, ctx.settings, at, usable);
  if (plan(await readKeyRecords(ctx.db), now(ctx)).length === 0) return []; // the usual case: no lock taken
  return applyMoves({ ...ctx, actor: ctx.actor ?? 'schedule' }, plan);
}

async function applyMoves(ctx: LifecycleContext, plan: (records: readonly KeyRecord[], at: Date) => KeyChange[]): Promise<KeyChange[]> {
  return ctx.db.transaction(async (tx) => {
    await lockKeyStates(tx);
    const at = now(ctx);
    const changes = plan(await readKeyRecords(tx), at);
    for (const change of changes) {
      if (change.from === undefined) throw new KeyLifecycleError('CONFLICT', 'a move plan cannot create keys');
      assertTransition(change.id, change.from, change.to);
      await moveKey(tx, change.id, change.from, change.to as 'active' | 'retiring' | 'retired', at);
      const [event, details] = eventFor(change, changes, at, ctx.settings.retiringGraceMs);
      await ctx.audit.recordIn(tx, event, details, ctx.actor ?? 'cli');
    }
    return changes;
  });
}

function eventFor(c: KeyChange, all: readonly KeyChange[], at: Date, graceMs: number): [string, Record<string, unknown>] {
  const base = { id: c.id, use: c.use, from: c.from, to: c.to };
  if (c.to === 'active') {
    const replaced = all.find((o) => o.use === c.use && o.to === 'retiring');
    return [AUDIT_EVENTS.KEY_PROMOTED, { ...base, replaces: replaced?.id ?? null, scheduled: c.scheduled === true }];
  }
  if (c.to === 'retiring') {
    const by = all.find((o) => o.use === c.use && o.to === 'active');
    return [AUDIT_EVENTS.KEY_RETIRING, { ...base, replacedBy: by?.id ?? null, graceEndsAt: new Date(at.getTime() + graceMs).toISOString() }];
  }
  return [AUDIT_EVENTS.KEY_RETIRED, { ...base, scheduled: c.scheduled === true }];
}
