/**
 * Test PKI for the metadata-signing chain (R-MD-14): a root (the trust anchor), intermediates
 * and leaves made with @peculiar/x509, EC P-256 (fast), or the committed RSA-3072 test key
 * when a PKCS#1 v1.5 signature is needed. Also a certificate whose EC key is the point at
 * infinity (Node 20 aborts when reading such a key's details).
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { KeyObject, X509Certificate, randomBytes, webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { FIXTURES } from './helpers.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);
const subtle = webcrypto.subtle;

export interface Issued {
  name: string;
  cert: X509Certificate;
  key: KeyObject;
  keys: CryptoKeyPair;
  signing: Algorithm;
}

const EC: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' };

export interface IssueOptions {
  name: string;
  issuer?: Issued;
  ca: boolean;
  notBefore?: Date;
  notAfter?: Date;
  keys?: CryptoKeyPair;
  signing?: Algorithm;
  /** keyUsage keyCertSign without being a CA (basicConstraints cA false). */
  certSignWithoutCa?: boolean;
  /** subjectAltName IP addresses (a TLS server certificate). */
  ipAddresses?: string[];
}

export async function issue(o: IssueOptions): Promise<Issued> {
  const keys = o.keys ?? ((await subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair);
  const signing = o.signing ?? ECDSA_SHA256;
  const issuerKeys = o.issuer?.keys ?? keys;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: `01${randomBytes(8).toString('hex')}`,
    subject: o.name,
    issuer: o.issuer?.name ?? o.name,
    notBefore: o.notBefore ?? new Date('2024-01-01T00:00:00Z'),
    notAfter: o.notAfter ?? new Date('2026-01-01T00:00:00Z'),
    signingAlgorithm: o.issuer?.signing ?? signing,
    publicKey: keys.publicKey,
    signingKey: issuerKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(o.ca, undefined, true),
      new x509.KeyUsagesExtension(o.ca || o.certSignWithoutCa ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign : x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ...(o.issuer ? [await x509.AuthorityKeyIdentifierExtension.create(o.issuer.keys.publicKey)] : []),
      ...(o.ipAddresses ? [new x509.SubjectAlternativeNameExtension(o.ipAddresses.map((value) => ({ type: 'ip' as const, value })))] : []),
    ],
  });
  return { name: o.name, cert: new X509Certificate(Buffer.from(cert.rawData)), key: KeyObject.from(keys.privateKey), keys, signing };
}

/** The committed RSA-3072 test key as a self-signed CA that signs with RSASSA-PKCS1-v1_5 SHA-256. */
export async function pkcs1Root(name: string): Promise<Issued> {
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const pem = readFileSync(`${FIXTURES}keys/dsig/rsa-3072.key.pem`, 'utf8');
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const privateKey = await subtle.importKey('pkcs8', der, alg, true, ['sign']);
  const jwk = await subtle.exportKey('jwk', privateKey);
  const publicKey = await subtle.importKey('jwk', { kty: jwk.kty!, n: jwk.n!, e: jwk.e! }, alg, true, ['verify']);
  return issue({ name, ca: true, keys: { privateKey, publicKey }, signing: alg });
}

/** A copy of the p256 test certificate whose public key is the point at infinity (signature no longer valid). */
export function infinityCertificate(): Buffer {
  const der = new X509Certificate(readFileSync(`${FIXTURES}keys/dsig/p256.cert.pem`)).raw;
  const tlv = (tag: number, body: Buffer) => {
    const n = body.length;
    const head = n < 0x80 ? [tag, n] : n < 0x100 ? [tag, 0x81, n] : [tag, 0x82, n >> 8, n & 0xff];
    return Buffer.concat([Buffer.from(head), body]);
  };
  const header = (at: number) => (der[at + 1]! < 0x80 ? 2 : 2 + (der[at + 1]! & 0x7f));
  const length = (at: number) => {
    const h = header(at);
    return h === 2 ? der[at + 1]! : der.subarray(at + 2, at + h).reduce((a, b) => a * 256 + b, 0);
  };
  const tbsAt = header(0);
  const tbsEnd = tbsAt + header(tbsAt) + length(tbsAt);
  const spkiAt = der.indexOf(Buffer.from([0x30, 0x59, 0x30, 0x13]), tbsAt);
  const spkiEnd = spkiAt + 2 + 0x59;
  const algorithm = der.subarray(spkiAt + 2, spkiAt + 2 + 0x15);
  const spki = tlv(0x30, Buffer.concat([algorithm, Buffer.from([0x03, 0x02, 0x00, 0x00])]));
  const tbs = tlv(0x30, Buffer.concat([der.subarray(tbsAt + header(tbsAt), spkiAt), spki, der.subarray(spkiEnd, tbsEnd)]));
  return tlv(0x30, Buffer.concat([tbs, der.subarray(tbsEnd)]));
}
