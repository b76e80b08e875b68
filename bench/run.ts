/**
 * `npm run bench`: logins per second on one core for each direction of the node, beside
 * the raw node:crypto cost of the same operations measured in the same run (DESIGN §12).
 *
 *   proxy service: verify the AuthnRequest, sign the Assertion, encrypt it, sign the Response
 *   connector:     verify the Response, decrypt the Assertion, verify the Assertion
 *
 * "One core" is measured as CPU time: process.cpuUsage() counts every thread of the process,
 * the main thread and the libuv thread pool where the private-key operations run, so the CPU
 * milliseconds one login costs are what one core spends on it, whatever else the machine is
 * doing. Logins per second on one core = 1000 / CPU ms per login. The raw bound is the same
 * operations called synchronously, measured the same way in the same run. The event-loop
 * delay printed alongside shows that private-key operations do not block the loop.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { benchKeys } from './keys.ts';
import { proxyServiceLogin, connectorLogin, prepareConnectorInput } from './paths.ts';
import { rawProxyService, rawConnector } from './raw.ts';

const TARGET = { proxy: 0.6, connector: 0.5 };

/** CPU milliseconds (all threads) per call of `fn`, calls awaited one after the other. */
async function cpuPerOp(label: string, fn: () => unknown | Promise<unknown>, minMs = 2000): Promise<number> {
  for (let i = 0; i < 30; i++) await fn(); // warm-up: JIT, key caches
  let n = 0;
  const wall = performance.now();
  const cpu = process.cpuUsage();
  while (performance.now() - wall < minMs || n < 50) {
    await fn();
    n++;
  }
  const used = process.cpuUsage(cpu);
  const ms = (used.user + used.system) / 1000 / n;
  const wallMs = (performance.now() - wall) / n;
  process.stderr.write(`  ${label.padEnd(30)} ${ms.toFixed(3)} CPU ms/login  (${wallMs.toFixed(3)} ms wall, ${n} runs)\n`);
  return ms;
}

function line(name: string, rawMs: number, pathMs: number, target: number): boolean {
  const ratio = rawMs / pathMs;
  const ok = ratio >= target;
  console.log(
    `${name.padEnd(14)} ${(1000 / pathMs).toFixed(0).padStart(5)} logins/s on one core  ` +
      `crypto bound ${(1000 / rawMs).toFixed(0).padStart(5)}/s  ratio ${(ratio * 100).toFixed(1)} % ` +
      `(target ≥ ${target * 100} %) ${ok ? 'OK' : 'BELOW TARGET'}`,
  );
  return ok;
}

async function main(): Promise<void> {
  const keys = benchKeys();
  console.log('Pont eIDAS benchmark: RSA-3072 keys, RSASSA-PSS SHA-256, AES-256-GCM + RSA-OAEP (xmlenc11), one core');
  const loop = monitorEventLoopDelay({ resolution: 1 });

  const rawProxy = await cpuPerOp('raw crypto, proxy service', () => rawProxyService(keys));
  loop.enable();
  const proxy = await cpuPerOp('proxy-service login', () => proxyServiceLogin(keys));
  loop.disable();
  const proxyLoopMax = loop.max / 1e6;

  const input = await prepareConnectorInput(keys, 64);
  let i = 0;
  const rawConn = await cpuPerOp('raw crypto, connector', () => rawConnector(keys));
  loop.reset();
  loop.enable();
  const conn = await cpuPerOp('connector login', () => connectorLogin(keys, input[i++ % input.length]!));
  loop.disable();
  const connLoopMax = loop.max / 1e6;

  console.log('');
  const ok1 = line('proxy service', rawProxy, proxy, TARGET.proxy);
  const ok2 = line('connector', rawConn, conn, TARGET.connector);
  console.log(
    `event loop: longest block ${proxyLoopMax.toFixed(1)} ms (proxy service), ${connLoopMax.toFixed(1)} ms (connector)`,
  );
  process.exitCode = ok1 && ok2 ? 0 : 1;
}

await main();
