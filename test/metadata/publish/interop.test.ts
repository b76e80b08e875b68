/**
 * Our metadata, fetched from the running application, checked by code nobody here wrote:
 * xmlsec1 (ECDSA metadata key), Python lxml + cryptography (RSASSA-PSS metadata key), the
 * OASIS metadata schemas plus the EU eIDAS extension schema (lxml XMLSchema), and Debian's
 * pysaml2 MetadataStore as IdP and SP metadata.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMetadataPublisher, metadataRouter, type Role } from '../../../src/metadata/publish/index.ts';
import { NS } from '../../../src/saml/namespaces.ts';
import { serializeXml } from '../../../src/saml/parser.ts';
import { createApp } from '../../../src/server/app.ts';
import { evaluateReadiness } from '../../../src/server/readiness.ts';
import { createLogger } from '../../../src/util/logger.ts';
import { DEBIAN_PYTHON, describeWithPeer } from '../../helpers/peers.ts';
import { fakeKey, type FakeKey } from './fake-key-ring.ts';
import { BASE, der, only, ringOf, rootOf, standardKeys, testConfig, type TestKeys } from './support.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const EIDAS_XSD_DIR = fileURLToPath(new URL('../../fixtures/vectors/eidas-eu-mock/', import.meta.url));
const MD_ID_ATTR = `${NS.md}:EntityDescriptor`;
const logger = createLogger({ level: 'silent' });

let dir: string;
let ecKeys: TestKeys;
let rsaMetadataKey: FakeKey;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pont-md-interop-'));
  [ecKeys, rsaMetadataKey] = await Promise.all([standardKeys('ec-p256'), fakeKey('metadata', 'rsa-3072')]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The document as the running application serves it, saved to a file for the peer. */
async function served(role: Role, keys: TestKeys, at: Date = new Date(), more: FakeKey[] = []): Promise<{ file: string; xml: string }> {
  const config = testConfig();
  const publisher = createMetadataPublisher({ keyRing: ringOf(keys, ...more), config, clock: () => at });
  const app = createApp({ logger, readiness: () => evaluateReadiness([], []), metadataRouter: metadataRouter(publisher, config, { clock: () => at }) });
  const r = await request(app).get(`/${role}/metadata`);
  expect(r.status).toBe(200);
  return save(`${role}-${Math.random().toString(36).slice(2)}.xml`, r.text);
}

function save(name: string, xml: string): { file: string; xml: string } {
  const file = join(dir, name);
  writeFileSync(file, xml);
  return { file, xml };
}

function pem(key: FakeKey): string {
  const file = join(dir, `${key.id}.cert.pem`);
  writeFileSync(file, key.certificatePem);
  return file;
}

/** The served document with one DOM edit applied, re-serialised (the signature is left as it was). */
function edited(xml: string, name: string, edit: (root: Element) => void): string {
  const root = rootOf(xml);
  edit(root);
  return save(name, serializeXml(root.ownerDocument)).file;
}

const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });

describeWithPeer(['xmlsec1'], 'xmlsec1 verifies our ECDSA-signed metadata (R-MD-14, R-CRY-03)', () => {
  const xmlsec = (file: string, cert: string) => run('xmlsec1', ['--verify', '--pubkey-cert-pem', cert, '--id-attr:ID', MD_ID_ATTR, file]);

  it.each<Role>(['proxy-service', 'connector'])('%s: OK with the metadata certificate; a changed copy and another key fail', async (role) => {
    const { file, xml } = await served(role, ecKeys);
    const ok = xmlsec(file, pem(ecKeys.metadata));
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stderr).toContain('OK');

    const descriptor = role === 'proxy-service' ? 'IDPSSODescriptor' : 'SPSSODescriptor';
    const tampered = edited(xml, `${role}-tampered.xml`, (root) => {
      only(only(only(root, descriptor), 'Extensions'), 'NodeCountry', NS.eidas).textContent = 'DE';
    });
    expect(xmlsec(tampered, pem(ecKeys.metadata)).status).not.toBe(0);
    const other = await fakeKey('metadata', 'ec-p256', 'active', 'stranger');
    expect(xmlsec(file, pem(other)).status).not.toBe(0);
  });
});

describeWithPeer(['python-crypto'], 'Python lxml + cryptography verifies our RSASSA-PSS-signed metadata (R-MD-14, R-CRY-03)', () => {
  const peer = (file: string, cert: string) => run(DEBIAN_PYTHON, [join(HERE, '../../interop/python/dsig_peer.py'), 'verify', file, cert]);

  it.each<Role>(['proxy-service', 'connector'])('%s: OK sha256-rsa-MGF1 with the metadata certificate; a changed copy fails', async (role) => {
    const keys = { ...ecKeys, metadata: rsaMetadataKey };
    const { file, xml } = await served(role, keys);
    const ok = peer(file, pem(rsaMetadataKey));
    expect(ok.stdout.trim(), ok.stderr).toBe('OK http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1');
    const tampered = edited(xml, `${role}-rsa-tampered.xml`, (root) => root.setAttribute('validUntil', '2099-01-01T00:00:00Z'));
    expect(peer(tampered, pem(rsaMetadataKey)).stdout).toMatch(/^FAIL digest mismatch/);
  });
});

describeWithPeer(['pysaml2'], 'SAML metadata schema + eIDAS extension schemas (lxml XMLSchema)', () => {
  const validate = (...files: string[]) => run(DEBIAN_PYTHON, [join(HERE, 'python/validate_metadata.py'), EIDAS_XSD_DIR, ...files]);

  it('both entities validate, with ECDSA or RSA keys and with a next EC encryption key beside the RSA one', async () => {
    const nextEc = await fakeKey('encryption', 'ec-p256', 'next', 'next-ec');
    const files = [
      (await served('proxy-service', ecKeys)).file,
      (await served('connector', ecKeys)).file,
      (await served('proxy-service', { ...ecKeys, metadata: rsaMetadataKey })).file,
      (await served('connector', { ...ecKeys, metadata: rsaMetadataKey }, new Date(), [nextEc])).file,
    ];
    const r = validate(...files);
    expect(r.stdout.trim().split('\n'), r.stderr).toEqual(files.map((f) => `OK ${f}`));
  });

  it('the validator is not vacuous: wrong element order, a lower-case NodeCountry and an unknown SPType are refused', async () => {
    const { xml: proxy } = await served('proxy-service', ecKeys);
    const { xml: connector } = await served('connector', ecKeys);
    const wrongOrder = edited(proxy, 'wrong-order.xml', (root) => {
      root.appendChild(only(root, 'Organization')); // after the ContactPersons
    });
    const badCountry = edited(proxy, 'bad-country.xml', (root) => {
      only(only(only(root, 'IDPSSODescriptor'), 'Extensions'), 'NodeCountry', NS.eidas).textContent = 'fr';
    });
    const badSpType = edited(connector, 'bad-sptype.xml', (root) => {
      only(only(root, 'Extensions'), 'SPType', NS.eidas).textContent = 'semi-public';
    });
    const lines = validate(wrongOrder, badCountry, badSpType).stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^INVALID .*wrong-order\.xml: .*Organization/);
    expect(lines[1]).toMatch(/^INVALID .*bad-country\.xml: .*NodeCountry/);
    expect(lines[2]).toMatch(/^INVALID .*bad-sptype\.xml: .*SPType/);
  });
});

describeWithPeer(['pysaml2'], "Debian's pysaml2 loads our metadata as IdP and SP metadata", () => {
  const load = (...files: string[]) => {
    const r = run(DEBIAN_PYTHON, [join(HERE, 'python/pysaml2_metadata.py'), ...files]);
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as PysamlView;
  };
  const flat = (certs: string[] | undefined) => (certs ?? []).map((c) => c.replace(/\s+/g, ''));

  it('sees the proxy service SSO endpoints, LoAs, attributes and signing certificate, and the connector ACS and both certificates', async () => {
    const next = await fakeKey('signing', 'ec-p256', 'next', 'next-signing');
    const proxy = await served('proxy-service', ecKeys, new Date(), [next]);
    const connector = await served('connector', ecKeys, new Date(), [next]);
    const view = load(proxy.file, connector.file);
    const proxyId = `${BASE}/proxy-service/metadata`;
    const connectorId = `${BASE}/connector/metadata`;
    expect(view.loaded.sort()).toEqual([connectorId, proxyId]);
    expect(view.too_old).toEqual({});

    const idp = view.entities[proxyId]!;
    expect(idp.idp_sso).toEqual({
      'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST': [`${BASE}/proxy-service/sso`],
      'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect': [`${BASE}/proxy-service/sso`],
    });
    expect(flat(idp.signing_certs.idpsso)).toEqual([der(next), der(ecKeys.signing)]);
    expect(idp.encryption_certs.idpsso).toEqual([]);
    expect(idp.assurance_certifications).toEqual(['http://eidas.europa.eu/LoA/substantial', 'http://eidas.europa.eu/LoA/high']);
    expect(idp.idp_attributes.map((a) => a.friendly_name)).toEqual(['PersonIdentifier', 'FamilyName', 'FirstName', 'DateOfBirth', 'BirthName', 'PlaceOfBirth', 'Gender']);
    expect(idp.entity_attributes['http://eidas.europa.eu/entity-attributes/protocol-version']).toEqual(['1.4', '1.3', '1.2']);

    const sp = view.entities[connectorId]!;
    expect(sp.sp_acs['urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST']).toEqual([`${BASE}/connector/acs`]);
    expect(flat(sp.signing_certs.spsso)).toEqual([der(next), der(ecKeys.signing)]);
    expect(flat(sp.encryption_certs.spsso)).toEqual([der(ecKeys.encryption)]);
    expect(sp.algorithms.signing_methods).not.toContain('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
  });

  it('R-MD-01: pysaml2 refuses a copy whose validUntil has passed (it reads our validUntil)', async () => {
    const old = await served('connector', ecKeys, new Date(Date.now() - 48 * 3_600_000));
    const view = load(old.file);
    expect(view.loaded).toEqual([]);
    expect(Object.values(view.too_old).flat()).toEqual([`${BASE}/connector/metadata`]);
  });
});

interface PysamlEntity {
  idp_sso: Record<string, string[]>;
  sp_acs: Record<string, string[]>;
  signing_certs: Record<string, string[]>;
  encryption_certs: Record<string, string[]>;
  entity_attributes: Record<string, string[]>;
  assurance_certifications: string[];
  algorithms: { digest_methods: string[]; signing_methods: string[] };
  idp_attributes: Array<{ name: string; friendly_name: string; name_format: string }>;
}

interface PysamlView {
  loaded: string[];
  too_old: Record<string, string[]>;
  entities: Record<string, PysamlEntity>;
}
