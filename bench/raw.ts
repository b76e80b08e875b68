/**
 * The raw node:crypto cost of one login: the same signatures, key transport, content
 * encryption and digests as the XML paths, with no XML at all. This is the bound the
 * XML paths are measured against.
 */
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createHash,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';
import type { BenchKeys } from './keys.ts';
import { authnRequestXml, responseXml } from './messages.ts';

const PSS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
const OAEP = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' };
const signedInfo = Buffer.alloc(900, 0x61);
const request = Buffer.from(authnRequestXml());
const assertion = Buffer.from(responseXml('_x'));

let cached: { requestSig: Buffer; assertionSig: Buffer; wrapped: Buffer; sealed: Buffer; cek: Buffer } | undefined;

function fixtures(keys: BenchKeys) {
  if (!cached) {
    const cek = randomBytes(32);
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', cek, iv);
    const sealed = Buffer.concat([iv, c.update(assertion), c.final(), c.getAuthTag()]);
    cached = {
      requestSig: sign('sha256', signedInfo, { key: keys.connectorSigning.privateKey, ...PSS }),
      assertionSig: sign('sha256', signedInfo, { key: keys.proxySigning.privateKey, ...PSS }),
      wrapped: publicEncrypt({ key: keys.connectorEncryption.publicKey, ...OAEP }, cek),
      sealed,
      cek,
    };
  }
  return cached;
}

export function rawProxyService(keys: BenchKeys): void {
  const f = fixtures(keys);
  createHash('sha256').update(request).digest();
  verify('sha256', signedInfo, { key: keys.connectorSigning.publicKey, ...PSS }, f.requestSig);
  createHash('sha256').update(assertion).digest();
  sign('sha256', signedInfo, { key: keys.proxySigning.privateKey, ...PSS });
  const cek = randomBytes(32);
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', cek, iv);
  Buffer.concat([c.update(assertion), c.final(), c.getAuthTag()]);
  publicEncrypt({ key: keys.connectorEncryption.publicKey, ...OAEP }, cek);
  createHash('sha256').update(assertion).digest();
  sign('sha256', signedInfo, { key: keys.proxySigning.privateKey, ...PSS });
}

export function rawConnector(keys: BenchKeys): void {
  const f = fixtures(keys);
  createHash('sha256').update(assertion).digest();
  verify('sha256', signedInfo, { key: keys.proxySigning.publicKey, ...PSS }, f.assertionSig);
  const cek = privateDecrypt({ key: keys.connectorEncryption.privateKey, ...OAEP }, f.wrapped);
  const d = createDecipheriv('aes-256-gcm', cek, f.sealed.subarray(0, 12));
  d.setAuthTag(f.sealed.subarray(f.sealed.length - 16));
  Buffer.concat([d.update(f.sealed.subarray(12, f.sealed.length - 16)), d.final()]);
  createHash('sha256').update(assertion).digest();
  verify('sha256', signedInfo, { key: keys.proxySigning.publicKey, ...PSS }, f.assertionSig);
}
