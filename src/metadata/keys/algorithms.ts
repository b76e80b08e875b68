/**
 * The key algorithms `pont keys generate --alg` offers (R-CRY-04: RSA ≥ 3072, P-256/384/521,
 * brainpoolP256r1/384r1/512r1), their names for imported keys, and generation with a
 * self-signed certificate (RSASSA-PSS or ECDSA with the curve's hash, R-CRY-10).
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { generateKeyPair, type KeyType } from '../../keys/generate.ts';
import { BRAINPOOL_CURVES, generateBrainpoolPair, type BrainpoolCurve } from './brainpool.ts';
import { KEY_ALGORITHMS, type KeyAlgorithm, type KeyUse } from './types.ts';

export { KEY_ALGORITHMS, DEFAULT_KEY_ALGORITHM, type KeyAlgorithm } from './types.ts';

const CURVE_NAMES: Record<string, string> = {
  prime256v1: 'ec-p256',
  secp384r1: 'ec-p384',
  secp521r1: 'ec-p521',
  brainpoolP256r1: 'ec-brainpoolp256r1',
  brainpoolP384r1: 'ec-brainpoolp384r1',
  brainpoolP512r1: 'ec-brainpoolp512r1',
};

const BRAINPOOL_BY_NAME: Record<string, BrainpoolCurve> = {
  'ec-brainpoolp256r1': 'brainpoolP256r1',
  'ec-brainpoolp384r1': 'brainpoolP384r1',
  'ec-brainpoolp512r1': 'brainpoolP512r1',
};

export function isKeyAlgorithm(name: string): name is KeyAlgorithm {
  return (KEY_ALGORITHMS as readonly string[]).includes(name);
}

/** The name of an (already strength-checked) key: `rsa-<bits>` or `ec-<curve>`. */
export function algorithmOf(key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') return `rsa-${details.modulusLength ?? 0}`;
  if (key.asymmetricKeyType === 'ec') return CURVE_NAMES[details.namedCurve ?? ''] ?? `ec-${details.namedCurve ?? 'unknown'}`;
  return key.asymmetricKeyType ?? key.type;
}

export interface NewKeyPair {
  privateKey: KeyObject;
  certificate: X509Certificate;
  certificatePem: string;
}

export interface NewKeyPairOptions {
  algorithm: KeyAlgorithm;
  use: KeyUse;
  subject: string;
  validityDays: number;
  notBefore: Date;
}

export async function generateNewKeyPair(options: NewKeyPairOptions): Promise<NewKeyPair> {
  const usage = options.use === 'encryption' ? 'encryption' : 'signing';
  const curve = BRAINPOOL_BY_NAME[options.algorithm];
  if (curve && curve in BRAINPOOL_CURVES) {
    const notAfter = new Date(options.notBefore.getTime() + options.validityDays * 86_400_000);
    const pair = await generateBrainpoolPair({ curve, usage, subject: options.subject, notBefore: options.notBefore, notAfter });
    return { privateKey: pair.privateKey, certificatePem: pair.certificatePem, certificate: new X509Certificate(pair.certificatePem) };
  }
  const pair = await generateKeyPair({
    type: options.algorithm as KeyType,
    usage,
    subject: options.subject,
    validityDays: options.validityDays,
    notBefore: options.notBefore,
  });
  return {
    privateKey: createPrivateKey(pair.privateKeyPem),
    certificatePem: pair.certificatePem,
    certificate: new X509Certificate(pair.certificatePem),
  };
}
