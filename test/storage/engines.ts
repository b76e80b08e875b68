/**
 * Runs one storage suite on both engines; each test gets an empty database:
 *  - PGlite: one clone of an initialised template per test file, emptied before each test.
 *    `initdb` (6–9 s, ~800 MB) runs once: the template is kept per process and cached on disk
 *    per PGlite version (os.tmpdir()), so other workers and later runs only load it.
 *  - PostgreSQL (when DATABASE_URL is set): a schema of its own, dropped when the test ends.
 * Without DATABASE_URL the PostgreSQL suite is skipped with a notice on stderr; under CI=true
 * it fails instead, so CI never passes by skipping (describeWithPostgres, also for suites that
 * need PostgreSQL alone).
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, it, onTestFinished } from 'vitest';
import {
  IN_MEMORY,
  createPgliteTemplate,
  migrate,
  openDatabase,
  pgliteVersion,
  type Database,
  type Engine,
} from '../../src/storage/index.ts';

export interface TestDatabase {
  db: Database;
  /**
   * Another handle on the same data, as a second instance would hold: a separate pool on
   * PostgreSQL. On PGlite one process owns the database, so it is the same handle.
   */
  another(): Promise<Database>;
}

export interface OpenOptions {
  /** Run the migrations (default true). */
  migrated?: boolean;
}

export interface TestEngine {
  name: Engine;
  /**
   * An empty database for this test. PostgreSQL: a schema of its own, dropped when the test
   * ends. PGlite: the test file's clone of the template (a clone costs ~0.5–1 s and ~200 MB),
   * emptied before each test; a test that closes it gets a new clone next time.
   */
  open(options?: OpenOptions): Promise<TestDatabase>;
}

const templateFile = (): string =>
  join(tmpdir(), `pont-eidas-pglite-template-${pgliteVersion()}-${process.getuid?.() ?? 0}.tar`);

interface Template {
  data: Uint8Array;
  /** Read from the disk cache (rather than built by this process). */
  cached: boolean;
}

let template: Promise<Template> | undefined;

async function buildTemplate(file: string): Promise<Template> {
  const data = await createPgliteTemplate();
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, data);
  renameSync(partial, file); // atomic: a concurrent worker reads a whole file or none
  return { data, cached: false };
}

function pgliteTemplate(): Promise<Template> {
  template ??= (async () => {
    const file = templateFile();
    try {
      return { data: new Uint8Array(readFileSync(file)), cached: true };
    } catch {
      return buildTemplate(file);
    }
  })();
  return template;
}

/** The initialised template as a dump, for tests that seed a PGlite data directory. */
export async function pgliteTemplateData(): Promise<Uint8Array> {
  return (await pgliteTemplate()).data;
}

const cloneOf = (t: Template) => openDatabase({ dataDir: IN_MEMORY, initialData: t.data });

async function openPgliteClone(): Promise<Database> {
  const t = await pgliteTemplate();
  try {
    return await cloneOf(t);
  } catch (err) {
    if (!t.cached) throw err;
    // A cached template that does not load (truncated by a full disk, say) is rebuilt once.
    rmSync(templateFile(), { force: true });
    template = buildTemplate(templateFile());
    return cloneOf(await template);
  }
}

let shared: Promise<Database> | undefined;

async function closeShared(): Promise<void> {
  const pending = shared;
  shared = undefined;
  if (pending) await (await pending).close();
}

/** The file's clone, emptied: what the test sees is a fresh database. */
async function emptiedSharedClone(): Promise<Database> {
  shared ??= openPgliteClone();
  const mine = shared;
  const db = await mine;
  await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  return {
    engine: db.engine,
    target: db.target,
    query: (sql, params) => db.query(sql, params),
    exec: (sql) => db.exec(sql),
    transaction: (fn) => db.transaction(fn),
    ping: () => db.ping(),
    close: async () => {
      if (shared === mine) shared = undefined; // really closed: the next test gets a new clone
      await db.close();
    },
  };
}

const pgliteEngine: TestEngine = {
  name: 'pglite',
  async open({ migrated = true } = {}) {
    const db = await emptiedSharedClone();
    if (migrated) await migrate(db);
    return { db, another: async () => db };
  },
};

function postgresEngine(url: string): TestEngine & { closeAdmin(): Promise<void> } {
  let admin: Promise<Database> | undefined;
  const adminDb = () => (admin ??= openDatabase({ url, maxConnections: 2 }));
  return {
    name: 'postgres',
    async open({ migrated = true } = {}) {
      const schema = `pont_test_${process.pid}_${randomBytes(4).toString('hex')}`;
      await (await adminDb()).exec(`CREATE SCHEMA ${schema}`);
      const handles: Database[] = [];
      const connect = async () => {
        const handle = await openDatabase({ url, schema, maxConnections: 5 });
        handles.push(handle);
        return handle;
      };
      onTestFinished(async () => {
        await Promise.all(handles.map((h) => h.close()));
        await (await adminDb()).exec(`DROP SCHEMA ${schema} CASCADE`);
      });
      const db = await connect();
      if (migrated) await migrate(db);
      return { db, another: connect };
    },
    async closeAdmin() {
      if (admin) await (await admin).close();
    },
  };
}

/** `describe(name)` once per engine: "[pglite]" always, "[postgres]" when DATABASE_URL is set. */
export function describeEngines(name: string, body: (engine: TestEngine) => void): void {
  describe(`${name} [pglite]`, () => {
    afterAll(() => closeShared());
    body(pgliteEngine);
  });
  describeWithPostgres(`${name} [postgres]`, (url) => {
    const engine = postgresEngine(url);
    afterAll(() => engine.closeAdmin());
    body(engine);
  });
}

const POSTGRES_NOTICE = 'needs PostgreSQL: set DATABASE_URL (e.g. postgres://root@127.0.0.1:5432/test)';

/**
 * `describe(name)` for a suite that needs a PostgreSQL server, given DATABASE_URL. Without it:
 * a skipped suite and a notice on stderr; under CI=true, one failing test that says why.
 */
export function describeWithPostgres(name: string, body: (url: string) => void): void {
  const url = process.env.DATABASE_URL;
  if (url) {
    describe(name, () => body(url));
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it(`has a PostgreSQL to run on: ${POSTGRES_NOTICE}`, () => {
        throw new Error(`CI=true and ${POSTGRES_NOTICE}`);
      });
    });
    return;
  }
  process.stderr.write(`\n[SKIPPED] ${name}: ${POSTGRES_NOTICE}\n`);
  describe.skip(`${name} [SKIPPED: ${POSTGRES_NOTICE}]`, () => body('postgres://unset'));
}
