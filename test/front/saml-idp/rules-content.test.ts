/**
 * R-MSG rules of the AuthnRequest's content on a signed request (eidas-spec.md §1): Extensions and
 * requested attributes, NameIDPolicy, RequestedAuthnContext, SPType, NodeCountry, who asks, and
 * RelayState. Each variant is re-signed by the connector and must end with its reason code and
 * with PS-400 or PS-ERR (signed error Response, status asserted).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { SIG } from '../../../src/saml/namespaces.ts';
import { STATUS } from '../../../src/front/saml-idp/index.ts';
import { outcomeOf, validatePost } from './support/outcome.ts';
import {
  LOA,
  NN_SUBSTANTIAL,
  PS400,
  PSERR,
  REQ,
  RESP,
  addRequested,
  appendChild,
  authnContext,
  extensions,
  remove,
  requested,
  setLoas,
  signedOutcome,
  type Edit,
} from './support/edits.ts';
import { G_REQ, KEYS, NS, YY, edited, fixture, kid, signedRequest, world, type TestKey, type World } from './support/world.ts';

let w: World;
beforeEach(() => {
  w = world();
});

const outcome = (edit?: Edit, template?: string, key?: TestKey, algorithm?: string, relay?: string) =>
  signedOutcome(w, edit, template, key, algorithm, relay);

describe('R-MSG-13..18: Extensions and requested attributes', () => {
  it('R-MSG-13: a request without Extensions is refused (PS-ERR EXTENSIONS, RequestDenied)', async () => {
    expect(await outcome((root) => remove(extensions(root)))).toMatchObject(PSERR('EXTENSIONS', REQ, STATUS.REQUEST_DENIED));
  });

  it('R-MSG-14: a NameFormat other than uri is InvalidAttrNameOrValue (PS-ERR ATTR_SHAPE)', async () => {
    const edit: Edit = (root) => requested(root, 'DateOfBirth').setAttribute('NameFormat', 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic');
    expect(await outcome(edit)).toMatchObject(PSERR('ATTR_SHAPE', REQ, STATUS.INVALID_ATTR));
  });

  it('R-MSG-14: the same attribute requested twice is InvalidAttrNameOrValue (PS-ERR ATTR_SHAPE)', async () => {
    const edit: Edit = (root) => addRequested(root, 'http://eidas.europa.eu/attributes/naturalperson/DateOfBirth', 'false');
    expect(await outcome(edit)).toMatchObject(PSERR('ATTR_SHAPE', REQ, STATUS.INVALID_ATTR));
  });

  it('R-ATT-01: a FriendlyName that belongs to another Name is InvalidAttrNameOrValue (PS-ERR ATTR_SHAPE)', async () => {
    const edit: Edit = (root) => requested(root, 'CurrentFamilyName').setAttribute('FriendlyName', 'FirstName');
    expect(await outcome(edit)).toMatchObject(PSERR('ATTR_SHAPE', REQ, STATUS.INVALID_ATTR));
  });

  it('R-MSG-15: isRequired absent means optional', async () => {
    const xml = await signedRequest(edited(fixture(G_REQ), (root) => requested(root, 'DateOfBirth').removeAttribute('isRequired')));
    const dob = (await validatePost(w, xml)).attributes.find((a) => a.friendlyName === 'DateOfBirth');
    expect(dob?.isRequired).toBe(false);
  });

  it('R-MSG-15: isRequired that is no xs:boolean is refused (PS-ERR ATTR_SHAPE)', async () => {
    const edit: Edit = (root) => requested(root, 'DateOfBirth').setAttribute('isRequired', 'yes');
    expect(await outcome(edit)).toMatchObject(PSERR('ATTR_SHAPE', REQ, STATUS.INVALID_ATTR));
  });

  it('R-MSG-16: natural-person and legal-person attributes in one request are refused (PS-ERR ATTR_MIXED)', async () => {
    const mixed = fixture('authnrequest-natural-and-legal-mixed.xml', 'invalid');
    expect(await outcome(undefined, mixed)).toMatchObject(PSERR('ATTR_MIXED', REQ, STATUS.REQUEST_DENIED));
  });

  it('DESIGN §2: a legal-person request is refused until supported (PS-ERR ATTR_LEGAL_PERSON, Responder/RequestUnsupported)', async () => {
    const legal = fixture('authnrequest-legal-person-only.xml', 'invalid');
    expect(await outcome(undefined, legal)).toMatchObject(PSERR('ATTR_LEGAL_PERSON', RESP, STATUS.REQUEST_UNSUPPORTED));
  });

  it('R-MSG-17: unknown optional attributes are ignored, known ones kept in request order', async () => {
    const xml = await signedRequest(fixture('authnrequest-de-exact-non-notified.xml'));
    const validated = await validatePost(w, xml);
    expect(validated.attributes.map((a) => a.friendlyName)).toEqual(['PersonIdentifier', 'FamilyName', 'FirstName', 'DateOfBirth']);
  });

  it('R-MSG-17: an unknown attribute requested as required is refused (PS-ERR ATTR_UNKNOWN_REQUIRED)', async () => {
    const edit: Edit = (root) => addRequested(root, 'http://example.eu/sector/attributes/StudentId', 'true');
    expect(await outcome(edit)).toMatchObject(PSERR('ATTR_UNKNOWN_REQUIRED', REQ, STATUS.INVALID_ATTR));
  });

  it('R-MSG-17: a profile attribute we do not provide is ignored when optional, refused when required', async () => {
    w = world({ attributes: ['PersonIdentifier', 'FamilyName', 'FirstName', 'DateOfBirth', 'Gender'] });
    const optional = await validatePost(w, await signedRequest());
    expect(optional.attributes.map((a) => a.friendlyName)).not.toContain('PlaceOfBirth');
    const edit: Edit = (root) => requested(root, 'PlaceOfBirth').setAttribute('isRequired', 'true');
    w = world({ attributes: ['PersonIdentifier', 'FamilyName', 'FirstName', 'DateOfBirth', 'Gender'] });
    expect(await outcome(edit)).toMatchObject(PSERR('ATTR_UNKNOWN_REQUIRED', REQ, STATUS.INVALID_ATTR));
  });

  it('R-MSG-18: a representative attribute is refused (PS-ERR ATTR_REPRESENTATIVE)', async () => {
    const repr = fixture('authnrequest-representative-requested.xml', 'invalid');
    expect(await outcome(undefined, repr)).toMatchObject(PSERR('ATTR_REPRESENTATIVE', REQ, STATUS.REQUEST_DENIED));
  });
});

describe('R-MSG-19: NameIDPolicy', () => {
  it.each([
    ['transient', 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient'],
    ['unspecified', 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified'],
  ])('R-MSG-19: %s is supported', async (_t, format) => {
    const xml = await signedRequest(edited(fixture(G_REQ), (root) => kid(root, NS.samlp, 'NameIDPolicy').setAttribute('Format', format)));
    expect((await validatePost(w, xml)).nameIdFormat).toBe(format);
  });

  it('R-MSG-19: no NameIDPolicy means persistent (as the reference node)', async () => {
    const xml = await signedRequest(edited(fixture(G_REQ), (root) => remove(kid(root, NS.samlp, 'NameIDPolicy'))));
    expect((await validatePost(w, xml)).nameIdFormat).toBe('urn:oasis:names:tc:SAML:2.0:nameid-format:persistent');
  });

  it('R-MSG-19: an unsupported format is InvalidNameIDPolicy (PS-ERR NAMEID_POLICY)', async () => {
    const edit: Edit = (root) => kid(root, NS.samlp, 'NameIDPolicy').setAttribute('Format', 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress');
    expect(await outcome(edit)).toMatchObject(PSERR('NAMEID_POLICY', REQ, STATUS.INVALID_NAMEID_POLICY));
  });
});

describe('R-MSG-20..24: RequestedAuthnContext (notified minimum, non-notified exact)', () => {
  it('R-MSG-21: minimum low accepts every level we deliver, lowest first', async () => {
    const xml = await signedRequest(edited(fixture(G_REQ), setLoas('minimum', [LOA('low')])));
    expect((await validatePost(w, xml)).loa).toEqual({ comparison: 'minimum', requested: [LOA('low')], acceptable: [LOA('substantial'), LOA('high')] });
  });

  it('R-MSG-22: exact with a non-notified level lists what we may deliver', async () => {
    const validated = await validatePost(w, await signedRequest(fixture('authnrequest-de-exact-non-notified.xml')));
    expect(validated.loa).toEqual({
      comparison: 'exact',
      requested: [NN_SUBSTANTIAL, LOA('substantial'), LOA('high')],
      acceptable: [LOA('substantial'), LOA('high'), NN_SUBSTANTIAL],
    });
    expect(validated.spType).toBe('private');
    expect(validated.nameIdFormat).toBe('urn:oasis:names:tc:SAML:2.0:nameid-format:transient');
  });

  it.each<[string, Edit]>([
    ['no RequestedAuthnContext (R-MSG-20)', (root) => remove(authnContext(root))],
    ['Comparison="Minimum" (case)', setLoas('Minimum', [LOA('substantial')])],
    ['Comparison="maximum"', setLoas('maximum', [LOA('substantial')])],
    ['Comparison="better"', setLoas('better', [LOA('substantial')])],
    ['minimum with two levels', setLoas('minimum', [LOA('substantial'), LOA('high')])],
    ['minimum with a non-notified level', setLoas('minimum', [NN_SUBSTANTIAL])],
    ['AuthnContextDeclRef', setLoas('minimum', [LOA('substantial')], 'AuthnContextDeclRef')],
    ['no Comparison (exact) with notified levels only', setLoas(null, [LOA('substantial'), LOA('high')])],
    ['exact without the higher notified level', setLoas('exact', [NN_SUBSTANTIAL, LOA('substantial')])],
    ['exact with a repeated level', setLoas('exact', [NN_SUBSTANTIAL, NN_SUBSTANTIAL])],
    ['an empty RequestedAuthnContext', setLoas('minimum', [])],
  ])('R-MSG-20..22 / ATK-45: %s is an invalid shape (PS-ERR LOA_SHAPE, RequestDenied)', async (_t, edit) => {
    expect(await outcome(edit)).toMatchObject(PSERR('LOA_SHAPE', REQ, STATUS.REQUEST_DENIED));
  });

  it.each<[string, Edit, string[]?]>([
    ['an unknown notified-looking URI (…/LoA/Substantial)', setLoas('minimum', ['http://eidas.europa.eu/LoA/Substantial'])],
    ['a trailing slash', setLoas('minimum', [`${LOA('substantial')}/`])],
    ['exact with only unknown non-notified levels', setLoas('exact', ['http://example.eu/LoA/gold'])],
    ['minimum high when only substantial is delivered', setLoas('minimum', [LOA('high')]), [LOA('substantial')]],
  ])('R-MSG-24 / ATK-45: %s is NoAuthnContext (PS-ERR LOA_UNAVAILABLE)', async (_t, edit, loas) => {
    if (loas) w = world({ loas });
    expect(await outcome(edit)).toMatchObject(PSERR('LOA_UNAVAILABLE', RESP, STATUS.NO_AUTHN_CONTEXT));
  });
});

describe('R-MSG-25, 26, 27: SPType, NodeCountry, who asks', () => {
  const yy = () => edited(fixture(G_REQ), (root) => (kid(root, NS.saml, 'Issuer').textContent = YY));

  it('R-MSG-25: SPType from the metadata when the request has none', async () => {
    const xml = edited(yy(), (root) => remove(kid(extensions(root), NS.eidas, 'SPType')));
    expect(await outcome(undefined, xml, KEYS.connectorYy, SIG.RSA_PSS_SHA256)).toMatchObject({ kind: 'ACCEPTED' });
  });

  it('R-MSG-25: SPType in both metadata and request is refused (PS-ERR SPTYPE)', async () => {
    expect(await outcome(undefined, yy(), KEYS.connectorYy, SIG.RSA_PSS_SHA256)).toMatchObject(PSERR('SPTYPE', REQ, STATUS.REQUEST_DENIED));
  });

  it('R-MSG-25: SPType in neither is refused (PS-ERR SPTYPE)', async () => {
    expect(await outcome((root) => remove(kid(extensions(root), NS.eidas, 'SPType')))).toMatchObject(PSERR('SPTYPE', REQ, STATUS.REQUEST_DENIED));
  });

  it('R-MSG-25: an SPType other than public/private is refused (PS-ERR SPTYPE)', async () => {
    expect(await outcome((root) => (kid(extensions(root), NS.eidas, 'SPType').textContent = 'Public'))).toMatchObject(
      PSERR('SPTYPE', REQ, STATUS.REQUEST_DENIED),
    );
  });

  it('R-MSG-26: NodeCountry in a request is refused (PS-ERR NODE_COUNTRY)', async () => {
    expect(await outcome(appendChild(NS.eidas, 'eidas:NodeCountry', 'DE', extensions))).toMatchObject(
      PSERR('NODE_COUNTRY', REQ, STATUS.REQUEST_DENIED),
    );
  });

  it('R-MSG-27: a RequesterID over 1024 characters is refused (PS-ERR REQUESTER_ID)', async () => {
    const edit: Edit = (root) => (kid(kid(root, NS.samlp, 'Scoping'), NS.samlp, 'RequesterID').textContent = 'x'.repeat(1025));
    expect(await outcome(edit)).toMatchObject(PSERR('REQUESTER_ID', REQ, STATUS.REQUEST_DENIED));
  });

  it('R-MSG-27 / R-MD-13: a private SP without RequesterID is refused when we publish the flag', async () => {
    w = world({ requireRequesterIdForPrivate: true });
    const edit: Edit = (root) => (kid(extensions(root), NS.eidas, 'SPType').textContent = 'private');
    const xml = edited(fixture(G_REQ), (root, doc) => {
      edit(root, doc);
      remove(kid(root, NS.samlp, 'Scoping'));
    });
    expect(await outcome(undefined, xml)).toMatchObject(PSERR('REQUESTER_ID', REQ, STATUS.REQUEST_DENIED));
  });

  it('R-MSG-11: ProviderName and the first RequesterID are kept for the consent page', async () => {
    const xml = await signedRequest(
      edited(fixture(G_REQ), appendChild(NS.samlp, 'saml2p:RequesterID', 'urn:de:example:rp:second', (r) => kid(r, NS.samlp, 'Scoping'))),
    );
    const validated = await validatePost(w, xml);
    expect([validated.providerName, validated.requesterId]).toEqual(['Bürgerservice Beispielstadt (test)', 'urn:de:example:rp:0042']);
  });
});

describe('R-MSG-29: RelayState', () => {
  it('R-MSG-29: a RelayState of exactly 80 bytes is kept unchanged', async () => {
    const relay = `${'é'.repeat(30)}${'x'.repeat(20)}`; // 60 + 20 bytes
    expect((await validatePost(w, await signedRequest(), relay)).relayState).toBe(relay);
  });

  it('R-MSG-29 / ATK-49: a RelayState of 81 bytes is PS-400 RELAYSTATE', async () => {
    const relay = `${'é'.repeat(30)}${'x'.repeat(21)}`;
    expect(await outcomeOf(async () => validatePost(w, await signedRequest(), relay))).toMatchObject(PS400('RELAYSTATE'));
  });
});
