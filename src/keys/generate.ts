/**
 * Key pairs with a self-signed certificate, as PEM: the node's development keys at first
 * start, and `pont keys generate`. Keys come from node:crypto; certificates from
 * @peculiar/x509, signed with RSASSA-PSS (SHA-256, salt 32) or ECDSA with the curve's hash
 * (R-CRY-10), never SHA-1 or PKCS#1 v1.5.
 */
import 'reflect-metadata'; // @peculiar/x509 needs the Reflect metadata API: imported first
import * as x509 from '@peculiar/x509';
import { generateKeyPair as nodeGenerateKeyPair, randomBytes, webcrypto, X509Certificate, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const generateNodeKeyPair = promisify(nodeGenerateKeyPair);

export const KEY_TYPES = ['rsa-3072', 'rsa-4096', 'ec-p256', 'ec-p384', 'ec-p521'] as const;
export type KeyType = (typeof KEY_TYPES)[number];
/** What the key is for: it decides the certificate's keyUsage (a signing key never encrypts). */
export type KeyUsage = 'signing' | 'encryption';

export interface GenerateKeyPairOptions {
  type: KeyType;
  /** Distinguished name, e.g. `CN=Pont eIDAS message signing, O=Pont eIDAS, C=FR`. */
  subject: string;
  validityDays: number;
  usage?: KeyUsage;
  /** Start of validity; defaults to now. */
  notBefore?: Date;
}

export interface GeneratedKeyPair {
  type: KeyType;
  /** PKCS#8, unencrypted: write it with mode 0600 only. */
  privateKeyPem: string;
  certificatePem: string;
  /** SHA-256 of the certificate's DER, colon-separated hex (as openssl prints it). */
  fingerprint: string;
  notAfter: Date;
}

interface Profile {
  node: { kind: 'rsa'; modulusLength: number } | { kind: 'ec'; namedCurve: string };
  webKey: RsaHashedImportParams | EcKeyImportParams;
  signing: RsaPssParams & { hash: string } | EcdsaParams;
}

const PROFILES: Record<KeyType, Profile> = {
  'rsa-3072': rsaProfile(3072),
  'rsa-4096': rsaProfile(4096),
  'ec-p256': ecProfile('P-256', 'SHA-256'),
  'ec-p384': ecProfile('P-384', 'SHA-384'),
  'ec-p521': ecProfile('P-521', 'SHA-512'),
};

function rsaProfile(modulusLength: number): Profile {
  return {
    node: { kind: 'rsa', modulusLength },
    webKey: { name: 'RSA-PSS', hash: 'SHA-256' },
    signing: { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 },
  };
}

function ecProfile(namedCurve: string, hash: string): Profile {
  return { node: { kind: 'ec', namedCurve }, webKey: { name: 'ECDSA', namedCurve }, signing: { name: 'ECDSA', hash } };
}

export async function generateKeyPair(options: GenerateKeyPairOptions): Promise<GeneratedKeyPair> {
  const profile = PROFILES[options.type];
  if (!profile) throw new TypeError(`unknown key type ${String(options.type)}`);
  const pair =
    profile.node.kind === 'rsa'
      ? await generateNodeKeyPair('rsa', { modulusLength: profile.node.modulusLength, publicExponent: 0x10001 })
      : await generateNodeKeyPair('ec', { namedCurve: profile.node.namedCurve });
  const notBefore = options.notBefore ?? new Date();
  const notAfter = new Date(notBefore.getTime() + options.validityDays * 86_400_000);
  const cert = await selfSign(pair, profile, options, notBefore, notAfter);
  const certificatePem = cert.toString('pem') + '\n';
  return {
    type: options.type,
    privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificatePem,
    fingerprint: new X509Certificate(certificatePem).fingerprint256,
    notAfter,
  };
}

async function selfSign(
  pair: { privateKey: KeyObject; publicKey: KeyObject },
  profile: Profile,
  options: GenerateKeyPairOptions,
  notBefore: Date,
  notAfter: Date,
): Promise<x509.X509Certificate> {
  const subtle = webcrypto.subtle;
  const privateKey = await subtle.importKey('pkcs8', pair.privateKey.export({ type: 'pkcs8', format: 'der' }), profile.webKey, false, ['sign']);
  const publicKey = await subtle.importKey('spki', pair.publicKey.export({ type: 'spki', format: 'der' }), profile.webKey, true, ['verify']);
  return x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: options.subject,
    notBefore,
    notAfter,
    signingAlgorithm: profile.signing,
    keys: { privateKey, publicKey },
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(keyUsageFlags(options.usage ?? 'signing', profile), true),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
    ],
  });
}

function keyUsageFlags(usage: KeyUsage, profile: Profile): x509.KeyUsageFlags {
  if (usage === 'signing') return x509.KeyUsageFlags.digitalSignature;
  return profile.node.kind === 'rsa' ? x509.KeyUsageFlags.keyEncipherment : x509.KeyUsageFlags.keyAgreement;
}

/** 16 random bytes, first bit cleared so the DER INTEGER is positive. */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}
