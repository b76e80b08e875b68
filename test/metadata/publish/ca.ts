/** A small test PKI: root CA → intermediate CA → metadata signing certificate (ECDSA P-256). */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createPrivateKey, webcrypto, X509Certificate } from 'node:crypto';
import type { FakeKey } from './fake-key-ring.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const notBefore = new Date('2026-01-01T00:00:00Z');
const notAfter = new Date('2027-01-01T00:00:00Z');

export interface TestPki {
  root: X509Certificate;
  intermediate: X509Certificate;
  /** A metadata signing key whose certificate the intermediate issued. */
  signer: FakeKey;
  /** intermediate then root, as an operator's chain file holds them. */
  chainPem: string;
}

const newKeys = () => webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;

async function issue(serial: string, subject: string, issuer: { name: string; keys: CryptoKeyPair }, keys: CryptoKeyPair, ca: boolean) {
  return x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject,
    issuer: issuer.name,
    notBefore,
    notAfter,
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(ca, ca ? 0 : undefined, true),
      new x509.KeyUsagesExtension(ca ? x509.KeyUsageFlags.keyCertSign : x509.KeyUsageFlags.digitalSignature, true),
    ],
  });
}

export async function testPki(): Promise<TestPki> {
  const [rootKeys, interKeys, leafKeys] = await Promise.all([newKeys(), newKeys(), newKeys()]);
  const rootName = 'CN=Pont eIDAS test root CA, O=Pont eIDAS tests, C=FR';
  const interName = 'CN=Pont eIDAS test metadata CA, O=Pont eIDAS tests, C=FR';
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: rootName,
    notBefore,
    notAfter,
    keys: rootKeys,
    signingAlgorithm: ALG,
    extensions: [new x509.BasicConstraintsExtension(true, 1, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
  });
  const inter = await issue('02', interName, { name: rootName, keys: rootKeys }, interKeys, true);
  const leaf = await issue('03', 'CN=Pont eIDAS test metadata signer, O=Pont eIDAS tests, C=FR', { name: interName, keys: interKeys }, leafKeys, false);
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', leafKeys.privateKey));
  const leafCert = new X509Certificate(leaf.toString('pem'));
  return {
    root: new X509Certificate(root.toString('pem')),
    intermediate: new X509Certificate(inter.toString('pem')),
    signer: {
      id: 'metadata-pki',
      use: 'metadata',
      state: 'active',
      algorithm: 'ec-p256',
      certificate: leafCert,
      certificatePem: leaf.toString('pem'),
      fingerprint: leafCert.fingerprint256,
      privateKey: createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }),
      privateKeyPem: '',
    },
    chainPem: `${inter.toString('pem')}\n${root.toString('pem')}\n`,
  };
}
