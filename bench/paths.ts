/** The two login paths, through the node's XML security core only. */
import {
  parseXml,
  serializeXml,
  signElement,
  verifyElement,
  encryptElement,
  decryptElement,
  onlyChild,
  MESSAGE_LIMITS,
} from '../src/saml/index.ts';
import { NS } from '../src/saml/namespaces.ts';
import type { BenchKeys } from './keys.ts';
import { authnRequestXml, responseXml } from './messages.ts';

/** Signed requests as foreign connectors send them (their signing is not our cost). */
const requests: string[] = [];

async function signedRequest(keys: BenchKeys): Promise<string> {
  if (requests.length < 32) {
    const doc = parseXml(authnRequestXml(), MESSAGE_LIMITS);
    await signElement(doc.documentElement, { key: keys.connectorSigning.privateKey });
    requests.push(serializeXml(doc));
  }
  return requests[Math.floor(Math.random() * requests.length)]!;
}

export async function proxyServiceLogin(keys: BenchKeys): Promise<string> {
  const wire = await signedRequest(keys);
  const request = parseXml(wire, MESSAGE_LIMITS);
  const verified = await verifyElement(request.documentElement, { trusted: [keys.connectorSigning.publicKey] });
  const response = parseXml(responseXml(verified.id ?? ''), MESSAGE_LIMITS);
  const assertion = onlyChild(response.documentElement, NS.saml, 'Assertion');
  await signElement(assertion, { key: keys.proxySigning.privateKey });
  await encryptElement(assertion, { recipient: keys.connectorEncryption.publicKey });
  await signElement(response.documentElement, { key: keys.proxySigning.privateKey });
  return serializeXml(response);
}

/** Responses as a foreign proxy service sends them, signed and encrypted (made before timing). */
export async function prepareConnectorInput(keys: BenchKeys, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(await proxyServiceLogin(keys));
  return out;
}

export async function connectorLogin(keys: BenchKeys, wire: string): Promise<string> {
  const response = parseXml(wire, MESSAGE_LIMITS);
  const verified = await verifyElement(response.documentElement, { trusted: [keys.proxySigning.publicKey] });
  const encrypted = onlyChild(verified.element, NS.saml, 'EncryptedAssertion');
  const assertion = await decryptElement(encrypted, { keys: [keys.connectorEncryption.privateKey] });
  const signedAssertion = await verifyElement(assertion, { trusted: [keys.proxySigning.publicKey] });
  return signedAssertion.id ?? '';
}
