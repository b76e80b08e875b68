/**
 * What `pont xml sign|encrypt` writes, read by code nobody here wrote: Debian's xmlsec1 1.2.37
 * (ECDSA and rsa-oaep-mgf1p are what it supports; see shared/debian-peers.md).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeWithPeer } from '../helpers/peers.ts';
import { KEYS, VECTORS, pont } from './run-pont.ts';

const RESPONSE = `${VECTORS}/eidas-eu-mock/saml_response.xml`;
const P256 = `${KEYS}/dsig/p256`;
const RSA = `${KEYS}/dsig/rsa-3072`;
const tmp = mkdtempSync(join(tmpdir(), 'pont-xmlsec1-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describeWithPeer(['xmlsec1'], 'pont xml output read by xmlsec1', () => {
  it('xmlsec1 verifies what `pont xml sign --alg ecdsa-sha256` signed (R-CRY-03)', async () => {
    const signed = await pont(['xml', 'sign', '--alg', 'ecdsa-sha256', '--key', `${P256}.key.pem`, RESPONSE]);
    expect(signed.code).toBe(0);
    const file = join(tmp, 'signed.xml');
    writeFileSync(file, signed.stdout);
    const r = spawnSync('xmlsec1', ['--verify', '--pubkey-cert-pem', `${P256}.cert.pem`,
      '--id-attr:ID', 'urn:oasis:names:tc:SAML:2.0:protocol:Response', file], { encoding: 'utf8' });
    expect(r.stderr).toContain('OK');
    expect(r.status).toBe(0);
  });

  it('xmlsec1 decrypts what `pont xml encrypt --key-transport rsa-oaep-mgf1p` encrypted (R-CRY-05/07)', async () => {
    const enc = await pont(['xml', 'encrypt', '--cert', `${RSA}.cert.pem`, '--key-transport', 'rsa-oaep-mgf1p', '--element', 'Assertion', RESPONSE]);
    expect(enc.code).toBe(0);
    const file = join(tmp, 'encrypted.xml');
    writeFileSync(file, enc.stdout);
    const r = spawnSync('xmlsec1', ['--decrypt', '--privkey-pem', `${RSA}.key.pem`, '--trusted-pem', `${RSA}.cert.pem`, file], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ID="_G10aw0MvnXs1TwOB5MitLD.xSy8rvw-.J3wn1l8LMP9a361iouJQVh6K.NVlBwc"');
  });
});
