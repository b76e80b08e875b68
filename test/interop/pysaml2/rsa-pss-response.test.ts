/**
 * The node's 1.4-profile Response, which Debian's xmlsec1 1.2 (hence pysaml2) cannot read:
 * Response and assertion signed RSA-PSS SHA-256, assertion encrypted AES-256-GCM with xmlenc11
 * rsa-oaep (SHA-256, MGF1-SHA256). An implementation other than ours (Python lxml + cryptography:
 * test/interop/python/dsig_peer.py and xmlenc_decrypt.py) verifies and decrypts it.
 */
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ENC, SIG } from '../../../src/saml/namespaces.ts';
import { DEBIAN_PYTHON, describeWithPeer } from '../../helpers/peers.ts';
import { buildNodeResponse, MARIE, NODE_KEYS } from '../../mock/eu-country/fake-node.ts';

const PYTHON_DIR = path.resolve(import.meta.dirname, '../python');
const EU_KEYS = path.resolve(import.meta.dirname, '../../fixtures/keys/eu-mock-test-p12');
const ACS = 'https://connector.example.eu/acs';

function python(script: string, ...args: string[]): { status: number | null; stdout: string } {
  const r = spawnSync(DEBIAN_PYTHON, [path.join(PYTHON_DIR, script), ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout };
}

describeWithPeer(['python-crypto'], 'RSA-PSS + xmlenc11 rsa-oaep Response read by Python lxml + cryptography', () => {
  let dir: string;
  let responseFile: string;
  let xml: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'pont-pss-response-'));
    xml = await buildNodeResponse({
      issuer: 'https://eidas.example.fr/proxy-service/metadata',
      destination: ACS,
      inResponseTo: '_req-0123456789abcdef0123456789abcdef01234567',
      audience: 'https://connector.example.eu/metadata',
      now: new Date('2026-01-15T10:00:00Z'),
      signing: { key: NODE_KEYS.rsa.key, cert: NODE_KEYS.rsa.cert, algorithm: SIG.RSA_PSS_SHA256 },
      encryption: { recipient: new X509Certificate(readFileSync(path.join(EU_KEYS, 'test-rsa.cert.pem'))) },
    });
    responseFile = path.join(dir, 'response.xml');
    writeFileSync(responseFile, xml);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the Response is what the 1.4 profile says: RSA-PSS signature, AES-256-GCM, xmlenc11 rsa-oaep with MGF1-SHA256', () => {
    expect(xml).toContain(`Algorithm="${SIG.RSA_PSS_SHA256}"`);
    expect(xml).toContain(`Algorithm="${ENC.AES256_GCM}"`);
    expect(xml).toContain(`Algorithm="${ENC.RSA_OAEP}"`);
    expect(xml).toContain(`Algorithm="${ENC.MGF1_SHA256}"`);
    expect(xml).not.toContain('PersonIdentifierType'); // the assertion is not in clear
  });

  it('R-RSP-01, R-CRY-03: Python verifies the RSA-PSS signature of the Response', () => {
    const r = python('dsig_peer.py', 'verify', responseFile, NODE_KEYS.rsa.certFile);
    expect(r.stdout.trim()).toBe(`OK ${SIG.RSA_PSS_SHA256}`);
    expect(r.status).toBe(0);
  });

  it('R-RSP-02/03, R-CRY-07: Python decrypts the assertion (xmlenc11 rsa-oaep, AES-256-GCM) and verifies its RSA-PSS signature', () => {
    const decrypted = python('xmlenc_decrypt.py', path.join(EU_KEYS, 'test-rsa.key.pem'), responseFile);
    expect(decrypted.status).toBe(0);
    for (const a of MARIE) expect(decrypted.stdout).toContain(`>${a.value}</saml2:AttributeValue>`);
    const assertionFile = path.join(dir, 'assertion.xml');
    writeFileSync(assertionFile, decrypted.stdout);
    const verified = python('dsig_peer.py', 'verify', assertionFile, NODE_KEYS.rsa.certFile);
    expect(verified.stdout.trim()).toBe(`OK ${SIG.RSA_PSS_SHA256}`);
  });

  it('R-RSP-16: the Python verifier is live: it refuses the Response once a value is changed', () => {
    const tampered = path.join(dir, 'tampered.xml');
    writeFileSync(tampered, xml.replace(`Destination="${ACS}"`, 'Destination="https://attacker.example/acs"'));
    const r = python('dsig_peer.py', 'verify', tampered, NODE_KEYS.rsa.certFile);
    expect(r.stdout.trim()).toBe('FAIL digest mismatch');
    expect(r.status).toBe(1);
  });
});
