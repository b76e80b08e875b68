/**
 * R-MSG rules of the AuthnRequest's envelope on a signed request (eidas-spec.md §1): the golden
 * request, ID / Version / IssueInstant / Destination, the requester and its signature, flags,
 * and the ACS from metadata. Each variant is re-signed by the connector and must end with its
 * reason code and with PS-400 (nothing sent) or PS-ERR (signed error Response, status asserted).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { SIG } from '../../../src/saml/namespaces.ts';
import { STATUS } from '../../../src/front/saml-idp/index.ts';
import { outcomeOf, validatePost } from './support/outcome.ts';
import { LOA, PS400, PSERR, REQ, RESP, setAttr, signedOutcome, type Edit } from './support/edits.ts';
import { ACS_DE, ACS_DE_2, ACS_DE_REDIRECT, DE, G_REQ, KEYS, NS, edited, fixture, kid, signedRequest, world, type TestKey, type World } from './support/world.ts';

let w: World;
beforeEach(() => {
  w = world();
});

const outcome = (edit?: Edit, template?: string, key?: TestKey, algorithm?: string, relay?: string) =>
  signedOutcome(w, edit, template, key, algorithm, relay);

describe('the golden AuthnRequest (spec §8.1)', () => {
  it('R-MSG-01..29: a conformant signed request becomes the typed ValidatedRequest the flow stores', async () => {
    const validated = await validatePost(w, await signedRequest(), 'opaque-relay-state');
    expect(validated).toEqual({
      peerEntityId: DE,
      acsUrl: ACS_DE,
      requestId: '_req-de-5f0c2b7a9e1d4c3b8a6f0e2d4c6b8a01',
      relayState: 'opaque-relay-state',
      binding: 'HTTP-POST',
      country: 'DE',
      issueInstant: '2026-03-02T09:59:30.000Z',
      loa: { comparison: 'minimum', requested: [LOA('substantial')], acceptable: [LOA('substantial'), LOA('high')] },
      attributes: [
        { name: 'http://eidas.europa.eu/attributes/naturalperson/PersonIdentifier', friendlyName: 'PersonIdentifier', isRequired: true },
        { name: 'http://eidas.europa.eu/attributes/naturalperson/CurrentFamilyName', friendlyName: 'FamilyName', isRequired: true },
        { name: 'http://eidas.europa.eu/attributes/naturalperson/CurrentGivenName', friendlyName: 'FirstName', isRequired: true },
        { name: 'http://eidas.europa.eu/attributes/naturalperson/DateOfBirth', friendlyName: 'DateOfBirth', isRequired: true },
        { name: 'http://eidas.europa.eu/attributes/naturalperson/PlaceOfBirth', friendlyName: 'PlaceOfBirth', isRequired: false },
        { name: 'http://eidas.europa.eu/attributes/naturalperson/Gender', friendlyName: 'Gender', isRequired: false },
      ],
      spType: 'public',
      nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
      providerName: 'Bürgerservice Beispielstadt (test)',
      requesterId: 'urn:de:example:rp:0042',
    });
    expect(JSON.parse(JSON.stringify(validated))).toEqual(validated); // plain JSON for the flow state
  });
});

describe('R-MSG-01..04: ID, Version, IssueInstant, Destination', () => {
  it('R-MSG-01 / ATK-38: the same request ID twice from one connector is a replay (PS-400 REPLAY)', async () => {
    const xml = await signedRequest();
    await validatePost(w, xml);
    expect(await outcomeOf(() => validatePost(w, xml))).toMatchObject(PS400('REPLAY'));
  });

  it('R-MSG-01: the replay record lives as long as the request could pass the time check', async () => {
    await validatePost(w, await signedRequest());
    const [expiry] = [...w.deps.replay.seen.values()];
    expect(expiry!.toISOString()).toBe('2026-03-02T10:05:31.000Z'); // IssueInstant + 300 s + 60 s skew + 1 s
  });

  it.each([
    ['Version="1.1"', setAttr('Version', '1.1')],
    ['no Version', setAttr('Version', null)],
  ])('R-MSG-02: %s is VersionMismatch (PS-ERR VERSION)', async (_t, edit) => {
    expect(await outcome(edit)).toMatchObject(PSERR('VERSION', STATUS.VERSION_MISMATCH));
  });

  it.each([
    ['6 min 1 s old (window 300 s + skew 60 s)', '2026-03-02T09:53:59.000Z'],
    ['61 s in the future (skew 60 s)', '2026-03-02T10:01:01.000Z'],
    ['with an offset instead of Z', '2026-03-02T10:59:30+01:00'],
    ['without a time zone', '2026-03-02T09:59:30'],
    ['a leap second', '2026-03-02T09:59:60Z'],
    ['a five-digit year', '12026-03-02T09:59:30Z'],
    ['absent', null],
  ])('R-MSG-03 / ATK-42: IssueInstant %s is refused (PS-ERR TIME, RequestDenied)', async (_t, value) => {
    expect(await outcome(setAttr('IssueInstant', value))).toMatchObject(PSERR('TIME', REQ, STATUS.REQUEST_DENIED));
  });

  it.each([
    ['5 min 59 s old', '2026-03-02T09:54:01.000Z'],
    ['59 s in the future', '2026-03-02T10:00:59.123456Z'],
  ])('R-MSG-03: IssueInstant %s is within window and skew (accepted)', async (_t, value) => {
    expect(await outcome(setAttr('IssueInstant', value))).toMatchObject({ kind: 'ACCEPTED' });
  });

  it.each([
    ['another node', 'https://proxy.other.example/sso'],
    ['a trailing slash', 'https://pont.example.fr/proxy-service/sso/'],
    ['another case', 'https://PONT.example.fr/proxy-service/sso'],
    ['absent', null],
  ])('R-MSG-04 / ATK-40: Destination %s is refused (PS-ERR DESTINATION)', async (_t, value) => {
    expect(await outcome(setAttr('Destination', value))).toMatchObject(PSERR('DESTINATION', REQ, STATUS.REQUEST_DENIED));
  });
});

describe('R-MSG-05, R-MSG-06: the requester is a known connector and signed with its metadata key', () => {
  it('R-MSG-05 / ATK-46: an Issuer the registry does not know is PS-400 ISSUER', async () => {
    const edit: Edit = (root) => (kid(root, NS.saml, 'Issuer').textContent = 'https://unknown.example/metadata');
    expect(await outcome(edit)).toMatchObject(PS400('ISSUER'));
    expect(w.deps.peers.refreshes).toBe(1); // one sync from the shared database before refusing
  });

  it('R-MSG-05: a connector another instance added a moment ago is found by one sync, not refused', async () => {
    const added = w.deps.peers.descriptors[DE]!;
    delete w.deps.peers.descriptors[DE];
    w.deps.peers.afterSync.set(DE, added);
    const validated = await validatePost(w, await signedRequest());
    expect(validated.peerEntityId).toBe(DE);
    expect(w.deps.peers.refreshes).toBe(1);
  });

  it('R-MSG-05: an Issuer with a Format other than entity is PS-400 ISSUER', async () => {
    const edit: Edit = (root) => kid(root, NS.saml, 'Issuer').setAttribute('Format', 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient');
    expect(await outcome(edit)).toMatchObject(PS400('ISSUER'));
  });

  it('R-SEC-02: a proxy-service entity of the registry is no connector (PS-400 ISSUER)', async () => {
    const edit: Edit = (root) => (kid(root, NS.saml, 'Issuer').textContent = 'https://proxy.xx.example/metadata');
    expect(await outcome(edit)).toMatchObject(PS400('ISSUER'));
  });

  it('R-MSG-06: an unsigned request is PS-400 SIG_MISSING', async () => {
    expect(await outcomeOf(() => validatePost(w, fixture(G_REQ)))).toMatchObject(PS400('SIG_MISSING'));
  });

  it('R-MSG-06 / ATK-23: signed by a key of no metadata, its certificate in KeyInfo, is PS-400 KEY_UNTRUSTED', async () => {
    expect(await outcome(undefined, fixture(G_REQ), KEYS.evil)).toMatchObject(PS400('KEY_UNTRUSTED'));
    expect(w.deps.peers.refreshes).toBe(1); // one registry refresh, then refused
  });

  it('R-MSG-06 / R-MD: a connector that rolled its key over is verified after one registry refresh', async () => {
    w.deps.peers.afterRefresh.set(DE, [KEYS.connectorDeNext.certificate.publicKey]);
    expect(await outcome(undefined, fixture(G_REQ), KEYS.connectorDeNext)).toMatchObject({ kind: 'ACCEPTED' });
    expect(w.deps.peers.refreshes).toBe(1);
  });

  it('R-CRY-03 / ATK-25: rsa-sha256 (signed by xmlsec1) from a connector not named legacy is PS-400 SIG_ALG_NOT_ALLOWED', async () => {
    w.deps.peers.keys.set(DE, [KEYS.connectorYy.certificate.publicKey]);
    const xml = fixture('authnrequest-de-signed-xmlsec1-rsa-sha256.xml');
    expect(await outcomeOf(() => validatePost(w, xml))).toMatchObject(PS400('SIG_ALG_NOT_ALLOWED'));
  });

  it('R-CRY-03: rsa-sha256 (signed by xmlsec1) from the connector the operator named legacy (crypto.legacyPeers) is accepted', async () => {
    const xml = fixture('authnrequest-yy-signed-xmlsec1-rsa-sha256.xml');
    expect(await outcomeOf(() => validatePost(w, xml))).toMatchObject({ kind: 'ACCEPTED' });
  });

  it('R-MSG-06: a request signed by an independent signer (xmlsec1, ECDSA P-256) is accepted', async () => {
    const xml = fixture('authnrequest-de-signed-xmlsec1-ecdsa-p256.xml');
    expect((await validatePost(w, xml)).requestId).toBe('_req-de-ecdsa-2e3f405162738495a6b7c8d9eafb0c1d');
  });

  it('R-CRY-03: RSA-PSS from an RSA connector is accepted', async () => {
    w.deps.peers.keys.set(DE, [KEYS.connectorYy.certificate.publicKey]);
    expect(await outcome(undefined, fixture(G_REQ), KEYS.connectorYy, SIG.RSA_PSS_SHA256)).toMatchObject({ kind: 'ACCEPTED' });
  });
});

describe('R-MSG-07, 08, 10, 12: flags and bindings', () => {
  it.each([
    ['false', 'false'],
    ['absent', null],
    ['not a boolean', 'yes'],
  ])('R-MSG-07: ForceAuthn %s is refused (PS-ERR FORCE_AUTHN, RequestDenied)', async (_t, value) => {
    expect(await outcome(setAttr('ForceAuthn', value))).toMatchObject(PSERR('FORCE_AUTHN', REQ, STATUS.REQUEST_DENIED));
  });

  it('R-MSG-07: ForceAuthn="1" is xs:boolean true (accepted)', async () => {
    expect(await outcome(setAttr('ForceAuthn', '1'))).toMatchObject({ kind: 'ACCEPTED' });
  });

  it('R-MSG-08: IsPassive="true" is answered Responder/NoPassive (PS-ERR IS_PASSIVE)', async () => {
    expect(await outcome(setAttr('IsPassive', 'true'))).toMatchObject(PSERR('IS_PASSIVE', RESP, STATUS.NO_PASSIVE));
  });

  it('R-MSG-08: IsPassive absent means false (accepted)', async () => {
    expect(await outcome(setAttr('IsPassive', null))).toMatchObject({ kind: 'ACCEPTED' });
  });

  it('R-MSG-10: ProtocolBinding HTTP-Redirect is UnsupportedBinding (PS-ERR PROTOCOL_BINDING)', async () => {
    const edit = setAttr('ProtocolBinding', 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect');
    expect(await outcome(edit)).toMatchObject(PSERR('PROTOCOL_BINDING', REQ, STATUS.UNSUPPORTED_BINDING));
  });

  it('R-MSG-10: ProtocolBinding HTTP-POST is accepted', async () => {
    expect(await outcome(setAttr('ProtocolBinding', 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST'))).toMatchObject({ kind: 'ACCEPTED' });
  });

  it('R-MSG-12: a Consent value that is no SAML consent URI is refused (PS-ERR CONSENT_VALUE)', async () => {
    expect(await outcome(setAttr('Consent', 'yes-please'))).toMatchObject(PSERR('CONSENT_VALUE', REQ, STATUS.REQUEST_DENIED));
  });

  it('R-MSG-30: a Subject naming the person cannot be honoured (PS-ERR SUBJECT, RequestUnsupported)', async () => {
    const edit: Edit = (root, doc) => {
      const subject = doc.createElementNS(NS.saml, 'saml2:Subject');
      root.insertBefore(subject, kid(root, NS.samlp, 'NameIDPolicy'));
    };
    expect(await outcome(edit)).toMatchObject(PSERR('SUBJECT', REQ, STATUS.REQUEST_UNSUPPORTED));
  });
});

describe('R-MSG-09: the ACS comes from the connector metadata only', () => {
  it('R-MSG-09: no ACS in the request: the metadata default (isDefault, HTTP-POST)', async () => {
    expect((await validatePost(w, await signedRequest())).acsUrl).toBe(ACS_DE);
  });

  it('R-MSG-09: an AssertionConsumerServiceURL listed in the metadata is used', async () => {
    const xml = await signedRequest(edited(fixture(G_REQ), setAttr('AssertionConsumerServiceURL', ACS_DE_2)));
    expect((await validatePost(w, xml)).acsUrl).toBe(ACS_DE_2);
  });

  it('R-MSG-09: an AssertionConsumerServiceIndex listed in the metadata is used', async () => {
    const xml = await signedRequest(edited(fixture(G_REQ), setAttr('AssertionConsumerServiceIndex', '1')));
    expect((await validatePost(w, xml)).acsUrl).toBe(ACS_DE_2);
  });

  it.each([
    ['an attacker URL', 'https://evil.example/acs'],
    ['the metadata URL in another case', 'https://CONNECTOR.de.example/acs'],
    ['the metadata URL with a suffix', `${ACS_DE}/x`],
    ['an ACS of the metadata bound to HTTP-Redirect', ACS_DE_REDIRECT],
  ])('R-MSG-09 / ATK-48: AssertionConsumerServiceURL %s is PS-400 ACS (nothing sent)', async (_t, url) => {
    expect(await outcome(setAttr('AssertionConsumerServiceURL', url))).toMatchObject(PS400('ACS'));
  });

  it.each([['9'], ['-1'], ['2']])('R-MSG-09 / ATK-48: AssertionConsumerServiceIndex %s (not a POST ACS of the metadata) is PS-400 ACS', async (index) => {
    expect(await outcome(setAttr('AssertionConsumerServiceIndex', index))).toMatchObject(PS400('ACS'));
  });
});
