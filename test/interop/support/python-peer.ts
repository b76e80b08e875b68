/** Pieces shared by the drivers of the Python test peers (pysaml2, Lasso). */
import { execFileSync, type spawnSync } from 'node:child_process';
import path from 'node:path';

/** A self-signed test key pair `<role>.key.pem` / `<role>.cert.pem` in `dir`, made by openssl. */
export function makeTestKey(dir: string, role: string, keyArgs: string[], keyUsage: string, organisation: string): void {
  execFileSync('openssl', [
    'req', '-x509', ...keyArgs, '-nodes', '-days', '30', '-sha256',
    '-keyout', path.join(dir, `${role}.key.pem`), '-out', path.join(dir, `${role}.cert.pem`),
    '-subj', `/C=XF/O=${organisation}/CN=${role}`,
    '-addext', 'basicConstraints=critical,CA:FALSE', '-addext', `keyUsage=critical,${keyUsage}`,
  ], { stdio: 'ignore' });
}

/** The script's stdout, or an error naming the step and what the script said. */
export function succeeded(r: ReturnType<typeof spawnSync>, what: string): string {
  const stdout = String(r.stdout);
  if (r.status !== 0) throw new Error(`connector.py ${what} failed: ${stdout.trim() || String(r.stderr).trim()}`);
  return stdout;
}
