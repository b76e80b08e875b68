/** Starts an express app on 127.0.0.1:0 and mounts the mock FranceConnect in it. */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type Express } from 'express';
import {
  createMockFranceConnect,
  MOCK_FRANCECONNECT_PATH,
  type MockClient,
  type MockFranceConnect,
  type MockFranceConnectOptions,
} from '../../../src/mock/franceconnect/index.ts';

export interface TestServer {
  app: Express;
  base: string;
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const app = express();
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    app,
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

export async function mountMock(
  server: TestServer,
  clients: MockClient[],
  extra: Partial<MockFranceConnectOptions> = {},
  path = MOCK_FRANCECONNECT_PATH,
): Promise<MockFranceConnect> {
  const mock = await createMockFranceConnect({ issuer: `${server.base}${path}`, environment: 'development', clients, ...extra });
  server.app.use(mock.mountPath, mock.router);
  return mock;
}
