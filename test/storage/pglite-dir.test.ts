/**
 * The embedded default (DESIGN §5): PGlite keeps its data in a directory across restarts, and
 * one process at a time owns that directory (PGlite itself does not lock it). The directory is
 * seeded once for the file (from the template: no initdb) and reopened by each test.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { migrate, migrationStatus, openDatabase, type Database } from '../../src/storage/index.ts';
import { pgliteTemplateData } from './engines.ts';

const root = mkdtempSync(join(tmpdir(), 'pont-pglite-'));
const dataDir = join(root, 'var', 'pglite'); // parents do not exist yet
const lockFile = `${dataDir}.lock`;
const open: Database[] = [];

async function track(db: Promise<Database>): Promise<Database> {
  const handle = await db;
  open.push(handle);
  return handle;
}

beforeAll(async () => {
  const first = await openDatabase({ dataDir, initialData: await pgliteTemplateData() });
  try {
    expect(first.target).toBe(`PGlite at ${dataDir}`);
    await migrate(first);
  } finally {
    await first.close();
  }
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((db) => db.close()));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('PGlite data directory', () => {
  it('keeps migrated data across a restart and releases its lock on close', async () => {
    expect(existsSync(lockFile)).toBe(false);
    const db = await track(openDatabase({ dataDir }));
    expect(existsSync(lockFile)).toBe(true);
    expect((await migrationStatus(db)).pending).toEqual([]);
    await db.close();
    expect(existsSync(lockFile)).toBe(false);
  });

  it('refuses a second opening of a directory in use, naming the holder (LOCKED)', async () => {
    await track(openDatabase({ dataDir }));
    await expect(openDatabase({ dataDir })).rejects.toMatchObject({
      name: 'StorageError',
      code: 'LOCKED',
      message: expect.stringContaining(`process ${process.pid}`),
    });
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    expect(gone).toMatch(/^\d+$/);
    writeFileSync(lockFile, `${gone}\n`);
    const db = await track(openDatabase({ dataDir }));
    await db.ping();
    expect(readFileSync(lockFile, 'utf8')).toBe(`${process.pid}\n`); // the lock is ours now
  });

  it('never seeds initial data over an existing database', async () => {
    await expect(openDatabase({ dataDir, initialData: await pgliteTemplateData() })).rejects.toMatchObject({
      code: 'CONFIG',
    });
  });
});
