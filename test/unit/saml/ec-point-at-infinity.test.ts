/**
 * A certificate whose EC public key is the point at infinity (R-CRY-04, ATK-23, ATK-37).
 * OpenSSL parses such a certificate, but Node 20 aborts the whole process (an assertion in
 * GetEcKeyDetail, not an exception) when `asymmetricKeyDetails` of its key is read. So a
 * certificate from a message's KeyInfo is never parsed as a key, and every key whose details
 * are read (checkKeyStrength) is checked to be a point first. If either defence goes, this
 * file's worker dies and the run fails.
 *
 * The certificate is made here by DER surgery on the p256 test certificate: its
 * subjectPublicKey BIT STRING becomes the single octet 00 (SEC 1 §2.3.3, the point at
 * infinity) and the enclosing lengths are re-encoded. Its signature no longer verifies,
 * which does not matter: nothing here checks a certificate's signature.
 */
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fixtureText, G } from '../../helpers/saml-fixtures.ts';
import { XmlSecurityError } from '../../../src/saml/errors.ts';
import { certificateSpki, checkKeyStrength, loadCertificate, loadPrivateKey } from '../../../src/saml/keys.ts';
import { NS } from '../../../src/saml/namespaces.ts';
import { parseXml, serializeXml } from '../../../src/saml/parser.ts';
import { signElement } from '../../../src/saml/sign.ts';
import { encryptElement } from '../../../src/saml/encrypt.ts';
import { verifyXml } from '../../../src/saml/verify.ts';

const KEYS = new URL('../../fixtures/keys/dsig/', import.meta.url);
const pair = (name: string) => ({
  key: loadPrivateKey(readFileSync(new URL(`${name}.key.pem`, KEYS))),
  certificate: loadCertificate(readFileSync(new URL(`${name}.cert.pem`, KEYS))),
});
const p256 = pair('p256');
const evil = pair('evil-p256');

interface Tlv {
  start: number;
  body: number;
  end: number;
}
function tlv(der: Buffer, at: number): Tlv {
  const first = der[at + 1]!;
  const count = first & 0x80 ? first & 0x7f : 0;
  const length = count ? der.readUIntBE(at + 2, count) : first;
  const body = at + 2 + count;
  return { start: at, body, end: body + length };
}
function children(der: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.body; at < parent.end; at = out[out.length - 1]!.end) out.push(tlv(der, at));
  return out;
}
function sequence(parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const n = body.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.from([0x30, ...length]), body]);
}

/** The p256 certificate with its subjectPublicKey replaced by the point at infinity. */
function certificateWithPointAtInfinity(): Buffer {
  const der = p256.certificate.raw;
  const slice = (t: Tlv) => der.subarray(t.start, t.end);
  const [tbs, signatureAlgorithm, signature] = children(der, tlv(der, 0)) as [Tlv, Tlv, Tlv];
  const fields = children(der, tbs);
  const spkiAt = der[fields[0]!.start] === 0xa0 ? 6 : 5;
  const [algorithm] = children(der, fields[spkiAt]!);
  const infinity = Buffer.from([0x03, 0x02, 0x00, 0x00]); // BIT STRING, no unused bits, octet 00
  const spki = sequence([slice(algorithm!), infinity]);
  const newTbs = sequence(fields.map((f, i) => (i === spkiAt ? spki : slice(f))));
  return sequence([newTbs, slice(signatureAlgorithm), slice(signature)]);
}

const INFINITY_DER = certificateWithPointAtInfinity();
const infinityCertificate = new X509Certificate(INFINITY_DER); // OpenSSL accepts it

function reasonOf(f: () => unknown): string {
  try {
    f();
    return 'accepted';
  } catch (e) {
    if (e instanceof XmlSecurityError) return e.reason;
    throw e;
  }
}
async function outcomeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ACCEPTED';
  } catch (e) {
    if (e instanceof XmlSecurityError) return e.reason;
    throw e;
  }
}

/** G_RESP_PLAIN signed by `signer`, its KeyInfo naming the point-at-infinity certificate. */
async function signedNamingInfinity(signer: typeof p256): Promise<string> {
  const doc = parseXml(fixtureText(G.RESP_PLAIN));
  const signature = await signElement(doc.documentElement, { key: signer.key });
  const ds = (name: string, parent: Element) => parent.appendChild(doc.createElementNS(NS.ds, `ds:${name}`)) as Element;
  const x509 = ds('X509Certificate', ds('X509Data', ds('KeyInfo', signature)));
  x509.appendChild(doc.createTextNode(INFINITY_DER.toString('base64')));
  return serializeXml(doc);
}

describe('R-CRY-04 / ATK-23: an EC certificate whose key is the point at infinity never crashes the node', () => {
  it('the certificate was built as meant: same curve, SPKI ending in the point 00', () => {
    const spki = certificateSpki(INFINITY_DER)!;
    expect(spki.subarray(-3)).toEqual(Buffer.from([0x02, 0x00, 0x00]));
    expect(infinityCertificate.publicKey.asymmetricKeyType).toBe('ec'); // reading the type is safe; details are not
  });

  it('certificateSpki reads the SPKI bytes without node:crypto, as node:crypto exports them', () => {
    const raw = p256.certificate.raw;
    expect(certificateSpki(raw)).toEqual(p256.certificate.publicKey.export({ type: 'spki', format: 'der' }));
    expect(certificateSpki(Buffer.from('not a certificate'))).toBeUndefined();
    expect(certificateSpki(raw.subarray(0, raw.length - 1))).toBeUndefined();
  });

  it('checkKeyStrength refuses the key with KEY_INVALID instead of reading its details', () => {
    expect(reasonOf(() => checkKeyStrength(infinityCertificate.publicKey))).toBe('KEY_INVALID');
    expect(reasonOf(() => checkKeyStrength(p256.certificate.publicKey))).toBe('accepted');
  });

  it('in the KeyInfo of a K_EVIL signature: KEY_UNTRUSTED (compared by SPKI bytes, never parsed)', async () => {
    const xml = await signedNamingInfinity(evil);
    expect(await outcomeOf(verifyXml(xml, { trusted: [p256.certificate] }))).toBe('KEY_UNTRUSTED');
  });

  it('in the KeyInfo of a genuine signature: accepted, KeyInfo only names', async () => {
    const xml = await signedNamingInfinity(p256);
    expect(await outcomeOf(verifyXml(xml, { trusted: [p256.certificate] }))).toBe('ACCEPTED');
  });

  it('as a trusted certificate: dropped next to a good one, KEY_INVALID alone', async () => {
    const xml = await signedNamingInfinity(p256);
    expect(await outcomeOf(verifyXml(xml, { trusted: [infinityCertificate, p256.certificate] }))).toBe('ACCEPTED');
    expect(await outcomeOf(verifyXml(xml, { trusted: [infinityCertificate] }))).toBe('KEY_INVALID');
  });

  it('as a recipient certificate from peer metadata (R-CRY-06): ENC_ALG_NOT_ALLOWED, no abort', async () => {
    const doc = parseXml('<a><b>secret</b></a>');
    const target = doc.documentElement.firstChild as Element;
    expect(await outcomeOf(encryptElement(target, { recipient: infinityCertificate }))).toBe('ENC_ALG_NOT_ALLOWED');
  });
});
