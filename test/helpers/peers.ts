/**
 * Independent peers from Debian (xmlsec1, Python with lxml + cryptography, pysaml2, Lasso,
 * Chromium). A suite that needs one is skipped with a visible notice on a machine that
 * lacks it, and fails instead when CI=true, so CI never passes by skipping.
 */
import { spawnSync } from 'node:child_process';
import { describe, it } from 'vitest';

/** Debian's interpreter: the one python3-lxml, python3-cryptography and python3-pysaml2 install into. */
export const DEBIAN_PYTHON = '/usr/bin/python3';

const PROBES: Record<string, () => boolean> = {
  xmlsec1: () => run('xmlsec1', ['--version']),
  'python-crypto': () =>
    run(DEBIAN_PYTHON, ['-c', 'import lxml.etree, cryptography.hazmat.primitives.asymmetric.padding']),
  pysaml2: () => run(DEBIAN_PYTHON, ['-c', 'import saml2, lxml.etree']),
  lasso: () => run(DEBIAN_PYTHON, ['-c', 'import lasso']),
  chromium: () => run('/usr/bin/chromium', ['--version']),
};

export type Peer = keyof typeof PROBES;

const cache = new Map<string, boolean>();

function run(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 20_000 });
  return r.status === 0;
}

export function peerAvailable(peer: Peer): boolean {
  if (!cache.has(peer)) cache.set(peer, PROBES[peer]!());
  return cache.get(peer)!;
}

/**
 * `describe` for a suite that needs an independent peer. Missing peer: a skipped suite
 * and a notice on stderr; missing peer under CI=true: one failing test that names it.
 */
export function describeWithPeer(peers: Peer[], name: string, body: () => void): void {
  const missing = peers.filter((p) => !peerAvailable(p));
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  const notice = `needs ${missing.join(', ')} (install with .ci/run's apt-get line)`;
  if (process.env.CI === 'true') {
    describe(name, () => {
      it(`has its independent peers: ${notice}`, () => {
        throw new Error(`CI=true and ${notice}`);
      });
    });
    return;
  }
  process.stderr.write(`\n[SKIPPED] ${name}: ${notice}\n`);
  describe.skip(`${name} [SKIPPED: ${notice}]`, body);
}
