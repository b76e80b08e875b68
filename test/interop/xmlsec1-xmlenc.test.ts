/**
 * XML-Enc interop with xmlsec1 1.2.37 (Debian), an encryptor/decryptor nobody here wrote.
 * xmlsec1 1.2 reads AES-GCM with rsa-oaep-mgf1p only (debian-peers.md): that is what we send to
 * 1.2-era peers (R-CRY-07, DESIGN §3) and what we must read from them.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decryptElement } from '../../src/saml/decrypt.ts';
import { encryptElement } from '../../src/saml/encrypt.ts';
import { ENC, NS } from '../../src/saml/namespaces.ts';
import { parseXml, serializeXml } from '../../src/saml/parser.ts';
import { describeWithPeer } from '../helpers/peers.ts';
import { excC14n, find, plainResponse, reasonOf, VECTORS } from '../unit/saml/enc-fixtures.ts';

/** The EncryptedData template xmlsec1 fills in: GCM content, key under rsa-oaep-mgf1p (SHA-1). */
function template(dataAlgorithm: string): string {
  const doc = parseXml(
    '<xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" xmlns:ds="http://www.w3.org/2000/09/xmldsig#"' +
      ' Type="http://www.w3.org/2001/04/xmlenc#Element"><xenc:EncryptionMethod/><ds:KeyInfo><xenc:EncryptedKey>' +
      '<xenc:EncryptionMethod><ds:DigestMethod/></xenc:EncryptionMethod>' +
      '<xenc:CipherData><xenc:CipherValue/></xenc:CipherData></xenc:EncryptedKey></ds:KeyInfo>' +
      '<xenc:CipherData><xenc:CipherValue/></xenc:CipherData></xenc:EncryptedData>',
  );
  const [dataMethod, keyMethod] = Array.from(doc.getElementsByTagNameNS(NS.xenc, 'EncryptionMethod'));
  dataMethod!.setAttribute('Algorithm', dataAlgorithm);
  keyMethod!.setAttribute('Algorithm', ENC.RSA_OAEP_MGF1P);
  find(doc, NS.ds, 'DigestMethod').setAttribute('Algorithm', ENC.SHA1);
  return serializeXml(doc);
}

describeWithPeer(['xmlsec1'], 'XML-Enc interop with xmlsec1 1.2 (R-CRY-05, R-CRY-07)', () => {
  let dir: string;
  let keyPem: string;
  let certPem: string;
  const expected = excC14n(plainResponse().assertion);

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pont-xmlsec1-enc-'));
    keyPem = path.join(dir, 'key.pem');
    certPem = path.join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:3072', '-nodes', '-keyout', keyPem, '-out', certPem,
      '-subj', '/CN=pont-xmlenc-interop', '-days', '2'], { stdio: 'ignore' });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const dataAlgorithm of [ENC.AES256_GCM, ENC.AES128_GCM]) {
    it(`R-CRY-07: what we encrypt (${dataAlgorithm.split('#')[1]} + rsa-oaep-mgf1p) decrypts with xmlsec1 --decrypt`, async () => {
      const { doc, assertion } = plainResponse();
      const cert = new crypto.X509Certificate(fs.readFileSync(certPem));
      await encryptElement(assertion, { recipient: cert, keyTransport: ENC.RSA_OAEP_MGF1P, dataAlgorithm });
      const file = path.join(dir, 'ours.xml');
      fs.writeFileSync(file, serializeXml(doc));
      const out = execFileSync('xmlsec1', ['--decrypt', '--privkey-pem', `${keyPem},${certPem}`, file], { stdio: ['ignore', 'pipe', 'ignore'] });
      const decrypted = parseXml(out);
      expect(decrypted.getElementsByTagNameNS(NS.xenc, 'EncryptedData').length).toBe(0);
      expect(excC14n(find(decrypted, NS.saml, 'Assertion'))).toBe(expected);
    });
  }

  function xmlsec1Encrypt(dataAlgorithm: string, sessionKey: string): Element {
    const tmpl = path.join(dir, `template-${sessionKey}.xml`);
    fs.writeFileSync(tmpl, template(dataAlgorithm));
    const out = execFileSync('xmlsec1', ['--encrypt', '--pubkey-cert-pem', certPem, '--session-key', sessionKey,
      '--xml-data', path.join(VECTORS, 'saml_response.xml'), '--node-xpath', "//*[local-name()='Assertion']", tmpl],
      { stdio: ['ignore', 'pipe', 'ignore'] });
    return find(parseXml(out), NS.xenc, 'EncryptedData');
  }

  it('R-CRY-07: what xmlsec1 encrypts (aes256-gcm + rsa-oaep-mgf1p template) decrypts with ours', async () => {
    const encryptedData = xmlsec1Encrypt(ENC.AES256_GCM, 'aes-256');
    const key = crypto.createPrivateKey(fs.readFileSync(keyPem));
    expect(excC14n(await decryptElement(encryptedData, { keys: [key] }))).toBe(expected);
  });

  it('ATK-31: what xmlsec1 encrypts with aes256-cbc is refused by ours (ENC_ALG_NOT_ALLOWED)', async () => {
    const encryptedData = xmlsec1Encrypt('http://www.w3.org/2001/04/xmlenc#aes256-cbc', 'aes-256');
    const key = crypto.createPrivateKey(fs.readFileSync(keyPem));
    expect(await reasonOf(decryptElement(encryptedData, { keys: [key] }))).toBe('ENC_ALG_NOT_ALLOWED');
  });
});
