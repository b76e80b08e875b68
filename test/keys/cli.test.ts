/** `pont keys …` and `pont audit …` through the real command: help, dry runs, refusals as one line, audit. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../src/audit/index.ts';
import { expiryFlag } from '../../src/cli/keys.ts';
import { migrate, openDatabase } from '../../src/storage/index.ts';
import { KEYS, pont, singleErrorLine } from '../cli/run-pont.ts';
import { pgliteTemplateData } from '../storage/engines.ts';
import { DAY, removeTempKeysDir, seedActiveKeys, tempKeysDir, testContext } from './support/keys.ts';

let env: Record<string, string>;
let keysDir: string;
let dataDir: string;
let seeded: Record<'signing' | 'encryption' | 'metadata', string>;

/**
 * A migrated PGlite data directory (from the template: no initdb) holding one active EC key per
 * use, made in-process: each `pont` run opens PGlite afresh (seconds on a loaded machine), so
 * the runs below are only those that show what an operator sees.
 */
beforeAll(async () => {
  dataDir = join(mkdtempSync(join(tmpdir(), 'pont-keys-cli-')), 'pglite');
  keysDir = tempKeysDir({ inHook: true });
  const db = await openDatabase({ dataDir, initialData: await pgliteTemplateData() });
  try {
    await migrate(db);
    seeded = await seedActiveKeys(testContext(db, keysDir, () => new Date()), 'ec-p256', 60);
  } finally {
    await db.close();
  }
  env = { PONT_DATABASE__DATA_DIR: dataDir, PONT_KEYS__DIR: keysDir, PONT_KEYS__EXPIRY_WARNING_DAYS: '60' };
});
afterAll(() => {
  if (dataDir) rmSync(dirname(dataDir), { recursive: true, force: true });
  removeTempKeysDir(keysDir);
});

const idIn = (stdout: string): string => /((?:signing|encryption|metadata)-[0-9a-f]{12})/.exec(stdout)![1]!;

describe('pont keys', () => {
  it('every subcommand has --help', async () => {
    const r = await pont(['keys', '--help']);
    expect(r.code).toBe(0);
    for (const sub of ['list', 'generate', 'import', 'promote', 'retire']) expect(r.stdout).toContain(sub);
    const gen = await pont(['keys', 'generate', '--help']);
    expect(gen.stdout.replace(/\s+/g, ' ')).toContain('--use <USE> what the key is for (choices: "signing", "encryption", "metadata")');
    expect(gen.stdout).toContain('ec-brainpoolp256r1');
    expect(gen.stdout).toContain('--dry-run');
    const badUse = await pont(['keys', 'generate', '--use', 'tls'], env); // env: a regression would write in the temp dirs, not the repo
    expect(badUse.code).toBe(2);
    expect(singleErrorLine(badUse)).toContain("option '--use <USE>' argument 'tls' is invalid");
  });

  it('import, list, promote, retire: dry runs change nothing, refusals are one line, each change is audited', { timeout: 240_000 }, async () => {
    const files = readdirSync(keysDir).sort();
    const dry = await pont(['keys', 'generate', '--use', 'signing', '--alg', 'ec-p256', '--dry-run'], env);
    expect(dry).toMatchObject({ code: 0, stdout: 'would create signing-(new) (signing, ec-p256) as next\ndry run: nothing was changed\n' });
    expect(readdirSync(keysDir).sort()).toEqual(files);

    const imported = await pont(['keys', 'import', '--use', 'signing', '--key', `${KEYS}/dsig/p384.key.pem`, '--cert', `${KEYS}/dsig/p384.cert.pem`], env);
    expect(imported.stdout).toMatch(/^created signing-[0-9a-f]{12} \(signing, ec-p384\) as next\n/);
    const next = idIn(imported.stdout);

    const list = await pont(['keys', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^ID\s+USE\s+STATE\s+ALGORITHM\s+FINGERPRINT \(SHA-256\)\s+NOT AFTER$/);
    expect(list.stdout).toMatch(new RegExp(`${seeded.signing}\\s+signing\\s+active\\s+ec-p256\\s+([0-9A-F]{2}:){31}[0-9A-F]{2}\\s+\\S+Z\\s+expires in 59 days`));
    expect(list.stdout).toMatch(new RegExp(`${next}\\s+signing\\s+next\\s+ec-p384\\s+\\S+\\s+2126-\\S+\\n`));

    const retireActive = await pont(['keys', 'retire', seeded.signing], env);
    expect(retireActive.code).toBe(6);
    expect(singleErrorLine(retireActive)).toBe(
      `pont: keys: cannot retire ${seeded.signing}: it is the active signing key and the node would have none; ` +
        'promote another signing key first (`pont keys generate --use signing`, then `pont keys promote ID`)',
    );

    const dryPromote = await pont(['keys', 'promote', next, '--dry-run'], env);
    expect(dryPromote.stdout).toBe(
      `would move ${seeded.signing} (signing): active → retiring\nwould move ${next} (signing): next → active\ndry run: nothing was changed\n`,
    );
    const promote = await pont(['keys', 'promote', next], env);
    expect(promote.stdout).toContain(`moved ${next} (signing): next → active`);

    const verify = await pont(['audit', 'verify'], env);
    expect(verify).toMatchObject({ code: 0, stdout: expect.stringMatching(/^audit log intact: 6 events, last hash [0-9a-f]{64}\n$/) });
    const db = await openDatabase({ dataDir });
    try {
      const events = await createAuditLog(db).list();
      expect(events.map((e) => `${e.event} ${e.actor}`).slice(3)).toEqual(['key.imported cli', 'key.retiring cli', 'key.promoted cli']);
    } finally {
      await db.close();
    }
  });
});

describe('expiry flag of `pont keys list`', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  it.each([
    ['active', 90, ''],
    ['active', 29.5, 'expires in 29 days'],
    ['next', 1, 'expires in 1 days'],
    ['active', 0, 'EXPIRED'],
    ['retired', -5, ''],
  ] as const)('%s key expiring in %s days: "%s"', (state, days, flag) => {
    expect(expiryFlag({ state, notAfter: new Date(now.getTime() + days * DAY) }, now, 30 * DAY)).toBe(flag);
  });
});
