/**
 * A loopback TCP listener that counts every connection (ATK-27, ATK-28): any outbound fetch made
 * while verifying or parsing (Reference URI, RetrievalMethod, external entity, external DTD) shows
 * up as a connection. It answers HTTP 200 with a tiny body so a fetch would "succeed".
 */
import { createServer, type Server, type Socket } from 'node:net';

export interface LoopbackListener {
  port: number;
  url(path: string): string;
  connections(): number;
  close(): Promise<void>;
}

export async function startLoopbackListener(): Promise<LoopbackListener> {
  let count = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 4\r\nConnection: close\r\n\r\npwnd');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('listener has no port');
  return {
    port: address.port,
    url: (path) => `http://127.0.0.1:${address.port}${path}`,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
