/** `pont config check` and the CLI's help, through the real command. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pont, singleErrorLine } from './run-pont.ts';

const dir = mkdtempSync(join(tmpdir(), 'pont-config-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.concurrent('pont config check', () => {
  it('prints the effective configuration with the database password masked', async () => {
    const file = join(dir, 'ok.json');
    writeFileSync(file, JSON.stringify({ server: { port: 9443 } }));
    const r = await pont(['config', 'check', file], { DATABASE_URL: 'postgres://pont:hunter2@db.internal:5432/pont' });
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout) as { server: { port: number }; database: { url: string } };
    expect(printed.server.port).toBe(9443);
    expect(printed.database.url).toBe('postgres://pont:********@db.internal:5432/pont');
    expect(r.stdout + r.stderr).not.toContain('hunter2');
  });

  it('rejects an unknown key with its path, in one line, exit 3', async () => {
    const file = join(dir, 'unknown.json');
    writeFileSync(file, JSON.stringify({ server: { port: 8080, tls: { certFile: 'c.pem', keyFile: 'k.pem', ciphers: 'ALL' } } }));
    const r = await pont(['--config', file, 'config', 'check']);
    expect(r.code).toBe(3);
    expect(singleErrorLine(r)).toMatch(/^pont: invalid configuration .*server\.tls\.ciphers: unknown key$/);
    expect(r.stdout).toBe('');
  });

  it('warns about each legacy peer exception on stderr', async () => {
    const peers = JSON.stringify([{ entityId: 'https://old.example/metadata', allow: ['rsa-2048'] }]);
    const r = await pont(['config', 'check'], { PONT_CRYPTO__LEGACY_PEERS: peers });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^pont: warning: legacy crypto allowed for peer https:\/\/old\.example\/metadata: rsa-2048/);
  });

  it('has --help for every command (exit 0)', async () => {
    const helps = await Promise.all([['--help'], ['xml', 'sign', '--help'], ['db', 'migrate', '--help'], ['serve', '--help']].map((a) => pont(a)));
    for (const h of helps) {
      expect(h.code).toBe(0);
      expect(h.stdout).toMatch(/^Usage: pont/);
    }
  });
});
