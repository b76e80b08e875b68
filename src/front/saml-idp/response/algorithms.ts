/**
 * What we send a given connector (DESIGN §3, R-CRY-03..08): chosen from its verified metadata
 * (alg:SigningMethod, alg:DigestMethod, md:EncryptionMethod), always within the eIDAS profile.
 *  - signature: the first algorithm our key can make that the peer lists (a 1.2-era xmlsec1 /
 *    pysaml2 peer lists ecdsa-sha256 and cannot verify RSA-PSS); none listed: our key's default;
 *  - encryption: AES-256-GCM, or AES-128-GCM when that is the only GCM the peer lists; key
 *    transport xmlenc11#rsa-oaep (SHA-256/MGF1-SHA256), or rsa-oaep-mgf1p for a peer that lists
 *    only that; ECDH-ES + kw-aes256 (kw-aes128 when only that is listed) to an EC certificate.
 */
import type { KeyObject, X509Certificate } from 'node:crypto';
import { DIGEST, ENC, SIG, defaultSignatureAlgorithm, type EncryptOptions } from '../../../saml/index.ts';
import { refuseRequest } from '../errors.ts';
import type { ConnectorPeer } from '../types.ts';

const EC_ORDER = [SIG.ECDSA_SHA256, SIG.ECDSA_SHA384, SIG.ECDSA_SHA512];
const RSA_ORDER = [SIG.RSA_PSS_SHA256, SIG.RSA_PSS_SHA384, SIG.RSA_PSS_SHA512];
const DIGEST_ORDER = [DIGEST.SHA256, DIGEST.SHA384, DIGEST.SHA512];

export interface SigningChoice {
  algorithm: string;
  digest: string;
}

export function chooseSigning(peer: ConnectorPeer, key: KeyObject): SigningChoice {
  const type = key.asymmetricKeyType;
  const ours = type === 'ec' ? EC_ORDER : type === 'rsa' || type === 'rsa-pss' ? RSA_ORDER : [];
  const preferred = defaultSignatureAlgorithm(key).uri;
  const ordered = [preferred, ...ours.filter((a) => a !== preferred)];
  const listed = ordered.find((a) => peer.signingMethods.includes(a));
  const digest = DIGEST_ORDER.find((d) => peer.digestMethods.includes(d)) ?? DIGEST.SHA256;
  return { algorithm: listed ?? preferred, digest };
}

export interface EncryptionChoice extends EncryptOptions {
  recipient: X509Certificate;
}

/**
 * The first encryption certificate of the verified metadata. Its validity dates are not checked:
 * under the SAML Metadata Interoperability profile (IA §6.3) the metadata, not the certificate,
 * says which keys are current.
 */
export function chooseEncryption(peer: ConnectorPeer): EncryptionChoice {
  const certificate = peer.encryptionCertificates[0];
  if (!certificate) refuseRequest('PEER_GONE', 'the connector metadata has no encryption certificate (R-RSP-02)');
  const listed = (uri: string): boolean => peer.encryptionMethods.includes(uri);
  const dataAlgorithm = !listed(ENC.AES256_GCM) && listed(ENC.AES128_GCM) ? ENC.AES128_GCM : ENC.AES256_GCM;
  const type = certificate.publicKey.asymmetricKeyType;
  if (type === 'ec') {
    const keyWrap = !listed(ENC.KW_AES256) && listed(ENC.KW_AES128) ? ENC.KW_AES128 : ENC.KW_AES256;
    return { recipient: certificate, dataAlgorithm, keyWrap };
  }
  const keyTransport = !listed(ENC.RSA_OAEP) && listed(ENC.RSA_OAEP_MGF1P) ? ENC.RSA_OAEP_MGF1P : ENC.RSA_OAEP;
  return { recipient: certificate, dataAlgorithm, keyTransport };
}
