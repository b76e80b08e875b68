/** Binds the application to the configured address, over HTTP or (with server.tls) HTTPS. */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';
import type { Config } from '../config/schema.ts';
import { StartupError } from './errors.ts';
import { tlsServerOptions } from './tls.ts';

export interface Listening {
  server: http.Server;
  protocol: 'http' | 'https';
  host: string;
  /** The bound port (the real one when the configuration said 0). */
  port: number;
  close(): Promise<void>;
}

export async function listen(app: RequestListener, server: Config['server']): Promise<Listening> {
  const srv = server.tls ? createHttpsServer(app, server.tls) : http.createServer(app);
  srv.headersTimeout = 20_000;
  srv.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    srv.once('error', (e: NodeJS.ErrnoException) => reject(listenError(e, server.host, server.port)));
    srv.listen(server.port, server.host, () => resolve());
  });
  const address = srv.address() as AddressInfo;
  return {
    server: srv,
    protocol: server.tls ? 'https' : 'http',
    host: server.host,
    port: address.port,
    close: () => closeServer(srv),
  };
}

function createHttpsServer(app: RequestListener, tls: NonNullable<Config['server']['tls']>): https.Server {
  const material = { cert: readTlsFile(tls.certFile), key: readTlsFile(tls.keyFile) };
  try {
    return https.createServer(tlsServerOptions(material), app);
  } catch (e) {
    throw new StartupError(`TLS certificate or key unusable (${tls.certFile}, ${tls.keyFile}): ${(e as Error).message}`);
  }
}

function readTlsFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new StartupError(`cannot read TLS file ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function listenError(e: NodeJS.ErrnoException, host: string, port: number): Error {
  if (e.code === 'EADDRINUSE') return new StartupError(`${host}:${port} is already in use`);
  if (e.code === 'EACCES') return new StartupError(`not allowed to listen on ${host}:${port}`);
  if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') return new StartupError(`cannot listen on ${host}: no such local address`);
  return new StartupError(`cannot listen on ${host}:${port} (${e.code ?? e.message})`);
}

/** Stops accepting, lets requests in flight finish, closes idle keep-alive connections. */
function closeServer(srv: http.Server): Promise<void> {
  return new Promise((resolve) => {
    srv.close(() => resolve());
    srv.closeIdleConnections();
  });
}
