/**
 * A legacy peer's metadata signed by xmlsec1 1.2.37 (code nobody here wrote) with RSA PKCS#1
 * v1.5 SHA-256: refused by default (R-CRY-03), accepted only for a peer named in
 * crypto.legacyPeers with `rsa-sha256`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MetadataRefusal } from '../../../src/metadata/peers/errors.ts';
import { verifyPeerMetadata, type PeerTrust } from '../../../src/metadata/peers/verify.ts';
import { NS, SIG } from '../../../src/saml/namespaces.ts';
import { describeWithPeer } from '../../helpers/peers.ts';
import { FIXTURES, GK, anchor, read, unsigned, withRootAttributes } from './helpers.ts';

const TEMPLATE =
  `<ds:Signature xmlns:ds="${NS.ds}"><ds:SignedInfo>` +
  '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>' +
  `<ds:SignatureMethod Algorithm="${SIG.RSA_SHA256}"/>` +
  '<ds:Reference URI="#_legacy"><ds:Transforms>' +
  '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>' +
  '<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>' +
  '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference>' +
  '</ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pont-peers-xmlsec1-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeWithPeer(['xmlsec1'], 'legacy peer metadata signed by xmlsec1 (R-CRY-03)', () => {
  it('R-CRY-03: rsa-sha256 metadata is SIG_ALG_NOT_ALLOWED, and accepted only for a peer named legacy (rsa-sha256)', async () => {
    const base = withRootAttributes(unsigned(read(GK.connector.file)), { ID: '_legacy' });
    const template = base.replace(/(<md:EntityDescriptor[^>]*>)/, `$1${TEMPLATE}`);
    const file = join(dir, 'template.xml');
    writeFileSync(file, template);
    const key = `${FIXTURES}keys/dsig/rsa-3072`;
    const signed = execFileSync('xmlsec1', [
      '--sign', '--privkey-pem', `${key}.key.pem,${key}.cert.pem`,
      '--id-attr:ID', 'urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor', file,
    ]);
    const trust: PeerTrust = {
      entityId: GK.connector.url, role: 'connector', country: 'DE', anchors: [anchor(`${key}.cert.pem`)],
      policy: { minRsaBits: 3072, allowLegacyRsaSha256: false },
    };
    const err = await verifyPeerMetadata(signed, trust, new Date(GK.now)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MetadataRefusal);
    expect((err as MetadataRefusal).reason).toBe('SIG_ALG_NOT_ALLOWED');
    const legacy = await verifyPeerMetadata(signed, { ...trust, policy: { minRsaBits: 3072, allowLegacyRsaSha256: true } }, new Date(GK.now));
    expect(legacy.descriptor.entityId).toBe(GK.connector.url);
  });
});
