/**
 * The node's Proxy-Service metadata as the mock Connector sees it: fetched from its URL,
 * accepted only when signed by the configured trust anchor, its entityID equal to that URL
 * and its validUntil in the future (R-MD). Only the verified element is read, with
 * namespace-bound child look-ups. Kept until its validUntil, or until a message is signed by a
 * key it does not list (then fetched once again).
 */
import type { X509Certificate } from 'node:crypto';
import { childElements, onlyChild, optionalChild, strictText } from '../../saml/dom.ts';
import { XmlSecurityError } from '../../saml/errors.ts';
import { loadCertificate } from '../../saml/keys.ts';
import { NS } from '../../saml/namespaces.ts';
import { METADATA_LIMITS } from '../../saml/parser.ts';
import { verifyXml } from '../../saml/verify.ts';
import { MockEuError } from './errors.ts';

export const BINDING_POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
export const BINDING_REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

export interface NodeDescriptor {
  entityId: string;
  signingCertificates: X509Certificate[];
  sso: { post?: string; redirect?: string };
  loas: string[];
  validUntil: Date;
}

export type FetchText = (url: string) => Promise<string>;

const MAX_METADATA_BYTES = 1024 * 1024;

export const defaultFetchText: FetchText = async (url) => {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000), redirect: 'error' });
  if (!res.ok) throw new MockEuError('NODE_METADATA', `GET ${url}: HTTP ${res.status}`);
  const body = await res.text();
  if (Buffer.byteLength(body) > MAX_METADATA_BYTES) throw new MockEuError('NODE_METADATA', 'metadata too large');
  return body;
};

export async function readNodeMetadata(xml: string, url: string, trustAnchors: X509Certificate[], now: Date): Promise<NodeDescriptor> {
  const verified = await verifyXml(xml, { trusted: trustAnchors, allowWholeDocumentReference: true, limits: METADATA_LIMITS });
  const root = verified.element;
  if (root.namespaceURI !== NS.md || root.localName !== 'EntityDescriptor') {
    throw new MockEuError('NODE_METADATA', 'not an md:EntityDescriptor');
  }
  if (root.getAttribute('entityID') !== url) throw new MockEuError('NODE_METADATA', 'entityID is not the metadata URL');
  const validUntil = new Date(root.getAttribute('validUntil') ?? '');
  if (Number.isNaN(validUntil.getTime()) || validUntil <= now) throw new MockEuError('NODE_METADATA', 'metadata expired or without validUntil');
  const idp = onlyChild(root, NS.md, 'IDPSSODescriptor');
  return { entityId: url, signingCertificates: signingCertificates(idp), sso: ssoServices(idp), loas: assuranceLevels(root), validUntil };
}

function signingCertificates(idp: Element): X509Certificate[] {
  const certs: X509Certificate[] = [];
  for (const kd of childElements(idp, NS.md, 'KeyDescriptor')) {
    const use = kd.getAttribute('use');
    if (use && use !== 'signing') continue;
    for (const data of childElements(onlyChild(kd, NS.ds, 'KeyInfo'), NS.ds, 'X509Data')) {
      for (const c of childElements(data, NS.ds, 'X509Certificate')) {
        certs.push(loadCertificate(Buffer.from(strictText(c).replace(/\s+/g, ''), 'base64')));
      }
    }
  }
  if (certs.length === 0) throw new MockEuError('NODE_METADATA', 'no signing certificate');
  return certs;
}

function ssoServices(idp: Element): NodeDescriptor['sso'] {
  const sso: NodeDescriptor['sso'] = {};
  for (const s of childElements(idp, NS.md, 'SingleSignOnService')) {
    const location = s.getAttribute('Location') ?? '';
    if (s.getAttribute('Binding') === BINDING_POST) sso.post ??= location;
    if (s.getAttribute('Binding') === BINDING_REDIRECT) sso.redirect ??= location;
  }
  if (!sso.post && !sso.redirect) throw new MockEuError('NODE_METADATA', 'no SingleSignOnService');
  return sso;
}

/** The assurance-certification entity attribute (R-MD-10); empty when absent. */
function assuranceLevels(root: Element): string[] {
  const ext = optionalChild(root, NS.md, 'Extensions');
  const attrs = ext ? optionalChild(ext, NS.mdattr, 'EntityAttributes') : undefined;
  if (!attrs) return [];
  return childElements(attrs, NS.saml, 'Attribute')
    .filter((a) => a.getAttribute('Name') === 'urn:oasis:names:tc:SAML:attribute:assurance-certification')
    .flatMap((a) => childElements(a, NS.saml, 'AttributeValue').map((v) => strictText(v).trim()));
}

/** Caches the verified descriptor until its validUntil; `refresh` forces a new fetch. */
export class NodeMetadataSource {
  private current: NodeDescriptor | undefined;
  constructor(
    private readonly url: string,
    private readonly trustAnchors: X509Certificate[],
    private readonly fetchText: FetchText,
    private readonly clock: () => Date,
  ) {}

  async get(options: { refresh?: boolean } = {}): Promise<NodeDescriptor> {
    const now = this.clock();
    if (!options.refresh && this.current && this.current.validUntil > now) return this.current;
    let xml: string;
    try {
      xml = await this.fetchText(this.url);
    } catch (e) {
      if (e instanceof MockEuError) throw e;
      throw new MockEuError('NODE_METADATA', `cannot fetch ${this.url}`);
    }
    try {
      this.current = await readNodeMetadata(xml, this.url, this.trustAnchors, now);
    } catch (e) {
      if (e instanceof XmlSecurityError) throw new MockEuError('NODE_METADATA', `not accepted: ${e.reason}`);
      throw e;
    }
    return this.current;
  }
}
