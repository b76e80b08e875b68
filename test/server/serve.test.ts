/**
 * `pont db migrate` then `pont serve` (what `npm start` runs) as real processes on a
 * temporary keys directory and PGlite data directory: probes, generated keys and their
 * modes, graceful stop, and a second start that reuses keys and data.
 */
import type { ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { pont, singleErrorLine, startPont } from '../cli/run-pont.ts';

type LogLine = Record<string, unknown> & { msg: string };

const work = mkdtempSync(join(tmpdir(), 'pont-serve-'));
const keysDir = join(work, 'keys');
const env = {
  PONT_KEYS__DIR: keysDir,
  PONT_DATABASE__DATA_DIR: join(work, 'pglite'),
  PONT_SERVER__PORT: '0',
  PONT_LOG__LEVEL: 'info',
};
const running = new Set<ChildProcess>();
afterAll(() => {
  running.forEach((c) => c.kill('SIGKILL'));
  rmSync(work, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  url: string;
  logs: LogLine[];
  stopped: Promise<number | null>;
}

/** Starts `pont serve` and resolves once it logs where it listens. */
function serve(): Promise<Started> {
  const child = startPont(['serve'], env);
  running.add(child);
  const logs: LogLine[] = [];
  let stderr = '';
  const stopped = new Promise<number | null>((resolve) => child.on('exit', (code) => (running.delete(child), resolve(code))));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      buffer += d;
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      for (const line of parts) {
        const entry = JSON.parse(line) as LogLine;
        logs.push(entry);
        if (typeof entry.boundUrl === 'string') resolve({ child, url: entry.boundUrl, logs, stopped });
      }
    });
    void stopped.then((code) => reject(new Error(`pont serve exited (${code}) before listening: ${stderr}`)));
  });
}

async function getJson(url: string): Promise<{ status: number; body: Record<string, any> }> {
  const r = await fetch(url);
  return { status: r.status, body: (await r.json()) as Record<string, any> };
}

/**
 * /readyz until it answers 200 (each check has a 2 s budget, which a loaded CI machine can
 * exceed once); the last answer when the deadline passes.
 */
async function readyz(url: string, deadlineMs = 20_000): Promise<{ status: number; body: Record<string, any> }> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const r = await getJson(`${url}/readyz`);
    if (r.status === 200 || Date.now() > until) return r;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('pont serve', () => {
  const fingerprints = new Map<string, string>();

  it('pont db migrate applies the migrations of a new database and prints them', async () => {
    const r = await pont(['db', 'migrate'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^applied 0001_\w+$/m);
  }, 90_000);

  it('first start: generates the development keys (0700 dir, 0600 files), answers /healthz and /readyz', async () => {
    const node = await serve();
    const generated = node.logs.filter((l) => l.event === 'keys.generated');
    expect(generated.map((l) => l.role).sort()).toEqual(['encryption', 'message-signing', 'metadata-signing']);
    for (const g of generated) {
      const cert = new X509Certificate(readFileSync(g.certFile as string));
      expect(g.fingerprint).toBe(cert.fingerprint256);
      fingerprints.set(g.role as string, g.fingerprint as string);
    }
    expect(statSync(keysDir).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(keysDir)) expect(statSync(join(keysDir, f)).mode & 0o777).toBe(0o600);
    expect(JSON.stringify(node.logs)).not.toContain('PRIVATE KEY');

    expect(await getJson(`${node.url}/healthz`)).toEqual({ status: 200, body: { status: 'ok' } });
    const ready = await readyz(node.url);
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ready');
    expect(ready.body.checks.database).toMatchObject({ ok: true, engine: 'pglite' });
    expect(ready.body.checks.keys.ok).toBe(true);

    node.child.kill('SIGTERM');
    expect(await node.stopped).toBe(0);
    expect(node.logs.at(-1)?.msg).toBe('stopped');
  }, 90_000);

  it('second start: reuses the keys and the data directory', async () => {
    const node = await serve();
    expect(node.logs.filter((l) => l.event === 'keys.generated')).toEqual([]);
    const reused = node.logs.filter((l) => l.event === 'keys.loaded');
    expect(new Map(reused.map((l) => [l.role as string, l.fingerprint as string]))).toEqual(fingerprints);
    expect(node.logs.find((l) => l.event === 'db.migrated')?.applied).toEqual([]);
    expect((await readyz(node.url)).status).toBe(200);
    node.child.kill('SIGINT');
    expect(await node.stopped).toBe(0);
  }, 60_000);

  it('production refuses to start without keys: one line, exit 6, nothing generated', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'pont-nokeys-'));
    onTestFinished(() => rmSync(empty, { recursive: true, force: true }));
    const fc = { PONT_FRANCECONNECT__ISSUER: 'https://fc.example.fr/api/v2', PONT_FRANCECONNECT__CLIENT_SECRET: 'not-a-real-secret', PONT_FRANCECONNECT__ENCRYPTION__ENABLED: 'false' };
    const r = await pont(['serve'], { ...env, ...fc, PONT_KEYS__DIR: empty, PONT_ENVIRONMENT: 'production', PONT_SERVER__PUBLIC_BASE_URL: 'https://eidas.example.fr' });
    expect(r.code).toBe(6);
    // The database holds the keys of the development starts above; this keys directory has none of their files.
    expect(singleErrorLine(r)).toMatch(/^pont: keys: private key file .*\.key\.pem is missing on this instance$/);
    expect(readdirSync(empty)).toEqual([]);
  });
});
