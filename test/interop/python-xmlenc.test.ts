/**
 * XML-Enc interop for what xmlsec1 1.2 cannot read (debian-peers.md): xmlenc11#rsa-oaep with
 * SHA-256/MGF1-SHA256 and ECDH-ES + ConcatKDF + AES-KW. An independent decryptor in Python
 * (lxml + cryptography, test/interop/python/xmlenc_decrypt.py) reads what we send.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { encryptElement, type EncryptOptions } from '../../src/saml/encrypt.ts';
import { ENC } from '../../src/saml/namespaces.ts';
import { serializeXml } from '../../src/saml/parser.ts';
import { DEBIAN_PYTHON, describeWithPeer } from '../helpers/peers.ts';
import { euCert, excC14n, plainResponse } from '../unit/saml/enc-fixtures.ts';

const SCRIPT = path.resolve(import.meta.dirname, 'python/xmlenc_decrypt.py');
const EU_KEYS = path.resolve(import.meta.dirname, '../fixtures/keys/eu-mock-test-p12');

describeWithPeer(['python-crypto'], 'XML-Enc read by Python lxml + cryptography (R-CRY-07, R-CRY-08)', () => {
  let dir: string;
  const expected = excC14n(plainResponse().assertion);
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pont-python-enc-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Encrypts the EU Assertion with `options` and returns what the Python decryptor prints. */
  async function pythonReads(options: EncryptOptions, keyPem: string): Promise<string> {
    const { doc, assertion } = plainResponse();
    await encryptElement(assertion, options);
    const file = path.join(dir, `msg-${crypto.randomUUID()}.xml`);
    fs.writeFileSync(file, serializeXml(doc));
    return execFileSync(DEBIAN_PYTHON, [SCRIPT, keyPem, file], { encoding: 'utf8' });
  }

  it('R-CRY-07: xmlenc11#rsa-oaep with SHA-256 digest and MGF1-SHA256 (our default) decrypts in Python', async () => {
    const out = await pythonReads({ recipient: euCert('test-rsa') }, path.join(EU_KEYS, 'test-rsa.key.pem'));
    expect(out).toBe(expected);
  });

  it('R-CRY-07: rsa-oaep-mgf1p with AES-128-GCM decrypts in Python', async () => {
    const options = { recipient: euCert('test-rsa'), keyTransport: ENC.RSA_OAEP_MGF1P, dataAlgorithm: ENC.AES128_GCM };
    expect(await pythonReads(options, path.join(EU_KEYS, 'test-rsa.key.pem'))).toBe(expected);
  });

  for (const curve of ['prime256v1', 'secp384r1', 'secp521r1', 'brainpoolP256r1', 'brainpoolP384r1', 'brainpoolP512r1']) {
    it(`R-CRY-08: ECDH-ES on ${curve} + ConcatKDF(SHA-256) + kw-aes256 decrypts in Python`, async () => {
      const pair = crypto.generateKeyPairSync('ec', { namedCurve: curve });
      const keyPem = path.join(dir, `${curve}.pem`);
      fs.writeFileSync(keyPem, pair.privateKey.export({ format: 'pem', type: 'pkcs8' }));
      expect(await pythonReads({ recipient: pair.publicKey }, keyPem)).toBe(expected);
    });
  }

  it('R-CRY-08: ECDH-ES to the EU brainpool certificate with kw-aes128 and AES-128-GCM decrypts in Python', async () => {
    const options = { recipient: euCert('test-ec'), keyWrap: ENC.KW_AES128, dataAlgorithm: ENC.AES128_GCM };
    expect(await pythonReads(options, path.join(EU_KEYS, 'test-ec.key.pem'))).toBe(expected);
  });
});
