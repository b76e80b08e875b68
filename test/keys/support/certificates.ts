/**
 * A certificate for a key the test already has (re-certifying a key, or a key type our
 * generators never make, such as an id-RSASSA-PSS key), issued by a throw-away ECDSA P-256
 * issuer with ECDSA-SHA256.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { X509Certificate, webcrypto, type KeyObject } from 'node:crypto';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ISSUER_ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

export async function certificateFor(publicKey: KeyObject, subject: string): Promise<{ certificate: X509Certificate; certificatePem: string }> {
  const issuer = (await webcrypto.subtle.generateKey(ISSUER_ALG, false, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '4242',
    subject,
    issuer: 'CN=Pont eIDAS test issuer, C=FR',
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2027-01-01T00:00:00Z'),
    publicKey: publicKey.export({ type: 'spki', format: 'der' }),
    signingKey: issuer.privateKey,
    signingAlgorithm: ISSUER_ALG,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true)],
  });
  const certificatePem = cert.toString('pem') + '\n';
  return { certificate: new X509Certificate(certificatePem), certificatePem };
}
