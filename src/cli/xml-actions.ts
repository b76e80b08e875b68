/** The actions of `pont xml …` (registered in xml.ts). */
import {
  METADATA_LIMITS,
  NS,
  decryptElement,
  encryptElement,
  parseXml,
  serializeXml,
  signElement,
  verifyElement,
  type VerifiedElement,
} from '../saml/index.ts';
import { CliError, EXIT } from './errors.ts';
import { readCertificate, readInput, readPrivateKey, writeOut } from './io.ts';
import { elementsByLocalName, encryptedTargets } from './xml-find.ts';

function readDocument(file: string): Document {
  return parseXml(readInput(file, 'XML file'), METADATA_LIMITS);
}

export async function signAction(file: string, opts: { key: string; cert?: string; alg?: string; idAttr: string; pwdFile?: string }): Promise<void> {
  const key = readPrivateKey(opts.key, opts.pwdFile);
  const certificate = opts.cert ? readCertificate(opts.cert) : undefined;
  const doc = readDocument(file);
  const root = doc.documentElement;
  if (!root.getAttribute(opts.idAttr)) {
    throw new CliError(`${file}: the root element ${root.tagName} has no ${opts.idAttr} attribute to sign by`, EXIT.INPUT);
  }
  await signElement(root, {
    key,
    idAttribute: opts.idAttr,
    ...(certificate && { certificate }),
    ...(opts.alg && { algorithm: opts.alg }),
  });
  writeOut(serializeXml(doc));
}

export async function verifyAction(file: string, opts: { cert: string[]; allowLegacyRsaSha256?: boolean; minRsaBits: number }): Promise<void> {
  const trusted = opts.cert.map(readCertificate);
  const root = readDocument(file).documentElement;
  const verified = await verifyElement(root, {
    trusted,
    allowLegacyRsaSha256: opts.allowLegacyRsaSha256 === true,
    minRsaBits: opts.minRsaBits,
    allowWholeDocumentReference: isMetadataRoot(root),
  });
  writeOut(describeVerified(verified));
}

/** EU metadata is signed with Reference URI="" over the whole document. */
function isMetadataRoot(root: Element): boolean {
  return root.namespaceURI === NS.md && (root.localName === 'EntityDescriptor' || root.localName === 'EntitiesDescriptor');
}

function describeVerified(v: VerifiedElement): string {
  return `verified ${v.element.tagName} ID=${v.id ?? '(whole document)'} algorithm=${v.signatureAlgorithm} digest=${v.digestAlgorithm}`;
}

export async function encryptAction(
  file: string,
  opts: { cert: string; element: string; alg?: string; keyTransport?: string; keyWrap?: string },
): Promise<void> {
  const recipient = readCertificate(opts.cert);
  const doc = readDocument(file);
  const found = elementsByLocalName(doc, opts.element);
  if (found.length !== 1) {
    throw new CliError(`${file}: ${found.length} elements named ${opts.element}; --element must name exactly one`, EXIT.INPUT);
  }
  await encryptElement(found[0]!, {
    recipient,
    ...(opts.alg && { dataAlgorithm: opts.alg }),
    ...(opts.keyTransport && { keyTransport: opts.keyTransport }),
    ...(opts.keyWrap && { keyWrap: opts.keyWrap }),
  });
  writeOut(serializeXml(doc));
}

export async function decryptAction(file: string, opts: { key: string[]; pwdFile?: string }): Promise<void> {
  const keys = opts.key.map((k) => readPrivateKey(k, opts.pwdFile));
  const doc = readDocument(file);
  const failed = new Set<Element>();
  let decrypted = 0;
  let firstError: unknown;
  // Plaintext may hold encrypted elements of its own (an EncryptedID in an Assertion): rescan.
  for (let pending = encryptedTargets(doc); pending.length > 0; pending = encryptedTargets(doc).filter((t) => !failed.has(t))) {
    for (const target of pending) {
      try {
        const plain = await decryptElement(target, { keys });
        target.parentNode!.replaceChild(doc.importNode(plain, true), target);
        decrypted += 1;
      } catch (e) {
        failed.add(target);
        firstError ??= e;
      }
    }
  }
  if (decrypted === 0 && failed.size === 0) throw new CliError(`${file}: no encrypted element (xenc:EncryptedData) found`, EXIT.INPUT);
  if (decrypted === 0) throw firstError;
  if (failed.size > 0) process.stderr.write(`pont: warning: ${failed.size} encrypted element(s) left as they were (could not decrypt)\n`);
  writeOut(serializeXml(doc));
}
