/**
 * swedenconnect-eidas-connector/eu-metadata-idps.xml: an unsigned EntitiesDescriptor of 18 real
 * proxy services. Parse-only (no trust claimed): endpoints, certificates and LoAs of every node,
 * the PT certificate whose DN Python's cryptography refuses included, and the same facts as
 * Debian's lxml reads them (code nobody here wrote).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseMetadataAggregate } from '../../../src/metadata/peers/aggregate.ts';
import { DEBIAN_PYTHON, describeWithPeer } from '../../helpers/peers.ts';
import { AGGREGATE, read } from './helpers.ts';

const aggregate = parseMetadataAggregate(read(AGGREGATE));
const PT = 'https://eidas.autenticacao.gov.pt/EidasNode/ServiceMetadata';

describe('the Sweden Connect aggregate of 18 proxy services (parse-only)', () => {
  it('R-MD-17: says it is untrusted, and lists 18 proxy-service entities, none unreadable', () => {
    expect(aggregate.trusted).toBe(false);
    expect(aggregate.name).toBe('https://md.eidas.swedenconnect.se/role/idp.xml');
    expect(aggregate.entities).toHaveLength(18);
    expect(aggregate.unreadable).toEqual([]);
    expect(new Set(aggregate.entities.map((e) => e.role))).toEqual(new Set(['proxy-service']));
    expect(aggregate.entities.map((e) => e.country).filter(Boolean).sort()).toEqual(
      ['AT', 'BE', 'CZ', 'DE', 'DK', 'EE', 'ES', 'HR', 'IT', 'LI', 'LT', 'LU', 'LV', 'MT', 'NL', 'PT', 'SK'],
    );
  });

  it('R-MD-05/09/10: every node has SSO endpoints, a signing and an encryption certificate, LoAs and attributes', () => {
    for (const e of aggregate.entities) {
      expect(e.ssoServices.length, e.entityId).toBeGreaterThan(0);
      expect(e.ssoServices.every((s) => s.location.startsWith('https://')), e.entityId).toBe(true);
      expect(e.signingCertificates.length, e.entityId).toBeGreaterThan(0);
      expect(e.signingKeys.length, e.entityId).toBe(e.signingCertificates.length);
      expect(e.encryptionCertificates.length, e.entityId).toBeGreaterThan(0);
      expect(e.loas.length, e.entityId).toBeGreaterThan(0);
      expect(e.supportedAttributes.length, e.entityId).toBeGreaterThanOrEqual(4);
      expect(e.validUntil.toISOString()).toBe('2030-08-30T10:20:34.000Z'); // inherited from the EntitiesDescriptor
    }
  });

  it('reads the quirky PT certificate (non-conformant PrintableString in its DN) with its RSA key', () => {
    const pt = aggregate.entities.find((e) => e.entityId === PT)!;
    const cert = pt.signingCertificates[0]!;
    expect(cert.subject).toContain('C=PT');
    expect(cert.subject).toContain('CN=EIDAS');
    expect(pt.signingKeys[0]!.asymmetricKeyType).toBe('rsa');
    expect(pt.loas).toEqual(['http://eidas.europa.eu/LoA/high']);
  });

  it('R-CRY-04: key types of the real nodes: RSA 3072/4096 and EC P-384/P-521', () => {
    const kinds = new Set(aggregate.entities.flatMap((e) => e.signingKeys).map((k) =>
      k.asymmetricKeyType === 'rsa' ? `rsa-${k.asymmetricKeyDetails?.modulusLength}` : `ec-${k.asymmetricKeyDetails?.namedCurve}`));
    expect([...kinds].sort()).toEqual(['ec-secp384r1', 'ec-secp521r1', 'rsa-3072', 'rsa-4096']);
  });
});

const LXML_SCRIPT = `
import json, sys
from lxml import etree
ns = {'md': 'urn:oasis:names:tc:SAML:2.0:metadata', 'saml2': 'urn:oasis:names:tc:SAML:2.0:assertion',
      'ds': 'http://www.w3.org/2000/09/xmldsig#', 'mdattr': 'urn:oasis:names:tc:SAML:metadata:attribute'}
out = {}
for e in etree.parse(sys.argv[1]).getroot().findall('md:EntityDescriptor', ns):
    idp = e.find('md:IDPSSODescriptor', ns)
    loas = [v.text.strip() for a in e.findall('md:Extensions/mdattr:EntityAttributes/saml2:Attribute', ns)
            if a.get('Name') == 'urn:oasis:names:tc:SAML:attribute:assurance-certification'
            for v in a.findall('saml2:AttributeValue', ns)]
    out[e.get('entityID')] = {
        'sso': [s.get('Location') for s in idp.findall('md:SingleSignOnService', ns)],
        'certs': len(idp.findall('md:KeyDescriptor/ds:KeyInfo/ds:X509Data/ds:X509Certificate', ns)),
        'attributes': len(idp.findall('saml2:Attribute', ns)),
        'loas': loas,
    }
print(json.dumps(out))
`;

describeWithPeer(['python-crypto'], 'the aggregate as Debian lxml reads it', () => {
  it('R-MD-05/09/10: same SSO locations, certificate counts, attribute counts and LoAs for all 18 nodes', () => {
    const r = spawnSync(DEBIAN_PYTHON, ['-c', LXML_SCRIPT, AGGREGATE], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const expected = JSON.parse(r.stdout) as Record<string, { sso: string[]; certs: number; attributes: number; loas: string[] }>;
    expect(Object.keys(expected)).toHaveLength(18);
    const ours = Object.fromEntries(aggregate.entities.map((e) => [e.entityId, {
      sso: e.ssoServices.map((s) => s.location),
      certs: e.signingCertificates.length + e.encryptionCertificates.length,
      attributes: e.supportedAttributes.length,
      loas: e.loas,
    }]));
    expect(ours).toEqual(expected);
  });
});
