/**
 * The envelope of every Response we send, read as a connector reads it (spec §8.2, §8.3):
 * message IDs (R-RSP-05, R-MSG-01 entropy), Issuer Format on Response and Assertion (R-RSP-06),
 * the NameID format per NameIDPolicy (R-RSP-10, R-MSG-19), namespace declarations a decrypted
 * assertion needs on its own (R-ATT-11), and what the logs keep of each message (R-SEC-07).
 */
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildErrorResponse, buildSuccessResponse, STATUS, type SuccessOutcome } from '../../../src/front/saml-idp/index.ts';
import { verifyXml } from '../../../src/saml/index.ts';
import { readAutoPost, readErrorResponse, testApp, type TestApp } from './support/http.ts';
import { LOA_SUBSTANTIAL, PERSON_ID, attributesFor, readBack, validatedDe } from './support/responses.ts';
import { KEYS, NOW, NS, SETTINGS, connectorParse, connectorSerialize, kid, kids, postBody, signedRequest, world, type World } from './support/world.ts';

const ENTITY = 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity';
const NATURAL = 'http://eidas.europa.eu/attributes/naturalperson';
/** An xs:ID made of `_` and 160 random bits in hex (R-MSG-01: ≥ 128 required, ≥ 160 recommended). */
const ID_160 = /^_[0-9a-f]{40}$/;

let w: World;
beforeEach(() => {
  w = world();
});

const outcome: SuccessOutcome = { attributes: attributesFor(), loa: LOA_SUBSTANTIAL, nameId: PERSON_ID, authnInstant: new Date(NOW) };
const ctx = () => ({ settings: w.settings, deps: w.deps });
const refusal = { top: STATUS.RESPONDER, second: STATUS.REQUEST_DENIED, message: 'Citizen consent not given.' };

describe('message IDs (R-RSP-05, R-MSG-01)', () => {
  it('R-RSP-05 / R-MSG-01: Response and Assertion IDs carry 160 random bits and never repeat', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const built = await buildSuccessResponse(validatedDe(), outcome, ctx());
      const { response, assertion } = await readBack(built.xml, KEYS.encRsa4096.privateKey);
      ids.push(response.getAttribute('ID')!, assertion.getAttribute('ID')!);
      expect([built.responseId, built.assertionId]).toEqual([response.getAttribute('ID'), assertion.getAttribute('ID')]);
    }
    ids.push((await buildErrorResponse(validatedDe(), refusal, ctx())).responseId);
    expect(ids.every((id) => ID_160.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('Issuer and envelope (R-RSP-05, R-RSP-06)', () => {
  it('R-RSP-06: the Assertion Issuer is our entityID with Format entity, like the Response Issuer', async () => {
    const { response, assertion } = await readBack((await buildSuccessResponse(validatedDe(), outcome, ctx())).xml, KEYS.encRsa4096.privateKey);
    for (const issuer of [kid(response, NS.saml, 'Issuer'), kid(assertion, NS.saml, 'Issuer')]) {
      expect([issuer.textContent, issuer.getAttribute('Format')]).toEqual([SETTINGS.entityId, ENTITY]);
    }
    expect([assertion.getAttribute('Version'), assertion.getAttribute('IssueInstant')]).toEqual(['2.0', NOW]);
  });

  it('R-SEC-11 / SAML core §3.2.2: a success says the citizen consented (Consent obtained); an error Response says nothing', async () => {
    const { response } = await readBack((await buildSuccessResponse(validatedDe(), outcome, ctx())).xml, KEYS.encRsa4096.privateKey);
    expect(response.getAttribute('Consent')).toBe('urn:oasis:names:tc:SAML:2.0:consent:obtained');
    const error = (await verifyXml((await buildErrorResponse(validatedDe(), refusal, ctx())).xml, { trusted: [KEYS.ours.certificate] })).element;
    expect(error.hasAttribute('Consent')).toBe(false);
  });

  it('R-RSP-05/06: an error Response has ID, Version 2.0, IssueInstant and an entity-format Issuer too', async () => {
    const built = await buildErrorResponse(validatedDe(), refusal, ctx());
    const response = (await verifyXml(built.xml, { trusted: [KEYS.ours.certificate] })).element;
    expect({
      ID: response.getAttribute('ID'),
      Version: response.getAttribute('Version'),
      IssueInstant: response.getAttribute('IssueInstant'),
      Destination: response.getAttribute('Destination'),
    }).toEqual({ ID: built.responseId, Version: '2.0', IssueInstant: NOW, Destination: validatedDe().acsUrl });
    const issuer = kid(response, NS.saml, 'Issuer');
    expect([issuer.textContent, issuer.getAttribute('Format')]).toEqual([SETTINGS.entityId, ENTITY]);
  });
});

describe('NameID per NameIDPolicy (R-RSP-10, R-MSG-19)', () => {
  it('R-RSP-10 / R-MSG-19: an unspecified NameIDPolicy gets the PersonIdentifier with Format unspecified', async () => {
    const unspecified = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
    const built = await buildSuccessResponse(validatedDe({ nameIdFormat: unspecified }), outcome, ctx());
    const { assertion } = await readBack(built.xml, KEYS.encRsa4096.privateKey);
    const nameId = kid(kid(assertion, NS.saml, 'Subject'), NS.saml, 'NameID');
    expect([nameId.getAttribute('Format'), nameId.textContent]).toEqual([unspecified, PERSON_ID]);
  });
});

describe('the decrypted assertion stands alone (R-ATT-11)', () => {
  it('R-ATT-11: xsi and the natural-person namespace are declared on the Assertion, so every xsi:type resolves once it is cut out', async () => {
    const { assertion } = await readBack((await buildSuccessResponse(validatedDe(), outcome, ctx())).xml, KEYS.encRsa4096.privateKey);
    const alone = connectorParse(connectorSerialize(assertion)).documentElement!;
    expect(alone.getAttribute('xmlns:xsi')).toBe(NS.xsi);
    const values = kids(kid(alone, NS.saml, 'AttributeStatement'), NS.saml, 'Attribute').flatMap((a) => kids(a, NS.saml, 'AttributeValue'));
    expect(values.length).toBeGreaterThan(0);
    for (const v of values) {
      const [prefix] = (v.getAttributeNS(NS.xsi, 'type') ?? '').split(':');
      expect(alone.getAttribute(`xmlns:${prefix}`)).toBe(NATURAL);
    }
  });
});

describe('what the logs keep of each message (R-SEC-07)', () => {
  let t: TestApp;
  beforeEach(() => {
    t = testApp(w, undefined, (app, idp, handed) => {
      app.post('/finish', (req, res) => idp.sendSuccess(req, res, handed[0]!, outcome));
      app.post('/refuse', (req, res) => idp.sendFailure(req, res, handed[0]!, 'CONSENT_REFUSED'));
    });
  });
  const sent = () => t.lines.filter((l) => l.event === 'eidas.response.sent');

  it('R-SEC-07: the accepted request is logged with its issuer, ID and IssueInstant', async () => {
    await request(t.app).post('/proxy-service/sso').type('form').send(postBody(await signedRequest()));
    const accepted = t.lines.find((l) => l.event === 'eidas.request.accepted')!;
    expect(accepted).toMatchObject({ issuer: t.handed[0]!.peerEntityId, requestId: t.handed[0]!.requestId, issueInstant: t.handed[0]!.issueInstant });
  });

  it('R-SEC-07: a success Response is logged with its own Response and Assertion IDs', async () => {
    await request(t.app).post('/proxy-service/sso').type('form').send(postBody(await signedRequest()));
    const form = readAutoPost((await request(t.app).post('/finish')).text);
    const { response, assertion } = await readBack(form.samlResponse, KEYS.encRsa4096.privateKey);
    expect(sent()).toEqual([
      expect.objectContaining({
        issuer: t.handed[0]!.peerEntityId,
        requestId: t.handed[0]!.requestId,
        responseId: response.getAttribute('ID'),
        assertionId: assertion.getAttribute('ID'),
        time: expect.any(String),
      }),
    ]);
  });

  it('R-SEC-07: an error Response is logged with its own ID and status, never its StatusMessage', async () => {
    await request(t.app).post('/proxy-service/sso').type('form').send(postBody(await signedRequest()));
    const error = await readErrorResponse((await request(t.app).post('/refuse')).text);
    const id = connectorParse(error.form.samlResponse).documentElement!.getAttribute('ID');
    expect(sent()).toEqual([
      expect.objectContaining({ requestId: t.handed[0]!.requestId, responseId: id, status: STATUS.REQUEST_DENIED }),
    ]);
    expect(JSON.stringify(t.lines)).not.toContain('Citizen consent not given.');
  });
});
