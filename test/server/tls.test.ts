/** HTTPS served by the node itself: TLS 1.2+ with forward-secret suites only (R-CRY-11, R-CRY-12). */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../src/keys/generate.ts';
import { tlsServerOptions } from '../../src/server/tls.ts';

let server: https.Server;
let port: number;

beforeAll(async () => {
  const pair = await generateKeyPair({ type: 'rsa-3072', subject: 'CN=localhost', validityDays: 1 });
  server = https.createServer(tlsServerOptions({ cert: pair.certificatePem, key: pair.privateKeyPem }), (_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function handshake(options: tls.ConnectionOptions): Promise<{ protocol: string | null; cipher: string }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...options }, () => {
      const result = { protocol: socket.getProtocol(), cipher: socket.getCipher().name };
      socket.end();
      resolve(result);
    });
    socket.on('error', reject);
  });
}

describe('TLS profile of the node', () => {
  it('R-CRY-11: negotiates TLS 1.3, and TLS 1.2 with an ECDHE AEAD suite', async () => {
    expect((await handshake({})).protocol).toBe('TLSv1.3');
    const v12 = await handshake({ maxVersion: 'TLSv1.2' });
    expect(v12.protocol).toBe('TLSv1.2');
    expect(v12.cipher).toMatch(/^ECDHE-RSA-AES(128|256)-GCM-SHA(256|384)$/);
  });

  // The refusals are the server's alerts (a client unable to offer these would fail otherwise).
  it('R-CRY-11: refuses a client that offers TLS 1.1 at most (protocol_version alert)', async () => {
    await expect(handshake({ minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' })).rejects.toMatchObject({
      code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
    });
  });

  it('R-CRY-12: refuses TLS 1.2 suites without forward secrecy (RSA key exchange; handshake_failure alert)', async () => {
    await expect(handshake({ maxVersion: 'TLSv1.2', ciphers: 'AES128-GCM-SHA256:AES256-GCM-SHA384' })).rejects.toMatchObject({
      code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
    });
  });
});
