/** Shared set-up of the XML-Enc tests: EU keys, the EU plaintext Response, spies on key operations. */
import crypto, { type KeyObject, type X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect, vi } from 'vitest';
import { ExclusiveCanonicalization } from 'xml-crypto';
import { XmlSecurityError, type XmlReason } from '../../../src/saml/errors.ts';
import { NS } from '../../../src/saml/namespaces.ts';
import { parseXml, serializeXml } from '../../../src/saml/parser.ts';
import { encryptElement, type EncryptOptions } from '../../../src/saml/encrypt.ts';

const ROOT = path.resolve(import.meta.dirname, '../../fixtures');
export const VECTORS = path.join(ROOT, 'vectors/eidas-eu-mock');
const KEYS = path.join(ROOT, 'keys/eu-mock-test-p12');

export type EuAlias = 'test-rsa' | 'test-ec-nist' | 'test-ec';

export function euKey(alias: EuAlias): KeyObject {
  return crypto.createPrivateKey(fs.readFileSync(path.join(KEYS, `${alias}.key.pem`)));
}

export function euCert(alias: EuAlias): X509Certificate {
  return new crypto.X509Certificate(fs.readFileSync(path.join(KEYS, `${alias}.cert.pem`)));
}

export function vectorDocument(file: string): Document {
  return parseXml(fs.readFileSync(path.join(VECTORS, file)));
}

/** The first child of `parent` (any depth) named {ns}localName: test-side navigation only. */
export function find(parent: Document | Element, ns: string, localName: string, index = 0): Element {
  const found = parent.getElementsByTagNameNS(ns, localName).item(index);
  if (!found) throw new Error(`fixture has no ${localName}[${index}]`);
  return found;
}

/** The EU plaintext Response (saml_response.xml) and its Assertion. */
export function plainResponse(): { doc: Document; assertion: Element } {
  const doc = vectorDocument('saml_response.xml');
  return { doc, assertion: find(doc, NS.saml, 'Assertion') };
}

export function excC14n(el: Element): string {
  return new ExclusiveCanonicalization().process(el, {});
}

/**
 * The EU Response with its Assertion encrypted by us, re-parsed from its serialisation as a
 * receiver would see it. Returns the parsed document and its saml:EncryptedAssertion.
 */
export async function encryptedResponse(options: EncryptOptions): Promise<{ doc: Document; encrypted: Element; xml: string }> {
  const { doc, assertion } = plainResponse();
  await encryptElement(assertion, options);
  const xml = serializeXml(doc);
  const parsed = parseXml(xml);
  return { doc: parsed, encrypted: find(parsed, NS.saml, 'EncryptedAssertion'), xml };
}

export async function reasonOf(p: Promise<unknown>): Promise<XmlReason | 'resolved' | 'other'> {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return e instanceof XmlSecurityError ? e.reason : 'other';
  }
}

/** The error message (what a log line would show) of a refused promise. */
export async function messageOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  return 'resolved';
}

/** Spies on every decipher and private-key operation the decryption could run. */
export function spyKeyOperations() {
  const spies = {
    createDecipheriv: vi.spyOn(crypto, 'createDecipheriv'),
    privateDecrypt: vi.spyOn(crypto, 'privateDecrypt'),
    subtleDecrypt: vi.spyOn(crypto.webcrypto.subtle, 'decrypt'),
    diffieHellman: vi.spyOn(crypto, 'diffieHellman'),
  };
  return {
    spies,
    expectNone(): void {
      for (const [name, spy] of Object.entries(spies)) expect(spy, name).not.toHaveBeenCalled();
    },
    /** Forgets calls so far (our own encryption runs ECDH when a test builds its input). */
    clear(): void {
      for (const spy of Object.values(spies)) spy.mockClear();
    },
    restore(): void {
      for (const spy of Object.values(spies)) spy.mockRestore();
    },
  };
}

export function setAlgorithm(el: Element, uri: string): void {
  el.setAttribute('Algorithm', uri);
}

type XmlencEncrypt = (content: string, options: Record<string, unknown>, cb: (err: Error | null, xml: string) => void) => void;
const xmlenc = createRequire(import.meta.url)('xml-encryption') as { encrypt: XmlencEncrypt };

/**
 * An EncryptedData made by xml-encryption (an encryptor nobody here wrote) to the EU test-rsa
 * certificate, for any content and algorithms, insecure ones included: this is how an attacker
 * who knows our public encryption certificate builds input (ATK-31, ATK-33, ATK-34).
 */
export function thirdPartyEncrypt(content: string, encryptionAlgorithm: string, keyEncryptionAlgorithm: string): Promise<Element> {
  const pem = fs.readFileSync(path.join(KEYS, 'test-rsa.cert.pem'), 'utf8');
  return new Promise((resolve, reject) => {
    xmlenc.encrypt(
      content,
      {
        rsa_pub: euCert('test-rsa').publicKey,
        pem,
        encryptionAlgorithm,
        keyEncryptionAlgorithm,
        disallowEncryptionWithInsecureAlgorithm: false,
        warnInsecureAlgorithm: false,
      },
      (err, xml) => (err ? reject(err) : resolve(parseXml(xml).documentElement!)),
    );
  });
}

/** `<saml:EncryptedAssertion>` around `encryptedData`, in a document of its own. */
export function inEncryptedAssertion(encryptedData: Element): Element {
  const doc = parseXml(`<saml2:EncryptedAssertion xmlns:saml2="${NS.saml}"/>`);
  const wrapper = doc.documentElement!;
  wrapper.appendChild(doc.importNode(encryptedData, true));
  return wrapper;
}
