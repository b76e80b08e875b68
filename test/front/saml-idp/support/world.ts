/**
 * The test world of the SAML IdP front: committed test keys, fake peers of the registry (the
 * PeerRegistry contract, injected until `peers ready`), an in-memory replay guard with the
 * ReplayStore semantics, a pinned clock, our settings, and the connector side that builds,
 * signs and encodes AuthnRequests as a foreign node would (its own DOM, the core's signer).
 */
import { createPrivateKey, createSign, X509Certificate, type KeyObject, constants } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { ENC, NS, SIG } from '../../../../src/saml/namespaces.ts';
import { signElement } from '../../../../src/saml/sign.ts';
import type { PeerVerifyPolicy } from '../../../../src/config/crypto-policy.ts';
import type { ConnectorPeer, PeerSource, ReplayGuard, SamlIdpDeps, SamlIdpSettings } from '../../../../src/front/saml-idp/index.ts';
import { BINDING_URI } from '../../../../src/front/saml-idp/constants.ts';
import { NATURAL_PERSON_ATTRIBUTES } from '../../../../src/metadata/publish/attributes.ts';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/', import.meta.url));

export const NOW = '2026-03-02T10:00:00.000Z';

// ------------------------------------------------------------------ keys

export interface TestKey {
  privateKey: KeyObject;
  certificate: X509Certificate;
  keyFile: string;
  certFile: string;
}

export function testKey(relative: string): TestKey {
  const keyFile = `${FIXTURES}keys/${relative}.key.pem`;
  const certFile = `${FIXTURES}keys/${relative}.cert.pem`;
  return {
    privateKey: createPrivateKey(readFileSync(keyFile)),
    certificate: new X509Certificate(readFileSync(certFile)),
    keyFile,
    certFile,
  };
}

export const KEYS = {
  /** Our Proxy-Service message-signing key (ECDSA P-256, what xmlsec1 1.2 verifies). */
  ours: testKey('attack-harness/k-xx'),
  /** Our key, RSA-3072 variant (RSA-PSS signatures). */
  oursRsa: testKey('attack-harness/k-xx-rsa'),
  /** Connector DE signing key (its metadata). */
  connectorDe: testKey('dsig/p256'),
  /** Connector DE after a key roll-over. */
  connectorDeNext: testKey('dsig/p384'),
  /** Legacy connector YY signing key (RSA-3072, may sign rsa-sha256). */
  connectorYy: testKey('dsig/rsa-3072'),
  /** Connector encryption certificates. */
  encRsa4096: testKey('eu-mock-test-p12/test-rsa'),
  encRsa3072: testKey('attack-harness/k-xx-rsa'),
  encEcP256: testKey('eu-mock-test-p12/test-ec-nist'),
  /** The attacker, in no metadata. */
  evil: testKey('dsig/evil-p256'),
};

// ------------------------------------------------------------------ peers

export const DE = 'https://connector.de.example/metadata';
export const YY = 'https://connector.yy.example/metadata';
export const AT = 'https://connector.at.example/metadata';
export const PROXY_XX = 'https://proxy.xx.example/metadata';
export const ACS_DE = 'https://connector.de.example/acs';
export const ACS_DE_2 = 'https://connector.de.example/acs-2';
export const ACS_DE_REDIRECT = 'https://connector.de.example/acs-redirect';

function peer(p: Partial<ConnectorPeer> & Pick<ConnectorPeer, 'entityId' | 'country'>): ConnectorPeer {
  return {
    role: 'connector',
    encryptionCertificates: [KEYS.encRsa4096.certificate],
    encryptionMethods: [ENC.AES256_GCM, ENC.RSA_OAEP],
    signingMethods: [SIG.ECDSA_SHA256, SIG.RSA_PSS_SHA256],
    digestMethods: [],
    assertionConsumerServices: [],
    ...p,
  };
}

export function peers(): Record<string, ConnectorPeer> {
  return {
    [DE]: peer({
      entityId: DE,
      country: 'DE',
      assertionConsumerServices: [
        { binding: BINDING_URI.REDIRECT, location: ACS_DE_REDIRECT, index: 2 },
        { binding: BINDING_URI.POST, location: ACS_DE_2, index: 1 },
        { binding: BINDING_URI.POST, location: ACS_DE, index: 0, isDefault: true },
      ],
    }),
    // A 1.2-era peer (xmlsec1 / pysaml2): ECDSA P-256, AES-128-GCM, rsa-oaep-mgf1p only.
    [YY]: peer({
      entityId: YY,
      country: 'YY',
      encryptionCertificates: [KEYS.encRsa3072.certificate],
      encryptionMethods: [ENC.AES128_GCM, ENC.RSA_OAEP_MGF1P],
      signingMethods: [SIG.ECDSA_SHA256, SIG.RSA_SHA256],
      digestMethods: ['http://www.w3.org/2001/04/xmlenc#sha256'],
      assertionConsumerServices: [{ binding: BINDING_URI.POST, location: 'https://connector.yy.example/acs' }],
      spType: 'public',
    }),
    [AT]: peer({
      entityId: AT,
      country: 'AT',
      encryptionCertificates: [KEYS.encEcP256.certificate],
      encryptionMethods: [],
      signingMethods: [],
      assertionConsumerServices: [{ binding: BINDING_URI.POST, location: 'https://connector.at.example/acs', isDefault: true }],
    }),
    [PROXY_XX]: peer({ entityId: PROXY_XX, country: 'XX', role: 'proxy-service' }),
  };
}

/** The PeerRegistry contract, in memory: signing keys per peer, a roll-over on refresh. */
export class FakePeers implements PeerSource {
  readonly descriptors = peers();
  readonly keys = new Map<string, KeyObject[]>([
    [DE, [KEYS.connectorDe.certificate.publicKey]],
    [YY, [KEYS.connectorYy.certificate.publicKey]],
    [AT, [KEYS.connectorDe.certificate.publicKey]],
    [PROXY_XX, [KEYS.connectorDe.certificate.publicKey]],
  ]);
  /** Keys the next refresh (`unknownKey`) finds in the peer's new metadata. */
  readonly afterRefresh = new Map<string, KeyObject[]>();
  /** Peers another instance added: the next on-demand sync (`unknownKey`) brings them in. */
  readonly afterSync = new Map<string, ConnectorPeer>();
  refreshes = 0;

  get(entityId: string): ConnectorPeer | undefined {
    return this.descriptors[entityId];
  }

  async signingKeys(entityId: string, options?: { unknownKey?: boolean }): Promise<KeyObject[]> {
    if (options?.unknownKey) {
      this.refreshes++;
      const added = this.afterSync.get(entityId);
      if (added && !this.descriptors[entityId]) this.descriptors[entityId] = added;
      const next = this.afterRefresh.get(entityId);
      if (next) this.keys.set(entityId, next);
    }
    return this.keys.get(entityId) ?? [];
  }
}

/** ReplayStore semantics (one `true` per issuer + ID while the record lives), in memory. */
export class MemoryReplay implements ReplayGuard {
  readonly seen = new Map<string, Date>();
  constructor(private readonly now: () => Date) {}
  async markSeen(issuer: string, messageId: string, expiresAt: Date): Promise<boolean> {
    if (!(expiresAt.getTime() > this.now().getTime())) throw new Error('expiry must lie in the future');
    const key = `${issuer}\u0000${messageId}`;
    const existing = this.seen.get(key);
    if (existing && existing.getTime() > this.now().getTime()) return false;
    this.seen.set(key, expiresAt);
    return true;
  }
}

export const SETTINGS: SamlIdpSettings = {
  entityId: 'https://pont.example.fr/proxy-service/metadata',
  ssoUrl: 'https://pont.example.fr/proxy-service/sso',
  ssoPath: '/proxy-service/sso',
  nodeCountry: 'FR',
  loas: ['http://eidas.europa.eu/LoA/substantial', 'http://eidas.europa.eu/LoA/high', 'http://eidas.europa.eu/NotNotified/LoA/substantial'],
  attributes: [...NATURAL_PERSON_ATTRIBUTES],
  verifyPolicy: (entityId: string): PeerVerifyPolicy => ({
    minRsaBits: 3072,
    allowLegacyRsaSha256: entityId === YY,
  }),
};

export interface World {
  settings: SamlIdpSettings;
  deps: SamlIdpDeps & { peers: FakePeers; replay: MemoryReplay };
  now: { value: Date };
}

export function world(overrides: Partial<SamlIdpSettings> = {}, signing: TestKey = KEYS.ours): World {
  const now = { value: new Date(NOW) };
  const clock = () => new Date(now.value);
  return {
    settings: { ...SETTINGS, ...overrides },
    deps: {
      peers: new FakePeers(),
      keys: { active: () => ({ privateKey: signing.privateKey, certificate: signing.certificate }) },
      replay: new MemoryReplay(clock),
      clock,
    },
    now,
  };
}

// ------------------------------------------------------------------ the connector side

export function fixture(name: string, kind: 'valid' | 'invalid' = 'valid'): string {
  return readFileSync(`${FIXTURES}saml/${kind}/${name}`, 'utf8');
}

export const G_REQ = 'authnrequest-de-post.xml';

/** The connector's own parser and serializer (not the node's). */
export function connectorParse(xml: string): Document {
  return new DOMParser().parseFromString(xml, 'application/xml') as unknown as Document;
}

export function connectorSerialize(node: Node): string {
  return new XMLSerializer().serializeToString(node as never);
}

/** Parse a template, let `edit` change it, serialise: an unsigned request. */
export function edited(xml: string, edit?: (root: Element, doc: Document) => void): string {
  const doc = connectorParse(xml);
  edit?.(doc.documentElement!, doc);
  return connectorSerialize(doc);
}

/** Signed with an enveloped signature (the POST binding and the EU GET form). */
export async function signedRequest(
  xml: string = fixture(G_REQ),
  key: TestKey = KEYS.connectorDe,
  algorithm?: string,
): Promise<string> {
  const doc = connectorParse(xml);
  await signElement(doc.documentElement!, { key: key.privateKey, certificate: key.certificate, ...(algorithm ? { algorithm } : {}) });
  return connectorSerialize(doc);
}

/** application/x-www-form-urlencoded, every value percent-encoded. */
export function form(params: Array<[string, string]>): string {
  return params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

export function postBody(xml: string, relayState?: string): string {
  const params: Array<[string, string]> = [['SAMLRequest', Buffer.from(xml, 'utf8').toString('base64')]];
  if (relayState !== undefined) params.push(['RelayState', relayState]);
  return form(params);
}

/** HTTP-Redirect: DEFLATE + base64 + query signature over the encoded octets (SAML Bindings §3.4.4.1). */
export function redirectQuery(
  xml: string,
  options: { key?: TestKey; sigAlg?: string; relayState?: string; encode?: (v: string) => string } = {},
): string {
  const encode = options.encode ?? encodeURIComponent;
  const key = options.key ?? KEYS.connectorDe;
  const sigAlg = options.sigAlg ?? SIG.ECDSA_SHA256;
  let signed = `SAMLRequest=${encode(deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'))}`;
  if (options.relayState !== undefined) signed += `&RelayState=${encode(options.relayState)}`;
  signed += `&SigAlg=${encode(sigAlg)}`;
  const signature = querySign(sigAlg, key.privateKey, Buffer.from(signed, 'utf8'));
  return `${signed}&Signature=${encode(signature.toString('base64'))}`;
}

function querySign(sigAlg: string, key: KeyObject, data: Buffer): Buffer {
  const hash = /sha512/.test(sigAlg) ? 'sha512' : /sha384/.test(sigAlg) ? 'sha384' : /sha1$/.test(sigAlg) ? 'sha1' : 'sha256';
  const signer = createSign(hash).update(data);
  if (sigAlg.includes('ecdsa')) return signer.sign({ key, dsaEncoding: 'ieee-p1363' });
  if (sigAlg.includes('MGF1')) return signer.sign({ key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: hash === 'sha256' ? 32 : 64 });
  return signer.sign({ key, padding: constants.RSA_PKCS1_PADDING });
}

/** The EU reference node's GET form: base64 of the signed XML, optionally deflated, no SigAlg. */
export function euGetQuery(signedXml: string, options: { deflate?: boolean; relayState?: string } = {}): string {
  const bytes = Buffer.from(signedXml, 'utf8');
  const payload = (options.deflate ? deflateRawSync(bytes) : bytes).toString('base64');
  const params: Array<[string, string]> = [['SAMLRequest', payload]];
  if (options.relayState !== undefined) params.push(['RelayState', options.relayState]);
  return form(params);
}

/** Direct children in (ns, localName), walked from `parent` (the harness never searches documents). */
export function kid(parent: Element, ns: string, localName: string): Element {
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    const e = n as Element;
    if (n.nodeType === 1 && e.namespaceURI === ns && e.localName === localName) return e;
  }
  throw new Error(`test: no ${localName} in ${parent.localName}`);
}

export function kids(parent: Element, ns: string, localName: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    const e = n as Element;
    if (n.nodeType === 1 && e.namespaceURI === ns && e.localName === localName) out.push(e);
  }
  return out;
}

export { NS };
