/** Key material for the benchmark, imported once as KeyObjects (as the node does at start). */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';

export interface BenchKeys {
  connectorSigning: { privateKey: KeyObject; publicKey: KeyObject };
  connectorEncryption: { privateKey: KeyObject; publicKey: KeyObject };
  proxySigning: { privateKey: KeyObject; publicKey: KeyObject };
}

const rsa3072 = () => generateKeyPairSync('rsa', { modulusLength: 3072 });

export function benchKeys(): BenchKeys {
  return { connectorSigning: rsa3072(), connectorEncryption: rsa3072(), proxySigning: rsa3072() };
}
