/**
 * Brainpool key pairs (R-CRY-04 lists brainpoolP256r1/384r1/512r1) with a self-signed
 * certificate. WebCrypto has no Brainpool curves, so @peculiar/x509 builds the certificate
 * and node:crypto (OpenSSL) computes its ECDSA signature, with the curve's hash (R-CRY-10).
 */
import 'reflect-metadata'; // @peculiar/x509 needs the Reflect metadata API: imported first
import * as x509 from '@peculiar/x509';
import { generateKeyPair, randomBytes, sign, webcrypto, X509Certificate, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

export const BRAINPOOL_CURVES = {
  brainpoolP256r1: { bytes: 32, hash: 'SHA-256' },
  brainpoolP384r1: { bytes: 48, hash: 'SHA-384' },
  brainpoolP512r1: { bytes: 64, hash: 'SHA-512' },
} as const;
export type BrainpoolCurve = keyof typeof BRAINPOOL_CURVES;

for (const [curve, { bytes }] of Object.entries(BRAINPOOL_CURVES)) {
  x509.AsnEcSignatureFormatter.namedCurveSize.set(curve, bytes); // r||s split of the signature value
}

const generateEcPair = promisify(generateKeyPair);

export interface BrainpoolPairOptions {
  curve: BrainpoolCurve;
  usage: 'signing' | 'encryption';
  subject: string;
  notBefore: Date;
  notAfter: Date;
}

export interface BrainpoolPair {
  privateKey: KeyObject;
  certificatePem: string;
}

export async function generateBrainpoolPair(options: BrainpoolPairOptions): Promise<BrainpoolPair> {
  const { curve } = options;
  const { hash } = BRAINPOOL_CURVES[curve];
  const pair = await generateEcPair('ec', { namedCurve: curve });
  const spki = pair.publicKey.export({ type: 'spki', format: 'der' });
  // Only `algorithm` of the signing key is read by @peculiar/x509; the signature is ours.
  const signingKey = { algorithm: { name: 'ECDSA', namedCurve: curve }, type: 'private' } as unknown as CryptoKey;
  const signer = {
    subtle: {
      sign: async (_alg: unknown, _key: unknown, data: ArrayBuffer | ArrayBufferView) =>
        sign(hash.replace('-', '').toLowerCase(), toBuffer(data), { key: pair.privateKey, dsaEncoding: 'ieee-p1363' }),
    },
  } as unknown as Crypto;
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serialNumber(),
      subject: options.subject,
      issuer: options.subject,
      notBefore: options.notBefore,
      notAfter: options.notAfter,
      publicKey: spki,
      signingKey,
      signingAlgorithm: { name: 'ECDSA', hash },
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(
          options.usage === 'signing' ? x509.KeyUsageFlags.digitalSignature : x509.KeyUsageFlags.keyAgreement,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(spki, false, webcrypto as unknown as Crypto),
      ],
    },
    signer,
  );
  const certificatePem = cert.toString('pem') + '\n';
  if (!new X509Certificate(certificatePem).verify(pair.publicKey)) {
    throw new Error(`the ${curve} certificate does not verify with its own key`);
  }
  return { privateKey: pair.privateKey, certificatePem };
}

function toBuffer(data: ArrayBuffer | ArrayBufferView): Buffer {
  return ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
}

/** 16 random bytes, first bit cleared so the DER INTEGER is positive. */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}
