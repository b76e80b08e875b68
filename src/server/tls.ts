/**
 * HTTPS served by the node itself (R-CRY-11..14): TLS 1.2 and 1.3 only; forward-secret
 * suites from the eIDAS crypto requirements' tables, ECDHE before DHE (DHE is left out: its
 * group would have to be ≥ 3072 bits, which OpenSSL's automatic choice does not guarantee),
 * AES before ChaCha20; named NIST curves for the key exchange; SHA-2 handshake signatures;
 * no renegotiation, no compression; Node never accepts TLS 1.3 0-RTT data.
 */
import { constants } from 'node:crypto';
import type { SecureContextOptions, TlsOptions } from 'node:tls';

export const TLS_MIN_VERSION = 'TLSv1.2';

/** TLS 1.3 suites (R-CRY-12), OpenSSL names. */
export const TLS13_CIPHERSUITES = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_128_CCM_SHA256',
  'TLS_CHACHA20_POLY1305_SHA256',
];

/** TLS 1.2 suites (R-CRY-12), OpenSSL names: ECDHE only, AEAD first, CBC-SHA2 last (encrypt-then-MAC). */
export const TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES256-SHA384',
  'ECDHE-RSA-AES256-SHA384',
  'ECDHE-ECDSA-AES128-SHA256',
  'ECDHE-RSA-AES128-SHA256',
];

/** R-CRY-13: named curves of at least 256 bits. */
export const TLS_GROUPS = ['P-256', 'P-384', 'P-521'];

/** R-CRY-14: SHA-2 handshake signatures only. */
export const TLS_SIGALGS = [
  'ecdsa_secp256r1_sha256',
  'ecdsa_secp384r1_sha384',
  'ecdsa_secp521r1_sha512',
  'rsa_pss_rsae_sha256',
  'rsa_pss_rsae_sha384',
  'rsa_pss_rsae_sha512',
  'rsa_pss_pss_sha256',
  'rsa_pss_pss_sha384',
  'rsa_pss_pss_sha512',
  'rsa_pkcs1_sha256',
  'rsa_pkcs1_sha384',
  'rsa_pkcs1_sha512',
];

export function tlsServerOptions(material: { cert: string | Buffer; key: string | Buffer }): TlsOptions & SecureContextOptions {
  return {
    cert: material.cert,
    key: material.key,
    minVersion: TLS_MIN_VERSION,
    maxVersion: 'TLSv1.3',
    ciphers: [...TLS13_CIPHERSUITES, ...TLS12_CIPHERS].join(':'),
    ecdhCurve: TLS_GROUPS.join(':'),
    sigalgs: TLS_SIGALGS.join(':'),
    honorCipherOrder: true,
    secureOptions: constants.SSL_OP_NO_RENEGOTIATION | constants.SSL_OP_NO_COMPRESSION,
  };
}

/** The same eIDAS TLS profile for the node's own outgoing connections (peer metadata fetches). */
export function tlsClientOptions(): TlsOptions & SecureContextOptions {
  return {
    minVersion: TLS_MIN_VERSION,
    maxVersion: 'TLSv1.3',
    ciphers: [...TLS13_CIPHERSUITES, ...TLS12_CIPHERS].join(':'),
    ecdhCurve: TLS_GROUPS.join(':'),
    sigalgs: TLS_SIGALGS.join(':'),
    secureOptions: constants.SSL_OP_NO_RENEGOTIATION | constants.SSL_OP_NO_COMPRESSION,
  };
}
